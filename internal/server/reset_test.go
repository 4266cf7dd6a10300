package server_test

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/config"
	"codeberg.org/maillage/maillage/internal/mail/smtptest"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
)

// TestPasswordReset: /reset answers the same for a known and an unknown
// account; the known one gets an e-mail whose link sets a new password
// once and ends the account's sessions. An administrator's link works too.
func TestPasswordReset(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.191:0")
	if err != nil {
		t.Fatal(err)
	}
	smtp := smtptest.Start(ln)
	t.Cleanup(smtp.Close)
	in := testenv.Start(t, "127.0.0.190", testenv.Options{Configure: func(c *config.Config) {
		c.SMTPAddr, c.SMTPFrom = smtp.Addr(), "maillage@127.0.0.190"
	}})
	ctx := context.Background()
	svc := in.Server.Service
	if _, err := svc.CreateAccount(ctx, service.System("test"), "mia", "a long enough password", service.RoleMember, []string{"coop"}); err != nil {
		t.Fatal(err)
	}
	if err := svc.SetMailSettings(ctx, service.System("test"), "mia", "mia@example.org", "off"); err != nil {
		t.Fatal(err)
	}
	m := newMeClient(t, in)
	if s, _, _ := m.do("/login", url.Values{"username": {"mia"}, "password": {"a long enough password"}}); s != http.StatusSeeOther {
		t.Fatalf("login: %d", s)
	}
	anon := newMeClient(t, in)
	s1, _, b1 := anon.do("/reset", url.Values{"who": {"nobody"}})
	s2, _, b2 := anon.do("/reset", url.Values{"who": {"nobody@example.org"}})
	s3, _, b3 := anon.do("/reset", url.Values{"who": {"mia@example.org"}})
	if s1 != http.StatusOK || s1 != s2 || s2 != s3 || b1 != b2 || b2 != b3 {
		t.Fatalf("reset answers differ: %d %d %d", s1, s2, s3)
	}
	var link string
	testenv.WaitFor(t, wait, "the reset e-mail", func() bool {
		for _, msg := range smtp.Messages() {
			if msg.To[0] == "mia@example.org" {
				if l := regexp.MustCompile(regexp.QuoteMeta(in.Base) + `/reset/[A-Za-z0-9_-]+`).FindString(msg.Data); l != "" {
					link = l
				}
			}
		}
		return link != ""
	})
	if n := len(smtp.Messages()); n != 2 {
		t.Errorf("%d messages, want 2: the address's confirmation and one reset (none for unknown accounts)", n)
	}
	path := strings.TrimPrefix(link, in.Base)
	if s, _, _ := anon.do(path, nil); s != http.StatusOK {
		t.Fatalf("reset form: %d", s)
	}
	if s, loc, _ := anon.do(path, url.Values{"password": {"a brand new password"}, "password_again": {"a brand new password"}}); s != http.StatusSeeOther || loc != "/login" {
		t.Fatalf("set password: %d to %q", s, loc)
	}
	if s, _, _ := anon.do(path, url.Values{"password": {"another new password"}, "password_again": {"another new password"}}); s != http.StatusNotFound {
		t.Errorf("second use: %d, want 404", s)
	}
	if s, loc, _ := m.do("/me", nil); s != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
		t.Errorf("old session after reset: %d to %q, want ended", s, loc)
	}
	if s, _, _ := m.do("/login", url.Values{"username": {"mia"}, "password": {"a brand new password"}}); s != http.StatusSeeOther {
		t.Errorf("login with the new password: %d", s)
	}

	// An administrator makes a link for an account without e-mail.
	if _, err := svc.CreateAccount(ctx, service.System("test"), "max", "a long enough password", service.RoleMember, nil); err != nil {
		t.Fatal(err)
	}
	admin := session(t, in, "root", service.RoleAdmin)
	s, page := browse(t, in, admin, "POST", "/admin/accounts/max/reset", url.Values{})
	adminLink := regexp.MustCompile(regexp.QuoteMeta(in.Base) + `/reset/[A-Za-z0-9_-]+`).FindString(page)
	if s != http.StatusOK || adminLink == "" {
		t.Fatalf("admin reset link: %d, link %q", s, adminLink)
	}
	if s, _, _ := anon.do(strings.TrimPrefix(adminLink, in.Base), url.Values{"password": {"max new password!"}, "password_again": {"max new password!"}}); s != http.StatusSeeOther {
		t.Errorf("admin link: %d", s)
	}
	if err := svc.CheckLogin(ctx, "max", "max new password!"); err != nil {
		t.Errorf("login after the admin link: %v", err)
	}
	member := session(t, in, "mel", service.RoleMember)
	if s, _ := browse(t, in, member, "POST", "/admin/accounts/max/reset", url.Values{}); s != http.StatusForbidden {
		t.Errorf("member making a reset link: %d, want 403", s)
	}
}

