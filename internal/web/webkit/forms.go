package webkit

import (
	"errors"
	"net/http"
	"slices"

	"codeberg.org/maillage/maillage/internal/model"
	template "codeberg.org/maillage/maillage/internal/web/webkit/tmpl/htmltemplate"
)

// FieldErrors are the problems of a submitted form, by field name
// (the names of model.ValidationError, which are also the input ids).
type FieldErrors map[string]string

// Attrs marks an input invalid and links it to its message.
func (e FieldErrors) Attrs(field string) template.HTMLAttr {
	if _, ok := e[field]; !ok {
		return ""
	}
	id := template.HTMLEscapeString("err-" + field)
	return template.HTMLAttr(`aria-invalid="true" aria-describedby="` + id + `"`)
}

// Described links a group (fieldset) to its message.
func (e FieldErrors) Described(field string) template.HTMLAttr {
	if _, ok := e[field]; !ok {
		return ""
	}
	return template.HTMLAttr(`aria-describedby="` + template.HTMLEscapeString("err-"+field) + `"`)
}

// For is the message of field, for the "admin_err" partial.
func (e FieldErrors) For(field string) FieldError {
	return FieldError{Field: field, Message: e[field]}
}

// FieldError is one field's message; Text, the message as the error
// summary says it (ordered).
type FieldError struct{ Field, Message, Text string }

// ValidationErrors returns the field messages of a validation error, in
// the request's language.
func (k *Kit) ValidationErrors(r *http.Request, err error) (FieldErrors, bool) {
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		return k.TranslateErrs(k.tr.Pick(r), ve.Fields), true
	}
	return nil, false
}

// TranslateErrs turns the codes of field problems, from the service or
// from form decoding, into texts in lang: the one place where they are
// translated (the JSON API renders them in English).
func (k *Kit) TranslateErrs(lang string, fields model.FieldErrors) FieldErrors {
	return k.tr.Fields(lang, fields)
}

// ReadForm parses a bounded urlencoded form body; it answers 400 (or 413)
// itself and returns false when it cannot.
func ReadForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		status := http.StatusBadRequest
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			status = http.StatusRequestEntityTooLarge
		}
		http.Error(w, http.StatusText(status), status)
		return false
	}
	return true
}

// Option is an <option> or a checkbox.
type Option struct {
	Value, Label string
	Selected     bool
}

// SectorOptions are the taxonomy's sectors, labelled in lang.
func SectorOptions(lang string, selected []string) []Option {
	out := make([]Option, len(model.Sectors))
	for i, s := range model.Sectors {
		label := s.EN
		if lang == "fr" {
			label = s.FR
		}
		out[i] = Option{Value: s.Slug, Label: label, Selected: slices.Contains(selected, s.Slug)}
	}
	return out
}

// Options labels values with the texts prefix+value in lang.
func (k *Kit) Options(lang, prefix string, values, selected []string) []Option {
	out := make([]Option, len(values))
	for i, v := range values {
		out[i] = Option{Value: v, Label: k.tr.T(lang, prefix+v), Selected: slices.Contains(selected, v)}
	}
	return out
}
