package web_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

func TestLogin(t *testing.T) {
	t.Parallel()
	in := testenv.NewHandler(t, "127.0.0.20", testenv.Options{})

	b := webtest.NewBrowser(t, in)
	if resp, body := b.Get("/login"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "admin-create") {
		t.Errorf("login page with no administrator: status %d, want 200 and a hint to create one\n%s", resp.StatusCode, body)
	}
	webtest.CreateAdmin(t, in)

	// Wrong password, unknown user: 401 with a message, no cookie.
	for _, c := range []struct{ user, password string }{{webtest.AdminUser, "wrong password!"}, {"bob", webtest.AdminPassword}} {
		resp := b.Login(c.user, c.password, http.StatusUnauthorized)
		if len(resp.Cookies()) != 0 {
			t.Errorf("failed login set cookies %v", resp.Cookies())
		}
	}
	_, body := b.Post("/login", url.Values{"username": {webtest.AdminUser}, "password": {"nope"}})
	if !strings.Contains(body, "Wrong username or password") || !strings.Contains(body, `value="alice"`) {
		t.Errorf("failed login page lacks the message or the username:\n%s", body)
	}

	// Success: a session cookie with the right attributes, and back to the
	// page asked for.
	resp, _ := b.Post("/login", url.Values{"username": {webtest.AdminUser}, "password": {webtest.AdminPassword}, "next": {"/admin/orgs/coop"}})
	webtest.WantRedirect(t, resp, "", "/admin/orgs/coop")
	c := sessionCookie(t, resp)
	if !c.HttpOnly || c.Secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.MaxAge != 14*24*3600 || len(c.Value) != 43 {
		t.Errorf("session cookie = %+v; want HttpOnly, not Secure on http, SameSite=Lax, Path=/, 14 days, 32 random bytes", c)
	}
	if u, err := in.Server.Service.SessionUser(context.Background(), c.Value); err != nil || u != webtest.AdminUser {
		t.Errorf("session of the cookie = %q, %v", u, err)
	}
	if resp, body := b.Get("/admin"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "coop") {
		t.Errorf("dashboard after login: status %d\n%s", resp.StatusCode, body)
	}

	// next cannot send the browser elsewhere.
	for _, next := range []string{"https://evil.example/", "//evil.example/admin", "/\\evil.example", "/orgs/coop"} {
		resp, _ := webtest.NewBrowser(t, in).Post("/login", url.Values{"username": {webtest.AdminUser}, "password": {webtest.AdminPassword}, "next": {next}})
		webtest.WantRedirect(t, resp, "", "/admin")
	}
}

func TestLoginSecureCookieOnHTTPS(t *testing.T) {
	ca := testenv.NewCA(t)
	in := testenv.Start(t, "127.0.0.21", testenv.Options{CA: ca})
	webtest.CreateAdmin(t, in)
	b := webtest.NewBrowser(t, in)
	pem, err := os.ReadFile(ca.File)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	b.Client.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	resp := b.Login(webtest.AdminUser, webtest.AdminPassword, http.StatusSeeOther)
	if c := sessionCookie(t, resp); !c.Secure || !c.HttpOnly {
		t.Errorf("session cookie over https = %+v, want Secure and HttpOnly", c)
	}
}

func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	in := testenv.NewHandler(t, "127.0.0.22", testenv.Options{})
	webtest.CreateAdmin(t, in)
	b := webtest.NewBrowser(t, in)
	for range 5 {
		b.Login(webtest.AdminUser, "wrong password", http.StatusUnauthorized)
	}
	// The sixth attempt is refused before the password is checked, even
	// the right one.
	resp := b.Login(webtest.AdminUser, webtest.AdminPassword, http.StatusTooManyRequests)
	if resp.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	if len(resp.Cookies()) != 0 {
		t.Errorf("rate-limited login set cookies %v", resp.Cookies())
	}
	_, body := b.Post("/login", url.Values{"username": {webtest.AdminUser}, "password": {webtest.AdminPassword}})
	if !strings.Contains(body, "Too many failed attempts") || !strings.Contains(body, "10 minutes") {
		t.Errorf("429 page does not say why:\n%s", body)
	}
	// Another client (behind the same local reverse proxy) is not limited.
	other := webtest.NewBrowser(t, in)
	other.Header.Set("X-Forwarded-For", "192.0.2.7")
	other.Login(webtest.AdminUser, webtest.AdminPassword, http.StatusSeeOther)
}

// TestLoginRateLimitOwnAccount checks that signing in to one's own
// account does not reset the count of guesses at another's: the client's
// failures stay counted, and a success takes back only its own attempt.
func TestLoginRateLimitOwnAccount(t *testing.T) {
	t.Parallel()
	in := testenv.NewHandler(t, "127.0.0.31", testenv.Options{})
	webtest.CreateAdmin(t, in)
	if s := in.API("POST", "/api/v1/admins", map[string]string{"username": "mallory", "password": webtest.AdminPassword}, nil); s != http.StatusCreated {
		t.Fatalf("create mallory: status %d", s)
	}
	b := webtest.NewBrowser(t, in)
	for range 4 {
		b.Login(webtest.AdminUser, "guess", http.StatusUnauthorized)
	}
	b.Login("mallory", webtest.AdminPassword, http.StatusSeeOther)
	b.Login(webtest.AdminUser, "guess", http.StatusUnauthorized) // the fifth failure
	b.Login(webtest.AdminUser, "guess", http.StatusTooManyRequests)
	b.Login("mallory", webtest.AdminPassword, http.StatusTooManyRequests)
}

