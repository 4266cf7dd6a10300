package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/testenv"
)

const (
	bobUser     = "bob"
	bobPassword = "another long password"
	newPassword = "a brand new passphrase"
)

// wantSignedOut checks that b's session no longer opens the admin pages.
func (b *browser) wantSignedOut(what string) {
	b.t.Helper()
	resp, body := b.get("/admin")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		b.t.Errorf("%s: GET /admin = %d %s, want a redirect to /login\n%s", what, resp.StatusCode, resp.Header.Get("Location"), body)
	}
}

func (b *browser) wantSignedIn(what string) {
	b.t.Helper()
	if resp, body := b.get("/admin"); resp.StatusCode != http.StatusOK {
		b.t.Errorf("%s: GET /admin = %d, want 200\n%s", what, resp.StatusCode, body)
	}
}

// sessionID is the session cookie b holds.
func (b *browser) sessionID() string {
	u, _ := url.Parse(b.in.Base)
	for _, c := range b.client.Jar.Cookies(u) {
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
	in, b := startAdmin(t, "127.0.0.140")
	other := newBrowser(t, in)
	other.login(adminUser, adminPassword, http.StatusSeeOther)

	resp, body := b.get("/admin/account")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `action="/admin/account/password"`) ||
		!strings.Contains(body, `action="/admin/account/sessions/end"`) {
		t.Fatalf("GET /admin/account = %d, want both forms\n%s", resp.StatusCode, body)
	}
	form := func(current, next, again string) url.Values {
		return url.Values{"current": {current}, "password": {next}, "password_again": {again}}
	}
	resp, body = b.post("/admin/account/password", form("wrong password here", newPassword, newPassword))
	wantFieldError(t, resp, body, "current", "the current password is wrong")
	resp, body = b.post("/admin/account/password", form(adminPassword, newPassword, newPassword+"x"))
	wantFieldError(t, resp, body, "password_again", "the two passwords differ")
	resp, body = b.post("/admin/account/password", form(adminPassword, "short", "short"))
	wantFieldError(t, resp, body, "password", "at least 12")
	other.wantSignedIn("after refused changes")

	resp, body = b.post("/admin/account/password", form(adminPassword, newPassword, newPassword))
	wantRedirect(t, resp, body, "/admin/account?changed=1")
	b.wantSignedIn("the browser that changed the password")
	other.wantSignedOut("another session after the change")

	fresh := newBrowser(t, in)
	fresh.login(adminUser, adminPassword, http.StatusUnauthorized)
	fresh.login(adminUser, newPassword, http.StatusSeeOther)
}

func TestSignOutEverywhere(t *testing.T) {
	t.Parallel()
	in, b := startAdmin(t, "127.0.0.141")
	other := newBrowser(t, in)
	other.login(adminUser, adminPassword, http.StatusSeeOther)
	resp, body := b.post("/admin/account/sessions/end", nil)
	wantRedirect(t, resp, body, "/login")
	b.wantSignedOut("the browser that signed out everywhere")
	other.wantSignedOut("another browser")

	other.login(adminUser, adminPassword, http.StatusSeeOther)
	var out struct{ Ended int }
	if s := in.API("POST", "/api/v1/admins/"+adminUser+"/sessions/end", nil, &out); s != http.StatusOK || out.Ended != 1 {
		t.Errorf("API end sessions = %d %+v, want 200 and 1 ended", s, out)
	}
	other.wantSignedOut("after the API ended the sessions")
	if s := in.API("POST", "/api/v1/admins/nobody/sessions/end", nil, nil); s != http.StatusNotFound {
		t.Errorf("API end sessions of nobody = %d, want 404", s)
	}
}

func TestDeleteAdmin(t *testing.T) {
	t.Parallel()
	in, b := startAdmin(t, "127.0.0.142")
	createBob(t, in)
	bob := newBrowser(t, in)
	bob.login(bobUser, bobPassword, http.StatusSeeOther)

	_, body := b.get("/admin")
	if !strings.Contains(body, `action="/admin/admins/bob/delete"`) || strings.Contains(body, `action="/admin/admins/alice/delete"`) {
		t.Errorf("dashboard: want a delete button for bob only\n%s", body)
	}
	resp, body := b.post("/admin/admins/bob/delete", nil)
	wantRedirect(t, resp, body, "/admin#admins")
	bob.wantSignedOut("deleted administrator")
	bob.login(bobUser, bobPassword, http.StatusUnauthorized)

	// alice is the last one now.
	resp, body = b.post("/admin/admins/alice/delete", nil)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "the last administrator cannot be deleted") {
		t.Errorf("deleting the last admin in the form = %d, want 422 and a message\n%s", resp.StatusCode, body)
	}
	if s := in.API("DELETE", "/api/v1/admins/alice", nil, nil); s != http.StatusUnprocessableEntity {
		t.Errorf("API delete of the last admin = %d, want 422", s)
	}
	if s := in.API("DELETE", "/api/v1/admins/nobody", nil, nil); s != http.StatusNotFound {
		t.Errorf("API delete of nobody = %d, want 404", s)
	}
	b.wantSignedIn("the last administrator")

	createBob(t, in)
	bob.login(bobUser, bobPassword, http.StatusSeeOther)
	if s := in.API("DELETE", "/api/v1/admins/bob", nil, nil); s != http.StatusNoContent {
		t.Errorf("API delete of bob = %d, want 204", s)
	}
	bob.wantSignedOut("administrator deleted through the API")
}

func TestReloginEndsPreviousSession(t *testing.T) {
	t.Parallel()
	in, b := startAdmin(t, "127.0.0.143")
	old := b.sessionID()
	if old == "" {
		t.Fatal("no session cookie after login")
	}
	createBob(t, in)
	b.login(bobUser, bobPassword, http.StatusSeeOther)
	if b.sessionID() == old {
		t.Fatal("session id unchanged by a new login")
	}
	replay := newBrowser(t, in)
	u, _ := url.Parse(in.Base)
	replay.client.Jar.SetCookies(u, []*http.Cookie{{Name: "maillage_session", Value: old, Path: "/"}})
	replay.wantSignedOut("the cookie of the previous login")
	b.wantSignedIn("the new login")
}

func TestAccountFormsCrossSite(t *testing.T) {
	t.Parallel()
	in, b := startAdmin(t, "127.0.0.144")
	createBob(t, in)
	forms := []struct {
		path string
		form url.Values
	}{
		{"/admin/account/password", url.Values{"current": {adminPassword}, "password": {newPassword}, "password_again": {newPassword}}},
		{"/admin/account/sessions/end", nil},
		{"/admin/admins/bob/delete", nil},
	}
	for _, f := range forms {
		if resp, body := b.postFrom(f.path, f.form, "cross-site", "https://evil.example"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site POST %s = %d, want 403\n%s", f.path, resp.StatusCode, body)
		}
		if resp, body := b.postFrom(f.path, f.form, "", "https://evil.example"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s from another origin = %d, want 403\n%s", f.path, resp.StatusCode, body)
		}
	}
	b.wantSignedIn("after the refused posts")
	newBrowser(t, in).login(adminUser, adminPassword, http.StatusSeeOther)
	newBrowser(t, in).login(bobUser, bobPassword, http.StatusSeeOther)
}
