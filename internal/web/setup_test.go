package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

// setupToken reads the token of in's setup URL.
func setupToken(t *testing.T, in *testenv.Instance) string {
	t.Helper()
	u, err := url.Parse(in.Server.SetupURL)
	if err != nil || u.Path != "/setup" || !strings.HasPrefix(in.Server.SetupURL, in.Base+"/") {
		t.Fatalf("SetupURL = %q", in.Server.SetupURL)
	}
	tok := u.Query().Get("token")
	if len(tok) < 40 {
		t.Fatalf("setup token %q is too short", tok)
	}
	return tok
}

// TestSetupPage: with the right token, the page creates the first
// administrator and presents the first organisation, once; it is behind
// the cross-origin protection, and gone once an administrator exists.
func TestSetupPage(t *testing.T) {
	t.Parallel()
	in := testenv.NewHandler(t, "127.0.0.96", testenv.Options{})
	tok := setupToken(t, in)
	b := webtest.NewBrowser(t, in)
	for _, q := range []string{"", "?token=", "?token=wrong", "?token=" + tok[:len(tok)-1]} {
		if resp, _ := b.Get("/setup" + q); resp.StatusCode != http.StatusForbidden {
			t.Errorf("GET /setup%s: status %d, want 403", q, resp.StatusCode)
		}
	}
	resp, body := b.Get("/setup?token=" + url.QueryEscape(tok))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /setup with the token: status %d\n%s", resp.StatusCode, body)
	}
	for _, want := range []string{`name="token" value="` + tok + `"`, "coop@" + in.Host, `name="password_again"`, `name="sectors"`} {
		if !strings.Contains(body, want) {
			t.Errorf("setup page lacks %q", want)
		}
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", cc)
	}

	form := url.Values{"token": {tok}, "username": {webtest.AdminUser}, "password": {webtest.AdminPassword}, "password_again": {webtest.AdminPassword},
		"display_name": {"Coop du Nord"}, "country": {"fr"}, "sectors": {"energy", "mobility"}}
	resp, _ = b.PostFrom("/setup", form, "cross-site", "")
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST: status %d, want 403", resp.StatusCode)
	}
	resp, _ = b.Post("/setup", webtest.Merge(form, url.Values{"token": {"wrong"}}))
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST with a wrong token: status %d, want 403", resp.StatusCode)
	}
	resp, body = b.Post("/setup", webtest.Merge(form, url.Values{"password_again": {"something else entirely"}}))
	webtest.WantFieldError(t, resp, body, "password_again", "differ")
	if !strings.Contains(body, `value="Coop du Nord"`) || strings.Contains(body, webtest.AdminPassword) {
		t.Error("the refused form does not keep what was typed, or shows the password")
	}
	resp, body = b.Post("/setup", webtest.Merge(form, url.Values{"country": {"France"}}))
	webtest.WantFieldError(t, resp, body, "country", "two-letter")
	if has, _ := in.Server.Service.HasAdmins(t.Context()); has {
		t.Fatal("a refused setup created an administrator")
	}

	resp, body = b.Post("/setup", form)
	webtest.WantRedirect(t, resp, body, "/login")
	o := webtest.Org(t, in, "coop")
	if o.DisplayName != "Coop du Nord" || o.Country != "FR" || !slices.Equal(o.Sectors, []string{"energy", "mobility"}) {
		t.Errorf("organisation after setup = %+v", o.Profile)
	}
	b.Login(webtest.AdminUser, webtest.AdminPassword, http.StatusSeeOther)

	// Used: gone, whatever the token.
	if resp, _ := b.Get("/setup?token=" + url.QueryEscape(tok)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /setup after use: status %d, want 404", resp.StatusCode)
	}
	if resp, _ := b.Post("/setup", webtest.Merge(form, url.Values{"username": {"mallory"}})); resp.StatusCode != http.StatusNotFound {
		t.Errorf("POST /setup after use: status %d, want 404", resp.StatusCode)
	}
	if admins, _ := in.Server.Service.ListAdmins(t.Context(), service.System("test")); len(admins) != 1 {
		t.Errorf("admins = %+v, want one", admins)
	}

	// A restart with an administrator offers no setup page.
	in.Restart(false)
	if in.Server.SetupURL != "" {
		t.Errorf("SetupURL after setup = %q, want none", in.Server.SetupURL)
	}
}

// TestSetupPageGoneAfterAdminCreate: an administrator made another way
// (the API) closes the page, even with the token.
func TestSetupPageGoneAfterAdminCreate(t *testing.T) {
	t.Parallel()
	in := testenv.NewHandler(t, "127.0.0.97", testenv.Options{})
	tok := setupToken(t, in)
	webtest.CreateAdmin(t, in)
	b := webtest.NewBrowser(t, in)
	if resp, _ := b.Get("/setup?token=" + url.QueryEscape(tok)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /setup: status %d, want 404", resp.StatusCode)
	}
	form := url.Values{"token": {tok}, "username": {"mallory"}, "password": {webtest.AdminPassword}, "password_again": {webtest.AdminPassword},
		"display_name": {"Taken over"}}
	if resp, _ := b.Post("/setup", form); resp.StatusCode != http.StatusNotFound {
		t.Errorf("POST /setup: status %d, want 404", resp.StatusCode)
	}
	if o := webtest.Org(t, in, "coop"); o.DisplayName == "Taken over" {
		t.Error("the organisation was changed")
	}
}
