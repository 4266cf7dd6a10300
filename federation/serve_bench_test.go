package federation_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkServeActor measures GET of an organisation's actor document
// through the instance's whole handler (routes, middleware, negotiation),
// unsigned, as remote servers fetch it; with If-None-Match the answer is
// 304.
func BenchmarkServeActor(b *testing.B) {
	srv, _ := newBenchServer(b)
	h := srv.Handler()
	get := func(etag string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, benchBase+"/orgs/"+benchOrg, nil)
		r.Header.Set("Accept", "application/activity+json")
		if etag != "" {
			r.Header.Set("If-None-Match", etag)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	first := get("")
	if first.Code != http.StatusOK || first.Header().Get("ETag") == "" {
		b.Fatalf("status %d, ETag %q", first.Code, first.Header().Get("ETag"))
	}
	for _, c := range []struct {
		name, etag string
		want       int
	}{{"full", "", http.StatusOK}, {"if-none-match", first.Header().Get("ETag"), http.StatusNotModified}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if w := get(c.etag); w.Code != c.want {
					b.Fatalf("status %d, want %d", w.Code, c.want)
				}
			}
		})
	}
}
