package webtest

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
)

// File is a file chosen in a form's file input.
type File struct {
	Name string // as the browser gives it
	Data []byte
}

// PostMultipart submits a form with files (enctype multipart/form-data)
// the way a Browser does from one of the instance's own pages.
func (b *Browser) PostMultipart(path string, form url.Values, files map[string]File) (*http.Response, string) {
	b.T.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			if err := w.WriteField(k, v); err != nil {
				b.T.Fatal(err)
			}
		}
	}
	for field, f := range files {
		part, err := w.CreateFormFile(field, f.Name)
		if err != nil {
			b.T.Fatal(err)
		}
		if _, err := part.Write(f.Data); err != nil {
			b.T.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.T.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, b.In.Base+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", b.In.Base)
	return b.Do(req)
}
