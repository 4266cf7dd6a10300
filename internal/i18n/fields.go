package i18n

import "codeberg.org/maillage/maillage/internal/model"

// Fields renders the codes of a validation error's fields in lang: the
// one translation of validation messages, for the forms and the API.
func (b *Bundle) Fields(lang string, fields model.FieldErrors) map[string]string {
	out := make(map[string]string, len(fields))
	for k, fe := range fields {
		out[k] = b.T(lang, fe.Key, fe.Args...)
	}
	return out
}
