package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

const (
	bobUser     = "bob"
	bobPassword = "another long password"
	newPassword = "a brand new passphrase"
)

// wantSignedOut checks that b's session no longer opens the admin pages.
func wantSignedOut(b *webtest.Browser, what string) {
	b.T.Helper()
	resp, body := b.Get("/admin")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		b.T.Errorf("%s: GET /admin = %d %s, want a redirect to /login\n%s", what, resp.StatusCode, resp.Header.Get("Location"), body)
	}
}

func wantSignedIn(b *webtest.Browser, what string) {
	b.T.Helper()
	if resp, body := b.Get("/admin"); resp.StatusCode != http.StatusOK {
		b.T.Errorf("%s: GET /admin = %d, want 200\n%s", what, resp.StatusCode, body)
	}
}

// sessionID is the session cookie b holds.
func sessionID(b *webtest.Browser) string {
	u, _ := url.Parse(b.In.Base)
	for _, c := range b.Client.Jar.Cookies(u) {
		if c.Name == "maillage_session" {
			return c.Value
		}
	}
	return ""
}

func createBob(t *testing.T, in *testenv.Instance) {
	t.Helper()
	if s := in.API("POST", "/api/v1/admins", map[string]string{"username": bobUser, "password": bobPassword}, nil); s != http.StatusCreated {
		t.Fatalf("create bob: status %d", s)
	}
}

func TestChangePassword(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.140")
	other := webtest.NewBrowser(t, in)
	other.Login(webtest.AdminUser, webtest.AdminPassword, http.StatusSeeOther)

	resp, body := b.Get("/admin/account")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `action="/admin/account/password"`) ||
		!strings.Contains(body, `action="/admin/account/sessions/end"`) {
		t.Fatalf("GET /admin/account = %d, want both forms\n%s", resp.StatusCode, body)
	}
	form := func(current, next, again string) url.Values {
		return url.Values{"current": {current}, "password": {next}, "password_again": {again}}
	}
	resp, body = b.Post("/admin/account/password", form("wrong password here", newPassword, newPassword))
	webtest.WantFieldError(t, resp, body, "current", "the current password is wrong")
	resp, body = b.Post("/admin/account/password", form(webtest.AdminPassword, newPassword, newPassword+"x"))
	webtest.WantFieldError(t, resp, body, "password_again", "the two passwords differ")
	resp, body = b.Post("/admin/account/password", form(webtest.AdminPassword, "short", "short"))
	webtest.WantFieldError(t, resp, body, "password", "at least 12")
	wantSignedIn(other, "after refused changes")

	resp, body = b.Post("/admin/account/password", form(webtest.AdminPassword, newPassword, newPassword))
	webtest.WantRedirect(t, resp, body, "/admin/account?changed=1")
	wantSignedIn(b, "the browser that changed the password")
	wantSignedOut(other, "another session after the change")

	fresh := webtest.NewBrowser(t, in)
	fresh.Login(webtest.AdminUser, webtest.AdminPassword, http.StatusUnauthorized)
	fresh.Login(webtest.AdminUser, newPassword, http.StatusSeeOther)
}

func TestSignOutEverywhere(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.141")
	other := webtest.NewBrowser(t, in)
	other.Login(webtest.AdminUser, webtest.AdminPassword, http.StatusSeeOther)
	resp, body := b.Post("/admin/account/sessions/end", nil)
	webtest.WantRedirect(t, resp, body, "/login")
	wantSignedOut(b, "the browser that signed out everywhere")
	wantSignedOut(other, "another browser")

	other.Login(webtest.AdminUser, webtest.AdminPassword, http.StatusSeeOther)
	var out struct{ Ended int }
	if s := in.API("POST", "/api/v1/admins/"+webtest.AdminUser+"/sessions/end", nil, &out); s != http.StatusOK || out.Ended != 1 {
		t.Errorf("API end sessions = %d %+v, want 200 and 1 ended", s, out)
	}
	wantSignedOut(other, "after the API ended the sessions")
	if s := in.API("POST", "/api/v1/admins/nobody/sessions/end", nil, nil); s != http.StatusNotFound {
		t.Errorf("API end sessions of nobody = %d, want 404", s)
	}
}

