package uris

import "testing"

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
