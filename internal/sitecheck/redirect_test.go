package sitecheck

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// A website's open redirect to another host must not let that host's page
// count as the website's (found in review): victim on 127.0.0.2 sends
// /out?to=URL anywhere; evil on 127.0.0.1 serves the rel="me" link and the
// claim token.
func TestCrossHostRedirectNotFollowed(t *testing.T) {
	evil := site(t, map[string]string{
		"/me":         `<a rel="me" href="` + actor + `">x</a>`,
		WellKnownPath: "tok-1\n",
	})
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skip("127.0.0.2 not available:", err)
	}
	victim := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/out":
			http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
		case r.URL.Path == WellKnownPath:
			http.Redirect(w, r, evil.URL+WellKnownPath, http.StatusFound)
		case r.URL.Path == "/home":
			http.Redirect(w, r, "/page", http.StatusMovedPermanently)
		case r.URL.Path == "/page":
			_, _ = w.Write([]byte(`<a rel="me" href="` + actor + `">x</a>`))
		default:
			http.NotFound(w, r)
		}
	}))
	victim.Listener.Close()
	victim.Listener = ln
	victim.Start()
	t.Cleanup(victim.Close)
	c := checker(true)
	ctx := context.Background()

	ok, err := c.LinksBack(ctx, victim.URL+"/out?to="+evil.URL+"/me", actor)
	if ok || !errors.Is(err, ErrOtherHost) {
		t.Errorf("LinksBack through a redirect to another host = %v, %v; want false, ErrOtherHost", ok, err)
	}
	ok, err = c.ServesToken(ctx, victim.URL+"/", "tok-1")
	if ok || !errors.Is(err, ErrOtherHost) {
		t.Errorf("ServesToken through a redirect to another host = %v, %v; want false, ErrOtherHost", ok, err)
	}
	// Redirects on the website's own host are still followed.
	if ok, err := c.LinksBack(ctx, victim.URL+"/home", actor); !ok || err != nil {
		t.Errorf("LinksBack through a same-host redirect = %v, %v; want true", ok, err)
	}
	// www. and the bare name are one website.
	for _, tc := range []struct {
		from, to string
		same     bool
	}{
		{"https://coop.example/", "https://www.coop.example/a", true},
		{"https://www.coop.example/", "http://COOP.example:80/a", true},
		{"https://coop.example/", "https://coop.example:443/a", true},
		{"https://coop.example./", "https://coop.example/a", true},
		{"https://coop.example/", "https://evil.example/a", false},
		{"https://coop.example/", "https://coop.example.evil/a", false},
		{"https://coop.example/", "https://wwwcoop.example/a", false},
		{"https://coop.example/", "https://coop.example:8443/a", false},
	} {
		if got := sameSite(mustURL(t, tc.from), mustURL(t, tc.to)); got != tc.same {
			t.Errorf("sameSite(%s, %s) = %v, want %v", tc.from, tc.to, got, tc.same)
		}
	}
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
