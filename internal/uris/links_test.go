package uris

import "testing"

func TestLinks(t *testing.T) {
	u := URIs{Base: "https://m.example"}
	tests := []struct{ name, got, want string }{
		{"followers of", u.FollowersOf(u.Actor("acme")), u.Followers("acme")},
		{"nodeinfo", u.NodeInfo("2.1"), "https://m.example/nodeinfo/2.1"},
		{"directory", u.Directory(), "https://m.example/directory"},
		{"calls feed", u.OpenCallsFeed(), "https://m.example/directory/calls.atom"},
		{"calls page", u.OpenCallsPage(), "https://m.example/directory?kind=call&open=1"},
		{"me", u.Me(), "https://m.example/me"},
		{"account feed", u.AccountFeed("s3cr3t"), "https://m.example/me/feed/s3cr3t.atom"},
		{"join", u.Join("a+b/c"), "https://m.example/join?code=a%2Bb%2Fc"},
		{"confirm", u.Confirm("ann", "tok"), "https://m.example/confirm/ann/tok"},
		{"reset", u.Reset("tok"), "https://m.example/reset/tok"},
		{"setup", u.Setup("a+b"), "https://m.example/setup?token=a%2Bb"},
		{"login", u.Login(), "https://m.example/login"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
