package i18n

import (
	"net/http/httptest"
	"slices"
	"testing"
	"time"
)

// TestEveryKeyInEveryLanguage fails when a text was added in one language
// only.
func TestEveryKeyInEveryLanguage(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range Languages {
		for _, other := range Languages {
			for _, k := range b.Keys(l) {
				if !slices.Contains(b.Keys(other), k) {
					t.Errorf("key %q is in %s but not in %s", k, l, other)
				}
			}
		}
	}
	if len(b.Keys("en")) == 0 {
		t.Error("no texts loaded")
	}
}

func TestPick(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		url, accept, cookie, want string
	}{
		{"/", "", "", "en"},
		{"/", "fr-BE,fr;q=0.9,en;q=0.5", "", "fr"},
		{"/", "de-DE,de;q=0.9", "", "en"},
		{"/", "de,fr;q=0.5", "", "fr"},
		{"/?lang=en", "fr", "", "en"},
		{"/", "en", "fr", "fr"},
		{"/?lang=xx", "fr", "", "fr"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", tt.url, nil)
		r.Header.Set("Accept-Language", tt.accept)
		if tt.cookie != "" {
			r.Header.Set("Cookie", CookieName+"="+tt.cookie)
		}
		if got := b.Pick(r); got != tt.want {
			t.Errorf("Pick(%s, %q, cookie %q) = %s, want %s", tt.url, tt.accept, tt.cookie, got, tt.want)
		}
	}
}

func TestT(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if got := b.T("fr", "kind.call"); got != "Appel à partenariat" {
		t.Errorf("T(fr, kind.call) = %q", got)
	}
	if got := b.T("fr", "no.such.key"); got != "no.such.key" {
		t.Errorf("missing key = %q", got)
	}
	if got := Best("fr", []string{"en", "fr"}); got != "fr" {
		t.Errorf("Best = %q", got)
	}
	if got := Best("de", []string{"en", "fr"}); got != "en" {
		t.Errorf("Best fallback = %q", got)
	}
}

func TestDate(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2027, time.May, 3, 12, 0, 0, 0, time.UTC)
	for lang, want := range map[string]string{"en": "3 May 2027", "fr": "3 mai 2027"} {
		if got := b.Date(lang, day); got != want {
			t.Errorf("Date(%s) = %q, want %q", lang, got, want)
		}
	}
	if got := b.Date("fr", time.Date(2026, time.August, 15, 0, 0, 0, 0, time.UTC)); got != "15 août 2026" {
		t.Errorf("Date(fr, 15 August) = %q", got)
	}
}
