package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/web/webtest"
	"codeberg.org/maillage/maillage/store"
)

// accountOn creates an account of role for orgs on in (invited by the
// administrator webtest.AdminUser) and returns a Browser signed in as it.
func accountOn(t *testing.T, in *testenv.Instance, user string, role service.Role, orgs ...string) *webtest.Browser {
	t.Helper()
	ctx := context.Background()
	code, err := in.Server.Service.Invite(ctx, service.System("test"), role, orgs, webtest.AdminUser)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := in.Server.Service.RedeemInvitation(ctx, code, user, webtest.AdminPassword); err != nil {
		t.Fatal(err)
	}
	b := webtest.NewBrowser(t, in)
	b.Login(user, webtest.AdminPassword, http.StatusSeeOther)
	return b
}

// header is the page's <header>, where the navigation is.
func header(page string) string {
	i, j := strings.Index(page, "<header>"), strings.Index(page, "</header>")
	if i < 0 || j < i {
		return ""
	}
	return page[i:j]
}

// The header offers administration to editors and administrators only;
// members get their area, visitors the sign-in page.
func TestNavigationByRole(t *testing.T) {
	t.Parallel()
	in, admin := webtest.StartAdmin(t, "127.0.12.1")
	editor := accountOn(t, in, "eda", service.RoleEditor, "coop")
	member := accountOn(t, in, "bea", service.RoleMember, "coop")
	visitor := webtest.NewBrowser(t, in)
	for _, tt := range []struct {
		who            string
		b              *webtest.Browser
		me, adm, login bool
	}{
		{"visitor", visitor, false, false, true},
		{"member", member, true, false, false},
		{"editor", editor, true, true, false},
		{"administrator", admin, true, true, false},
	} {
		for _, path := range []string{"/", "/directory", "/orgs/coop"} {
			_, page := tt.b.Get(path)
			h := header(page)
			if got := strings.Contains(h, `href="/me"`); got != tt.me {
				t.Errorf("%s on %s: link to /me %v, want %v\n%s", tt.who, path, got, tt.me, h)
			}
			if got := strings.Contains(h, `href="/admin"`); got != tt.adm {
				t.Errorf("%s on %s: link to /admin %v, want %v\n%s", tt.who, path, got, tt.adm, h)
			}
			if got := strings.Contains(h, `href="/login"`); got != tt.login {
				t.Errorf("%s on %s: link to /login %v, want %v\n%s", tt.who, path, got, tt.login, h)
			}
		}
	}
	for _, path := range []string{"/", "/directory"} {
		if resp, _ := member.Get(path); !strings.Contains(resp.Header.Get("Cache-Control"), "private") {
			t.Errorf("%s signed in: Cache-Control %q, want private (the header names the account)", path, resp.Header.Get("Cache-Control"))
		}
	}
	if resp, _ := member.Get("/admin"); resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a member at /admin: status %d", resp.StatusCode)
	}
}

// The page of an invitation says who invites, with which role, for which
// organisation, in the reader's language.
func TestJoinWelcome(t *testing.T) {
	t.Parallel()
	in, admin := webtest.StartAdmin(t, "127.0.12.2")
	resp, body := admin.Post("/me/profile", url.Values{"display_name": {"Alice Martin"}, "bio": {"Runs the co-op's instance."}})
	webtest.WantRedirect(t, resp, body, "/me/settings?profile")
	ctx := context.Background()
	code, err := in.Server.Service.Invite(ctx, service.System("test"), service.RoleMember, []string{"coop"}, webtest.AdminUser)
	if err != nil {
		t.Fatal(err)
	}
	coop := webtest.Org(t, in, "coop").DisplayName
	visitor := webtest.NewBrowser(t, in)
	_, page := visitor.Get("/join?code=" + url.QueryEscape(code) + "&lang=en")
	text := html.UnescapeString(page)
	for _, want := range []string{"Welcome to " + in.Host, "Alice Martin invites you to join as a member of", coop, "drafts answers"} {
		if !strings.Contains(text, want) {
			t.Errorf("join page lacks %q:\n%s", want, page)
		}
	}
	_, page = visitor.Get("/join?code=" + url.QueryEscape(code) + "&lang=fr")
	if text := html.UnescapeString(page); !strings.Contains(text, "Alice Martin vous invite à rejoindre l’instance en tant que membre de") {
		t.Errorf("French join page lacks the welcome:\n%s", page)
	}
	// A wrong code says nothing of anyone.
	if resp, page := visitor.Get("/join?code=nope"); resp.StatusCode != http.StatusNotFound || strings.Contains(page, "Alice") {
		t.Errorf("bad code: status %d\n%s", resp.StatusCode, page)
	}
}

