package uris

import (
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
)

func TestSameOrigin(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"https://p.example/a", "https://p.example/b", true},
		{"https://p.example/a", "http://p.example/a", false},
		{"https://p.example/a", "https://q.example/a", false},
		{"https://p.example.q.example/a", "https://p.example/a", false},
		{"https://p.example:8443/a", "https://p.example/a", false},
		{"not a url", "not a url", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if got := SameOrigin(tt.a, tt.b); got != tt.want {
			t.Errorf("SameOrigin(%q, %q) = %t, want %t", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestHostOf pins the one host rule: the delivery queue, its per-host
// limit, blocks and the directory all key servers by it.
func TestHostOf(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://p.example/inbox", "p.example"},
		{"https://P.Example./inbox", "p.example"},
		{"https://p.example:8443/inbox", "p.example:8443"},
		{"p.example:8443", "p.example:8443"},
		{"P.EXAMPLE", "p.example"},
		{"https://bücher.example/a", "xn--bcher-kva.example"},
		{"http://127.0.0.2:8080/inbox", "127.0.0.2:8080"},
		{"http://[::1]:8080/inbox", "[::1]:8080"},
		{"https:///nohost", ""},
		{"", ""},
		{"https://p.example/%zz", ""}, // does not parse: no host, not the input
	}
	for _, tt := range tests {
		if got := HostOf(tt.in); got != tt.want {
			t.Errorf("HostOf(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSchemeHostAsParse checks the shortcut against url.Parse on random
// strings made of the pieces IRIs are made of, and near misses: wherever
// it answers, its answer is url.Parse's.
func TestSchemeHostAsParse(t *testing.T) {
	pieces := []string{"https", "http", "HTTPS", "h", "1", "+", "://", ":/", "/", "//", "a.example", "A.Example", "b", "-", ".",
		":", ":8443", ":99999", ":x", "@", "user:pw@", "[::1]", "%41", "%zz", "?", "#", "q=1&r=2", " ", "\t", "\x7f", "é", "\"",
		"<", "~", "_", "users", "@coop", "'", "(", "*", ";", "="}
	r := rand.New(rand.NewPCG(3, 4))
	answered := 0
	for range 300_000 {
		var b strings.Builder
		if r.IntN(2) == 0 {
			b.WriteString([]string{"https://", "http://", "https://a.example"}[r.IntN(3)])
		}
		for range r.IntN(8) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := b.String()
		scheme, host, ok := plainSchemeHost(s)
		if !ok {
			continue
		}
		answered++
		u, err := url.Parse(s)
		if err != nil {
			t.Fatalf("plainSchemeHost(%q) = %q, %q; url.Parse: %v", s, scheme, host, err)
		}
		if u.Scheme != scheme || u.Host != host {
			t.Fatalf("plainSchemeHost(%q) = %q, %q; url.Parse gives %q, %q", s, scheme, host, u.Scheme, u.Host)
		}
	}
	if answered < 30_000 {
		t.Errorf("the shortcut answered %d strings of 300,000, want more", answered)
	}
	for _, s := range []string{"https://mastodon.social/users/Gargron", "https://gts.example:8443/users/x/statuses/01H?x=1#f",
		"http://127.0.0.2:8080/orgs/coop-a/projects/x"} {
		if _, _, ok := plainSchemeHost(s); !ok {
			t.Errorf("plainSchemeHost(%q) left it to url.Parse", s)
		}
	}
}

// TestCanonicalAsURL checks Canonical against url.Parse and String on
// random strings, most of them IRIs as servers write them.
func TestCanonicalAsURL(t *testing.T) {
	pieces := []string{"users", "/", "@coop", "#", "#x", "?", "q=1&r=2", "%41", "%zz", " ", "é", "(", "'", "*", ";", "=", ":",
		"[", "]", "!", "$", "+", ",", "~", "_", "-", ".", "..", "//", "HTTPS://", "a.example", ":8443", "\"", "{", "|"}
	r := rand.New(rand.NewPCG(5, 6))
	plain := 0
	for i := range 300_000 {
		var b strings.Builder
		b.WriteString([]string{"https://a.example", "http://127.0.0.2:8080", "HTTPS://a.example", ""}[i%4])
		for range r.IntN(8) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := b.String()
		got, ok := Canonical(s)
		u, err := url.Parse(s)
		if ok != (err == nil) || ok && got != u.String() {
			t.Fatalf("Canonical(%q) = %q, %v; url.Parse gives %v, %v", s, got, ok, u, err)
		}
		if ok && got == s {
			plain++
		}
	}
	if plain < 50_000 {
		t.Errorf("%d of 300,000 strings written back as they were, want more", plain)
	}
}
