package web_test

import (
	"html"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"
)

// TestPageLanguages checks that the directory and an object page follow
// Accept-Language, that ?lang= is remembered in a cookie, and that an
// object's translation is shown to a reader of that language.
func TestPageLanguages(t *testing.T) {
	t.Parallel()
	f := newDirFixture(t, "127.0.0.46")
	ebikes := f.objs["ebikes"] // English, with a French translation
	lender := f.objs["lender"] // English only
	const (
		titleEN = "EXAMPLE: Shared e-bike fleet for mountain villages"
		titleFR = "EXEMPLE : Flotte de vélos électriques partagée pour villages de montagne"
	)

	tests := []struct {
		name, url string
		header    http.Header
		lang      string   // of the interface: <html lang>
		must      []string // unescaped fragments
		mustNot   []string
	}{
		{"directory in French", f.in.Base + "/directory", acceptLanguage("fr-FR,fr;q=0.9,en;q=0.5"), "fr",
			[]string{"<h1>Annuaire</h1>", "Appels ouverts seulement", "Énergie", "réponse avant le"}, []string{"<h1>Directory</h1>"}},
		{"directory in English", f.in.Base + "/directory", acceptLanguage("en-GB,en;q=0.8"), "en",
			[]string{"<h1>Directory</h1>", "Open calls only", "Energy", "answer by"}, []string{"<h1>Annuaire</h1>"}},
		{"directory for an unknown language", f.in.Base + "/directory", acceptLanguage("ja"), "en",
			[]string{"<h1>Directory</h1>"}, nil},
		{"translated object in French", ebikes.ID, acceptLanguage("fr"), "fr",
			[]string{"<h1>" + titleFR + "</h1>", `<article lang="fr">`, "Secteurs"}, []string{"<h1>" + titleEN + "</h1>"}},
		{"translated object in English", ebikes.ID, acceptLanguage("en"), "en",
			[]string{"<h1>" + titleEN + "</h1>", `<article lang="en">`, "Sectors"}, []string{titleFR}},
		{"untranslated object in French", lender.ID, acceptLanguage("fr"), "fr",
			[]string{"<h1>Seeking a lender for a solar roof</h1>", "réponse avant le", "Rôles de partenaires recherchés"}, nil},
		{"?lang=fr wins over Accept-Language", ebikes.ID + "?lang=fr", acceptLanguage("en"), "fr",
			[]string{"<h1>" + titleFR + "</h1>"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := fetch(t, f.in.Client(), tt.url, tt.header)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: status %d", tt.url, resp.StatusCode)
			}
			checkPage(t, body, tt.lang, tt.must, tt.mustNot)
		})
	}

	t.Run("lang cookie", func(t *testing.T) {
		jar, err := cookiejar.New(nil)
		if err != nil {
			t.Fatal(err)
		}
		client := &http.Client{Transport: f.in.Client().Transport, Jar: jar, Timeout: 30 * time.Second}
		resp, body := fetch(t, client, f.in.Base+"/directory?lang=fr", http.Header{"Accept-Language": {"en"}})
		checkPage(t, body, "fr", []string{"<h1>Annuaire</h1>"}, nil)
		var set *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == "lang" {
				set = c
			}
		}
		if set == nil || set.Value != "fr" || set.Path != "/" || !set.HttpOnly || set.SameSite != http.SameSiteLaxMode || set.MaxAge <= 0 {
			t.Fatalf("?lang=fr set cookie %+v, want lang=fr; Path=/; HttpOnly; SameSite=Lax; with a Max-Age", set)
		}
		// Later requests without Accept-Language come back in French.
		for _, u := range []string{f.in.Base + "/directory", ebikes.ID, f.in.Base + "/"} {
			_, body := fetch(t, client, u, http.Header{"Accept": {"text/html"}})
			checkPage(t, body, "fr", nil, nil)
		}
		_, body = fetch(t, client, ebikes.ID, http.Header{"Accept": {"text/html"}})
		checkPage(t, body, "fr", []string{"<h1>" + titleFR + "</h1>"}, nil)
		// The cookie wins over Accept-Language, and ?lang=en changes it.
		_, body = fetch(t, client, f.in.Base+"/directory", acceptLanguage("en"))
		checkPage(t, body, "fr", nil, nil)
		fetch(t, client, f.in.Base+"/directory?lang=en", nil)
		_, body = fetch(t, client, ebikes.ID, acceptLanguage("fr"))
		checkPage(t, body, "en", []string{"<h1>" + titleEN + "</h1>"}, nil)
		// An unknown language sets no cookie.
		resp, _ = fetch(t, f.in.Client(), f.in.Base+"/directory?lang=xx", nil)
		for _, c := range resp.Cookies() {
			if c.Name == "lang" {
				t.Errorf("?lang=xx set the cookie %q", c.Value)
			}
		}
	})
}

// checkPage checks a page's interface language and fragments of its text.
func checkPage(t *testing.T, body, lang string, must, mustNot []string) {
	t.Helper()
	if want := `<html lang="` + lang + `">`; !strings.Contains(body, want) {
		i := strings.Index(body, "<html")
		t.Errorf("page language: %.30q, want %q", body[max(i, 0):], want)
	}
	text := html.UnescapeString(body)
	for _, s := range must {
		if !strings.Contains(text, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	for _, s := range mustNot {
		if strings.Contains(text, s) {
			t.Errorf("page has %q", s)
		}
	}
}
