package webkit

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5/middleware"

	"codeberg.org/maillage/maillage/internal/i18n"
	"codeberg.org/maillage/maillage/internal/uris"
)

// A server fault, whether a handler's error or a recovered panic, is the
// styled 500 page, which never shows the error's own text; answers that
// are already pages or JSON pass through, as do requests for programs.
func TestErrorPagesServerFaults(t *testing.T) {
	tr, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	k, err := New(Deps{Messages: tr, URIs: uris.URIs{Base: "https://127.0.0.9"}, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	mw := k.ErrorPages(func(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") })
	secret := errors.New("open /var/lib/maillage/store.db: input/output error")
	handlers := map[string]http.HandlerFunc{
		"/fault": func(w http.ResponseWriter, _ *http.Request) { WritePageError(w, log, secret) },
		"/panic": func(http.ResponseWriter, *http.Request) { panic(secret) },
		"/api/x": func(w http.ResponseWriter, _ *http.Request) { WritePageError(w, log, secret) },
		"/json": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(404)
			_, _ = w.Write([]byte(`{"error":"Not Found"}`))
		},
		"/gone":     func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "This call was deleted.", http.StatusGone) },
		"/teapot":   func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "", http.StatusTeapot) },
		"/me/fault": func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "internal error", 500) },
		"/admin/x": func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "Too Many Requests", http.StatusTooManyRequests)
		},
		"/admin/y": func(http.ResponseWriter, *http.Request) { panic(secret) },
	}
	serve := func(path, lang string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Accept-Language", lang)
		rec := httptest.NewRecorder()
		mw(middleware.Recoverer(handlers[req.URL.Path])).ServeHTTP(rec, req)
		return rec
	}
	for _, c := range []struct {
		path, lang string
		status     int
		want       []string
	}{
		{"/fault", "en", 500, []string{"Something went wrong on this server", `href="/"`}},
		{"/panic", "fr", 500, []string{"Une erreur s’est produite sur ce serveur", "Retour à l’accueil"}},
		{"/me/fault", "en", 500, []string{"Something went wrong on this server", `href="/me"`}},
		{"/admin/x", "fr", 429, []string{"Trop de tentatives", `href="/admin"`, "Retour à l’administration"}},
		{"/admin/y", "en", 500, []string{"Something went wrong on this server", `href="/admin"`}},
		{"/gone", "en", 410, []string{"This page has been deleted", "This call was deleted."}},
		{"/teapot", "en", 418, []string{"I&#39;m a teapot", "This request could not be completed."}},
	} {
		rec := serve(c.path, c.lang)
		body := rec.Body.String()
		if rec.Code != c.status || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			t.Errorf("%s: %d %s, want %d and a page", c.path, rec.Code, rec.Header().Get("Content-Type"), c.status)
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: page lacks %q:\n%s", c.path, w, body)
			}
		}
		if strings.Contains(body, "input/output") || strings.Contains(body, "internal error") {
			t.Errorf("%s: the page shows the error's text:\n%s", c.path, body)
		}
	}
	if rec := serve("/api/x", "en"); rec.Code != 500 || strings.Contains(rec.Body.String(), "<html") {
		t.Errorf("/api/x: %d %q, want the plain 500", rec.Code, rec.Body)
	}
	if rec := serve("/json", "en"); rec.Code != 404 || rec.Body.String() != `{"error":"Not Found"}` {
		t.Errorf("/json: %d %q, want the handler's own JSON", rec.Code, rec.Body)
	}
	if !strings.Contains(logs.String(), "input/output error") {
		t.Errorf("the fault was not logged:\n%s", logs.String())
	}
}