// TestSignup: /signup is a 404 unless -signup; then an applicant's account
// waits for approval, and is refused or approved as a member.
func TestSignup(t *testing.T) {
	off := testenv.Start(t, "127.0.0.192", testenv.Options{})
	if s, _, _ := newMeClient(t, off).do("/signup", nil); s != http.StatusNotFound {
		t.Errorf("signup off: %d, want 404", s)
	}
	in := testenv.Start(t, "127.0.0.193", testenv.Options{Configure: func(c *config.Config) { c.Signup = true }})
	anon := newMeClient(t, in)
	if s, _, page := anon.do("/signup", nil); s != http.StatusOK || !strings.Contains(page, `value="coop"`) {
		t.Fatalf("signup form: %d", s)
	}
	apply := func(name string) {
		t.Helper()
		s, _, page := anon.do("/signup", url.Values{"username": {name}, "password": {"a long enough password"},
			"password_again": {"a long enough password"}, "email": {name + "@example.org"}, "org": {"coop"}, "message": {"hi"}})
		if s != http.StatusOK || !strings.Contains(page, "waiting for approval") {
			t.Fatalf("signup %s: %d", name, s)
		}
	}
	apply("ana")
	apply("eve")
	if s, _, _ := anon.do("/login", url.Values{"username": {"ana"}, "password": {"a long enough password"}}); s != http.StatusUnauthorized {
		t.Errorf("pending login: %d, want 401", s)
	}
	admin := session(t, in, "root", service.RoleAdmin)
	if s, _ := browse(t, in, admin, "POST", "/admin/accounts/ana/approve", url.Values{}); s != http.StatusSeeOther {
		t.Fatalf("approve: %d", s)
	}
	if s, _ := browse(t, in, admin, "POST", "/admin/accounts/eve/refuse", url.Values{}); s != http.StatusSeeOther {
		t.Fatalf("refuse: %d", s)
	}
	if s, loc, _ := anon.do("/login", url.Values{"username": {"ana"}, "password": {"a long enough password"}}); s != http.StatusSeeOther || loc != "/me" {
		t.Errorf("approved login: %d to %q", s, loc)
	}
	accs, _ := in.Server.Service.ListAccounts(context.Background(), service.System("test"))
	for _, a := range accs {
		if a.Username == "eve" {
			t.Errorf("refused account still there")
		}
		if a.Username == "ana" && (a.Role != service.RoleMember || !a.HasOrg("coop")) {
			t.Errorf("ana = %+v, want a member of coop", a)
		}
	}
}

// TestOrgInterestsPage: an editor states its organisation's interests;
// a matching call reaches the organisation's members at /me.
func TestOrgInterestsPage(t *testing.T) {
	in := testenv.Start(t, "127.0.0.194", testenv.Options{})
	ctx := context.Background()
	if _, err := in.Server.Service.CreateAccount(ctx, service.System("test"), "mia", "a long enough password", service.RoleMember, []string{"coop"}); err != nil {
		t.Fatal(err)
	}
	editor := session(t, in, "ed", service.RoleEditor)
	member := session(t, in, "mel", service.RoleMember)
	if s, _ := browse(t, in, member, "POST", "/admin/orgs/coop/interests", url.Values{"sectors": {"mobility"}}); s != http.StatusForbidden {
		t.Errorf("member saving org interests: %d, want 403", s)
	}
	if s, _ := browse(t, in, editor, "GET", "/admin/orgs/coop/interests", nil); s != http.StatusOK {
		t.Errorf("org interests page: %d", s)
	}
	if s, _ := browse(t, in, editor, "POST", "/admin/orgs/coop/interests", url.Values{"sectors": {"mobility"}, "roles": {"pilot-territory"}}); s != http.StatusSeeOther {
		t.Fatalf("save org interests: %d", s)
	}
	call := publish(t, in, "coop", callInput())
	m := newMeClient(t, in)
	if s, _, _ := m.do("/login", url.Values{"username": {"mia"}, "password": {"a long enough password"}}); s != http.StatusSeeOther {
		t.Fatalf("login: %d", s)
	}
	testenv.WaitFor(t, wait, "the call at /me", func() bool {
		_, _, body := m.do("/me", nil)
		return strings.Contains(body, call.Title)
	})
}
