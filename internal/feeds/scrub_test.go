package feeds

import "testing"

func TestScrubText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"none", "Repair café, Lyon", "Repair café, Lyon"},
		{"alone", "jean.dupont@example.org", "[e-mail removed]"},
		{"end of sentence", "Write to marie+ess@coop.example.fr.", "Write to [e-mail removed]."},
		{"two", "a@b.example, c_d@e-f.example", "[e-mail removed], [e-mail removed]"},
		{"in brackets", "<jean@ess.example>", "<[e-mail removed]>"},
		{"quoted", "'jean@ess.example'", "'[e-mail removed]'"},
		{"accents", "josé@exemple.fr ok", "[e-mail removed] ok"},
		{"IDN domain", "info@café.fr", "[e-mail removed]"},
		{"punycode TLD", "info@xn--80ak6aa92e.xn--p1ai", "[e-mail removed]"},
		{"full-width at", "jean＠example.org", "[e-mail removed]"},
		{"mailto", "mailto:jean@example.org?subject=x", "mailto:[e-mail removed]?subject=x"},
		{"fediverse handle", "@coop@mastodon.example", "@[e-mail removed]"},
		{"double at", "a@b@c.example", "a@[e-mail removed]"},
		{"formula around", "=x@y.example", "=[e-mail removed]"},
		{"bare handle", "follow @coop", "follow @coop"},
		{"no dot", "root@localhost", "root@localhost"},
		{"one-letter TLD", "a@b.c", "a@b.c"},
		{"numeric TLD", "price@3.50", "price@3.50"},
		{"spaced", "a @ b.example", "a @ b.example"},
		{"profile URL", "https://m.example/@coop", "https://m.example/@coop"},
		{"profile URL with dot", "https://m.example/@coop.lyon", "https://m.example/@coop.lyon"},
		{"at sign at the end", "contact@", "contact@"},
		{"at sign first", "@example.org", "@example.org"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := scrubText(tt.in); got != tt.want {
				t.Errorf("scrubText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestScrubURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://coop.example/contact", "https://coop.example/contact"},
		{"https://m.example/@coop", "https://m.example/@coop"},
		{"mailto:info@coop.example", ""},
		{"MAILTO:info@coop.example", ""},
		{"https://coop.example/?to=info@coop.example", ""},
		{"https://coop.example/?to=info%40coop.example", ""},
		{"https://user@coop.example/", ""}, // userinfo looks like an address
		{"https://coop.example/@team", "https://coop.example/@team"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := scrubURL(tt.in); got != tt.want {
			t.Errorf("scrubURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHTTPURL(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"https://a.example/x?y=1,2;3", true},
		{"http://a.example", true},
		{"javascript:alert(1)", false},
		{"data:text/html,x", false},
		{"/relative", false},
		{"https://", false},
		{"https://a.example/a b", false},
		{"https://a.example/\r\nX:y", false},
		{"https://a.example/\xff", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := httpURL(tt.in); got != tt.want {
			t.Errorf("httpURL(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