// Follow buttons show the state of the member's follow: none, requested,
// following; each posts back to the page it was on.
func TestFollowButtonStates(t *testing.T) {
	t.Parallel()
	in, _ := webtest.StartAdmin(t, "127.0.12.3")
	member := accountOn(t, in, "bea", service.RoleMember, "coop")
	coop := in.Actor("coop")
	setState := func(state string) {
		t.Helper()
		err := in.Server.Store.Update(func(tx *store.Tx) error {
			if err := tx.PutActor(model.Actor{ID: coop, Type: "Organization", Username: "coop", Host: in.Host, Inbox: coop + "/inbox"}); err != nil {
				return err
			}
			return tx.PutFollowing(model.PersonName("bea"), model.Following{Target: coop, FollowID: in.Base + "/activities/x", State: state, Since: time.Now()})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	form := func(page, action string) bool {
		return strings.Contains(page, `action="`+action+`"`) && strings.Contains(page, `name="target" value="`+coop+`"`) &&
			strings.Contains(page, `name="back" value="/orgs/coop?lang=en"`)
	}
	_, page := member.Get("/orgs/coop?lang=en")
	if !form(page, "/me/follow") || !strings.Contains(page, ">Follow</button>") || strings.Contains(page, "/me/unfollow") {
		t.Errorf("not followed: want a Follow button\n%s", page)
	}
	setState(model.FollowPending)
	_, page = member.Get("/orgs/coop?lang=en")
	if !strings.Contains(page, "Follow requested") || !form(page, "/me/unfollow") || !strings.Contains(page, "Cancel the request") {
		t.Errorf("pending: want 'Follow requested' and a cancel button\n%s", page)
	}
	setState(model.FollowAccepted)
	_, page = member.Get("/orgs/coop?lang=fr")
	if !strings.Contains(page, "Abonné·e") || !strings.Contains(page, "Ne plus suivre") {
		t.Errorf("accepted, in French: want 'Abonné·e' and 'Ne plus suivre'\n%s", page)
	}
	// The directory's card of the organisation shows the same state.
	testenv.WaitFor(t, webtest.Wait, "the organisation in the directory", func() bool {
		_, page = member.Get("/directory?kind=org&lang=en")
		return strings.Contains(page, "Unfollow") && strings.Contains(page, `value="`+coop+`"`)
	})
	// Unfollowing goes back to the page of the button.
	resp, body := member.Post("/me/unfollow", url.Values{"target": {coop}, "back": {"/directory?kind=org"}})
	webtest.WantRedirect(t, resp, body, "/directory?kind=org")
	// A back that leaves the instance is ignored.
	setState(model.FollowAccepted)
	resp, body = member.Post("/me/unfollow", url.Values{"target": {coop}, "back": {"//evil.example/"}})
	webtest.WantRedirect(t, resp, body, "/me/following")
	// A visitor gets the remote follow form instead.
	_, page = webtest.NewBrowser(t, in).Get("/orgs/coop?lang=en")
	if strings.Contains(page, `action="/me/follow"`) || !strings.Contains(page, `action="/remote-follow"`) {
		t.Errorf("visitor: want the remote follow form only\n%s", page)
	}
}

// A member's name and bio are saved from /me/settings, shown on the
// member's page and on the accounts page, and federated: the Person
// actor carries them, and a follower's server gets the Update.
func TestMemberProfileFederated(t *testing.T) {
	ctx := context.Background()
	a := testenv.Start(t, "127.0.12.4", testenv.Options{})
	b := testenv.Start(t, "127.0.12.5", testenv.Options{})
	webtest.CreateAdmin(t, b)
	bea := accountOn(t, b, "bea", service.RoleMember, "coop")
	person := b.Base + "/members/bea"
	if _, err := a.Server.Service.Follow(ctx, service.System("test"), "coop", "bea@"+b.Host); err != nil {
		t.Fatal(err)
	}
	testenv.WaitFor(t, webtest.Wait, "B to accept A's follow of bea", func() bool {
		fs, err := a.Server.Service.FollowingList(ctx, "coop")
		return err == nil && len(fs) == 1 && fs[0].State == model.FollowAccepted
	})

	resp, page := bea.Post("/me/profile", url.Values{"display_name": {strings.Repeat("n", model.MaxName+1)}, "bio": {"x"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="err-display_name"`) {
		t.Fatalf("too long a name: status %d\n%s", resp.StatusCode, page)
	}
	resp, page = bea.Post("/me/profile", url.Values{"display_name": {"Béatrice Dupont"}, "bio": {"Mends bikes in Lyon."}})
	webtest.WantRedirect(t, resp, page, "/me/settings?profile")
	if _, page = bea.Get("/me/settings"); !strings.Contains(page, `value="Béatrice Dupont"`) || !strings.Contains(page, "Mends bikes in Lyon.") {
		t.Errorf("settings do not show the saved profile\n%s", page)
	}
	st, doc := b.Get(person, "application/activity+json")
	if st != http.StatusOK || !strings.Contains(string(doc), `"name":"Béatrice Dupont"`) || !strings.Contains(string(doc), "Mends bikes in Lyon.") {
		t.Errorf("Person actor: %d %s", st, doc)
	}
	if _, page := webtest.NewBrowser(t, b).Get("/members/bea"); !strings.Contains(page, "Béatrice Dupont") || !strings.Contains(page, "Mends bikes in Lyon.") {
		t.Errorf("member page lacks the name and bio\n%s", page)
	}
	admin := webtest.NewBrowser(t, b)
	admin.Login(webtest.AdminUser, webtest.AdminPassword, http.StatusSeeOther)
	if _, page := admin.Get("/admin/accounts"); !strings.Contains(page, "Béatrice Dupont") {
		t.Errorf("accounts page lacks the member's name\n%s", page)
	}
	testenv.WaitFor(t, webtest.Wait, "A to receive bea's new name", func() bool {
		var act model.Actor
		_ = a.Server.Store.View(func(tx *store.Tx) error {
			act, _ = tx.Actor(person)
			return nil
		})
		return act.Name == "Béatrice Dupont" && strings.Contains(act.Summary, "Mends bikes")
	})
}
