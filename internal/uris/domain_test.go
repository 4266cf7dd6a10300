package uris

import "testing"

func TestDomain(t *testing.T) {
	for in, want := range map[string]string{
		"https://a.Evil.Example./actor": "evil.example",
		"https://b.evil.example:8443/x": "evil.example",
		"evil.example":                  "evil.example",
		"https://coop.example.co.uk/":   "example.co.uk",
		"https://alice.github.io/":      "alice.github.io",
		"https://127.0.0.2:8443/actor":  "127.0.0.2",
		"https://[::1]:8443/actor":      "::1",
		"https://localhost/":            "localhost",
		"":                              "",
	} {
		if got := Domain(in); got != want {
			t.Errorf("Domain(%q) = %q, want %q", in, got, want)
		}
	}
}