func TestDeleteAdmin(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.142")
	createBob(t, in)
	bob := webtest.NewBrowser(t, in)
	bob.Login(bobUser, bobPassword, http.StatusSeeOther)

	_, body := b.Get("/admin")
	if !strings.Contains(body, `action="/admin/admins/bob/delete"`) || strings.Contains(body, `action="/admin/admins/alice/delete"`) {
		t.Errorf("dashboard: want a delete button for bob only\n%s", body)
	}
	resp, body := b.Post("/admin/admins/bob/delete", nil)
	webtest.WantRedirect(t, resp, body, "/admin#admins")
	wantSignedOut(bob, "deleted administrator")
	bob.Login(bobUser, bobPassword, http.StatusUnauthorized)

	// alice is the last one now.
	resp, body = b.Post("/admin/admins/alice/delete", nil)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "the last administrator cannot be deleted") {
		t.Errorf("deleting the last admin in the form = %d, want 422 and a message\n%s", resp.StatusCode, body)
	}
	if s := in.API("DELETE", "/api/v1/admins/alice", nil, nil); s != http.StatusUnprocessableEntity {
		t.Errorf("API delete of the last admin = %d, want 422", s)
	}
	if s := in.API("DELETE", "/api/v1/admins/nobody", nil, nil); s != http.StatusNotFound {
		t.Errorf("API delete of nobody = %d, want 404", s)
	}
	wantSignedIn(b, "the last administrator")

	createBob(t, in)
	bob.Login(bobUser, bobPassword, http.StatusSeeOther)
	if s := in.API("DELETE", "/api/v1/admins/bob", nil, nil); s != http.StatusNoContent {
		t.Errorf("API delete of bob = %d, want 204", s)
	}
	wantSignedOut(bob, "administrator deleted through the API")
}

func TestReloginEndsPreviousSession(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.143")
	old := sessionID(b)
	if old == "" {
		t.Fatal("no session cookie after login")
	}
	createBob(t, in)
	b.Login(bobUser, bobPassword, http.StatusSeeOther)
	if sessionID(b) == old {
		t.Fatal("session id unchanged by a new login")
	}
	replay := webtest.NewBrowser(t, in)
	u, _ := url.Parse(in.Base)
	replay.Client.Jar.SetCookies(u, []*http.Cookie{{Name: "maillage_session", Value: old, Path: "/"}})
	wantSignedOut(replay, "the cookie of the previous login")
	wantSignedIn(b, "the new login")
}

func TestAccountFormsCrossSite(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.144")
	createBob(t, in)
	forms := []struct {
		path string
		form url.Values
	}{
		{"/admin/account/password", url.Values{"current": {webtest.AdminPassword}, "password": {newPassword}, "password_again": {newPassword}}},
		{"/admin/account/sessions/end", nil},
		{"/admin/admins/bob/delete", nil},
	}
	for _, f := range forms {
		if resp, body := b.PostFrom(f.path, f.form, "cross-site", "https://evil.example"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site POST %s = %d, want 403\n%s", f.path, resp.StatusCode, body)
		}
		if resp, body := b.PostFrom(f.path, f.form, "", "https://evil.example"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s from another origin = %d, want 403\n%s", f.path, resp.StatusCode, body)
		}
	}
	wantSignedIn(b, "after the refused posts")
	webtest.NewBrowser(t, in).Login(webtest.AdminUser, webtest.AdminPassword, http.StatusSeeOther)
	webtest.NewBrowser(t, in).Login(bobUser, bobPassword, http.StatusSeeOther)
}

// TestPasswordChangeSharesLoginLimit checks that /login (package web) and
// the password change (package admin) count against one login limiter:
// a client over its limit at /login cannot go on guessing through the
// password form of a session it holds.
func TestPasswordChangeSharesLoginLimit(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.147")
	guesser := webtest.NewBrowser(t, in) // the same client address as b
	for range 5 {
		guesser.Login("mallory", "guess", http.StatusUnauthorized)
	}
	form := url.Values{"current": {webtest.AdminPassword}, "password": {newPassword}, "password_again": {newPassword}}
	resp, body := b.Post("/admin/account/password", form)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("password change after 5 failed logins: status %d, Retry-After %q, want 429 with a delay\n%s",
			resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	if err := in.Server.Service.CheckLogin(context.Background(), webtest.AdminUser, webtest.AdminPassword); err != nil {
		t.Errorf("the refused change changed the password: %v", err)
	}
}
