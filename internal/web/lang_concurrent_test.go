package web_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"codeberg.org/maillage/maillage/internal/testenv"
)

// TestPagesInBothLanguagesAtOnce: a page is parsed once per language, on
// its first request in that language (its t and date functions are bound
// to it). Requests in French and English arriving together, before
// either parse, each get their own language.
func TestPagesInBothLanguagesAtOnce(t *testing.T) {
	t.Parallel()
	in := testenv.NewHandler(t, "127.0.0.59", testenv.Options{})
	h := in.Server.Handler()
	want := map[string][2]string{ // language: a word of its page, a word of the other's
		"fr": {"Annuaire", "Directory"},
		"en": {"Directory", "Annuaire"},
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range 16 {
		lang := []string{"fr", "en"}[i%2]
		wg.Go(func() {
			<-start
			r := httptest.NewRequest(http.MethodGet, "/directory?lang="+lang, nil)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			body := w.Body.String()
			if w.Code != http.StatusOK || !strings.Contains(body, "<h1>"+want[lang][0]) || strings.Contains(body, "<h1>"+want[lang][1]) {
				t.Errorf("GET /directory?lang=%s: %d, title not in its language:\n%.400s", lang, w.Code, body)
			}
		})
	}
	close(start)
	wg.Wait()
}