// TestLoginRateLimitPerUsername checks the limit per username: guesses at
// one account spread over many client addresses stop at ten, whatever
// another account's successful logins; the account's own right password
// clears its count.
func TestLoginRateLimitPerUsername(t *testing.T) {
	t.Parallel()
	in := testenv.NewHandler(t, "127.0.0.32", testenv.Options{})
	webtest.CreateAdmin(t, in)
	if s := in.API("POST", "/api/v1/admins", map[string]string{"username": "mallory", "password": webtest.AdminPassword}, nil); s != http.StatusCreated {
		t.Fatalf("create mallory: status %d", s)
	}
	from := func(i int) *webtest.Browser { // a client behind the local reverse proxy
		b := webtest.NewBrowser(t, in)
		b.Header.Set("X-Forwarded-For", "192.0.2."+strconv.Itoa(i))
		return b
	}
	for i := range 9 {
		from(i).Login(webtest.AdminUser, "guess", http.StatusUnauthorized)
	}
	from(9).Login(webtest.AdminUser, webtest.AdminPassword, http.StatusSeeOther) // clears alice's count
	for i := range 10 {
		c := from(10 + i)
		c.Login(webtest.AdminUser, "guess", http.StatusUnauthorized)
		c.Login("mallory", webtest.AdminPassword, http.StatusSeeOther) // clears only mallory's count
	}
	from(30).Login(webtest.AdminUser, "guess", http.StatusTooManyRequests)
	from(31).Login(webtest.AdminUser, webtest.AdminPassword, http.StatusTooManyRequests)
	// A locked username costs its client nothing: other accounts still work.
	c := from(32)
	for range 6 {
		c.Login(webtest.AdminUser, "guess", http.StatusTooManyRequests)
	}
	c.Login("mallory", webtest.AdminPassword, http.StatusSeeOther)
}

func TestLogout(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.23")
	u, _ := url.Parse(in.Base)
	old := b.Client.Jar.Cookies(u)
	resp, body := b.Post("/logout", nil)
	webtest.WantRedirect(t, resp, body, "/login")
	if c := sessionCookie(t, resp); c.MaxAge >= 0 || c.Value != "" {
		t.Errorf("logout cookie = %+v, want it cleared", c)
	}
	// The old cookie, sent again, no longer opens a session.
	replay := webtest.NewBrowser(t, in)
	replay.Client.Jar.SetCookies(u, old)
	resp, _ = replay.Get("/admin")
	webtest.WantRedirect(t, resp, "", "/login?next=%2Fadmin")
	if _, err := in.Server.Service.SessionUser(context.Background(), old[0].Value); err == nil {
		t.Error("session still valid after logout")
	}
}

// TestCrossOrigin checks the CSRF protection: a form posted from another
// site is refused with 403 and changes nothing, with a session or not.
func TestCrossOrigin(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.25")
	form := url.Values{"display_name": {"Hijacked"}, "sectors": {"energy"}}
	tests := []struct{ name, path, site, origin string }{
		{"cross-site fetch metadata", "/admin/orgs/coop/profile", "cross-site", ""},
		{"same-site subdomain", "/admin/orgs/coop/profile", "same-site", ""},
		{"foreign Origin, no fetch metadata", "/admin/orgs/coop/profile", "", "https://evil.example"},
		{"login", "/login", "cross-site", "https://evil.example"},
		{"logout", "/logout", "cross-site", ""},
		{"publish", "/admin/orgs/coop/calls/new", "cross-site", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := b.PostFrom(tt.path, form, tt.site, tt.origin)
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("status %d, want 403\n%s", resp.StatusCode, body)
			}
		})
	}
	if o := webtest.Org(t, in, "coop"); o.DisplayName == "Hijacked" {
		t.Error("profile changed by a cross-origin post")
	}
	if resp, _ := b.Get("/admin"); resp.StatusCode != http.StatusOK {
		t.Errorf("session ended by a cross-origin logout: status %d", resp.StatusCode)
	}
	// The API, with its bearer token, is outside the protection.
	if s := in.API("POST", "/api/v1/orgs/coop/follow", map[string]string{"target": ""}, nil); s == http.StatusForbidden {
		t.Error("API refused as cross-origin")
	}
}

// TestCrossOriginInboxes checks that every kind of inbox (shared,
// instance actor, organisation, member) takes a server's POST that
// carries Origin and Sec-Fetch-Site past the CSRF protection, while the
// forms next to them stay protected.
func TestCrossOriginInboxes(t *testing.T) {
	t.Parallel()
	in := testenv.NewHandler(t, "127.0.0.30", testenv.Options{})
	b := webtest.NewBrowser(t, in)
	for _, path := range []string{"/inbox", "/actor/inbox", "/orgs/coop/inbox", "/members/alice/inbox"} {
		req, _ := http.NewRequest(http.MethodPost, in.Base+path, strings.NewReader(`{"type":"Follow"}`))
		req.Header.Set("Content-Type", "application/activity+json")
		req.Header.Set("Origin", "https://other.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if resp, body := b.Do(req); resp.StatusCode == http.StatusForbidden {
			t.Errorf("POST %s from another origin: 403, want it past the CSRF protection\n%s", path, body)
		}
	}
	for _, path := range []string{"/login", "/me/settings", "/admin/orgs/coop/profile", "/orgs/coop/inbox/x"} {
		if resp, _ := b.PostFrom(path, url.Values{}, "cross-site", "https://other.example"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s from another origin: status %d, want 403", path, resp.StatusCode)
		}
	}
}

func sessionCookie(t *testing.T, resp *http.Response) *http.Cookie {
	t.Helper()
	for _, c := range resp.Cookies() {
		if c.Name == "maillage_session" {
			return c
		}
	}
	t.Fatalf("no maillage_session cookie in %v", resp.Header["Set-Cookie"])
	return nil
}
