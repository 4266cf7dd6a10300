package federation

import (
	"mime"
	"net/http"
	"strings"
)

// wantsAS reports whether the request asks for ActivityStreams JSON rather
// than a page: application/activity+json, or application/ld+json (with or
// without the ActivityStreams profile), ranked before text/html.
func wantsAS(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "application/activity+json", "application/ld+json":
			return true
		case "text/html", "application/xhtml+xml":
			return false
		}
	}
	return false
}

// WantsAS is wantsAS for the pages' error answers, which a program
// asking for ActivityStreams gets as plain text.
func WantsAS(r *http.Request) bool { return wantsAS(r) }

// Negotiate serves as to ActivityPub clients and page to browsers, on the
// same URL: every id is also its page (ActivityPub §3.2, which names the
// two media types).
func Negotiate(as, page http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept")
		if wantsAS(r) {
			as(w, r)
			return
		}
		page(w, r)
	}
}
