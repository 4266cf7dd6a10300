package webkit

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
)

// ErrorPages turns the error answers of the pages into a page of the site:
// the status in the visitor's language, what it means, and a way back to
// the area the visitor was in (the public site, the member area or the
// administration). Handlers keep answering errors as before
// (WritePageError, http.Error, chi's 404 and 405, a panic recovered
// inside): any answer of 400 or more that is plain text or has no body type
// is replaced, so there is one place that renders them. Pages that answer
// an error with their own HTML (a form sent back with 422) and every JSON
// answer pass through untouched, as do the requests plain says are for
// programs (the API, ActivityPub, exports), which keep their short text.
func (k *Kit) ErrorPages(plain func(*http.Request) bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if plain(r) {
				next.ServeHTTP(w, r)
				return
			}
			ew := &errorWriter{ResponseWriter: w}
			next.ServeHTTP(ew, r)
			if ew.status != 0 {
				k.renderError(w, r, ew.status, ew.text.String())
			}
		})
	}
}

// maxErrorText is how much of a handler's own error text is kept to be
// shown (http.Error's message: "This call was deleted.").
const maxErrorText = 256

// errorWriter holds back an error answer instead of sending it.
type errorWriter struct {
	http.ResponseWriter
	wrote  bool
	status int // held back: an error answer to render
	text   bytes.Buffer
}

func (e *errorWriter) WriteHeader(status int) {
	if e.wrote {
		return
	}
	e.wrote = true
	ct := e.Header().Get("Content-Type")
	if status >= 400 && (ct == "" || strings.HasPrefix(ct, "text/plain")) {
		e.status = status
		return
	}
	e.ResponseWriter.WriteHeader(status)
}

func (e *errorWriter) Write(b []byte) (int, error) {
	if !e.wrote {
		e.WriteHeader(http.StatusOK)
	}
	if e.status != 0 {
		if room := maxErrorText - e.text.Len(); room > 0 {
			e.text.Write(b[:min(room, len(b))])
		}
		return len(b), nil
	}
	return e.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (Flush).
func (e *errorWriter) Unwrap() http.ResponseWriter { return e.ResponseWriter }

// errorView is the error page's content.
type errorView struct {
	Status          int
	Heading, Detail string
	Message         string // the handler's own text, when it said more than the status
	Back, BackLabel string // the area's start page
}

// errorTexts are the statuses with their own explanation in the locales
// (error.<status>.title and .detail); others get a generic one.
var errorTexts = map[int]bool{400: true, 403: true, 404: true, 405: true, 410: true, 413: true, 429: true, 500: true, 502: true}

func (k *Kit) renderError(w http.ResponseWriter, r *http.Request, status int, text string) {
	lang := k.tr.Pick(r)
	key := "error.other"
	if errorTexts[status] {
		key = "error." + strconv.Itoa(status)
	} else if status >= 500 {
		key = "error.500"
	}
	v := errorView{Status: status, Heading: k.tr.T(lang, key+".title"), Detail: k.tr.T(lang, key+".detail"),
		Back: "/", BackLabel: k.tr.T(lang, "error.back.home")}
	if key == "error.other" {
		v.Heading = http.StatusText(status)
	}
	inAdmin := r.URL.Path == "/admin" || strings.HasPrefix(r.URL.Path, "/admin/")
	switch p := r.URL.Path; {
	case inAdmin && status != http.StatusForbidden:
		v.Back, v.BackLabel = "/admin", k.tr.T(lang, "error.back.admin")
	case inAdmin || p == "/me" || strings.HasPrefix(p, "/me/"):
		// Refused the administration, an account goes back to its own
		// page, which every account has.
		v.Back, v.BackLabel = "/me", k.tr.T(lang, "error.back.me")
	}
	// A handler's own words (a translated "this call was deleted") are
	// shown; a server fault's never are, nor the bare status text.
	if t := strings.TrimSpace(text); status < 500 && t != "" && t != http.StatusText(status) && !strings.HasPrefix(t, strconv.Itoa(status)+" ") {
		v.Message = t
	}
	h := w.Header()
	h.Del("Content-Length")
	h.Set("Cache-Control", "no-store")
	k.Render(w, r, status, "error", Page{Title: v.Heading, Data: v})
}
