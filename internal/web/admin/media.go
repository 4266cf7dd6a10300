package admin

import (
	"errors"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"codeberg.org/maillage/maillage/internal/media"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// maxUploadBody bounds a form with images: two files at media.MaxBytes
// (a logo and a banner) and the text fields. A larger file within it gets
// a message beside its field; a larger body, 413.
const maxUploadBody = 2*(media.MaxBytes+64<<10) + 1<<20

// readUploadForm parses a form sent as multipart (with files) or
// urlencoded (a browser sends this when no file input is in the form);
// like webkit.ReadForm, it answers 400 or 413 itself and returns false
// when it cannot.
func readUploadForm(w http.ResponseWriter, r *http.Request) bool {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		return webkit.ReadForm(w, r)
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBody)
	// Files past 1 MiB go to temporary files, removed when the request ends.
	if err := r.ParseMultipartForm(1 << 20); err != nil {
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

// imageField reads the image of a form field: a new upload (processed
// and stored), else the one the form already had (field_ref: names of
// stored files, so that a form shown again with errors keeps its upload),
// or none when field_remove is checked. The alt text is field_alt. A
// refused upload leaves a message in errs and the earlier image in place.
func (h *Handler) imageField(r *http.Request, field string, purpose media.Purpose, errs model.FieldErrors) *model.Image {
	alt := strings.TrimSpace(r.PostForm.Get(field + "_alt"))
	if h.media == nil {
		return nil
	}
	var had *model.Image
	if ref := r.PostForm.Get(field + "_ref"); ref != "" {
		had, _ = h.media.Image(ref, alt)
	}
	if r.MultipartForm != nil && len(r.MultipartForm.File[field]) > 0 {
		if fh := r.MultipartForm.File[field][0]; fh.Size > 0 {
			im, err := h.saveUpload(fh, purpose, alt)
			if err != nil {
				errs[field] = uploadProblem(err)
				h.log.Info("image refused", "field", field, "err", err)
				return had
			}
			return im
		}
	}
	if r.PostForm.Get(field+"_remove") != "" {
		return nil
	}
	return had
}

func (h *Handler) saveUpload(fh *multipart.FileHeader, purpose media.Purpose, alt string) (*model.Image, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	p, err := media.Process(f, purpose)
	if err != nil {
		return nil, err
	}
	return h.media.Save(p, alt)
}

// uploadProblem is the message for a refused file.
func uploadProblem(err error) model.FieldError {
	switch {
	case errors.Is(err, media.ErrTooLarge):
		return model.Problem("images.error.too_large", media.MaxBytes>>20)
	case errors.Is(err, media.ErrDimensions):
		return model.Problem("images.error.dimensions", media.MaxSide)
	case errors.Is(err, media.ErrNotImage):
		return model.Problem("images.error.type")
	}
	return model.Problem("images.error.failed")
}

// imageInput is one image's fieldset in a form (images_fields.html).
type imageInput struct {
	Name   string // the field: image, logo, banner
	Legend string // its i18n key
	Image  *model.Image
	Errs   webkit.FieldErrors
	MaxMB  int
}

// imageInputs are the object form's image fieldset.
func (v adminObjectView) imageInputs() []imageInput {
	return []imageInput{{Name: "image", Legend: "images.field.image", Image: v.Form.Image, Errs: v.Errs, MaxMB: media.MaxBytes >> 20}}
}

// imageInputs are the profile form's logo and banner fieldsets.
func (v adminProfileView) imageInputs() []imageInput {
	return []imageInput{
		{Name: "logo", Legend: "images.field.logo", Image: v.Form.Logo, Errs: v.Errs, MaxMB: media.MaxBytes >> 20},
		{Name: "banner", Legend: "images.field.banner", Image: v.Form.Banner, Errs: v.Errs, MaxMB: media.MaxBytes >> 20},
	}
}
