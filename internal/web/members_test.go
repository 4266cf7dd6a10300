package web_test

import (
	"context"
	"encoding/json"
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

// A member of instance B follows an organisation of instance A by handle:
// A sees the member's Person actor, and B's home feed shows what A
// publishes, filtered; unfollowing reaches A.
func TestMemberFollowsAndHomeFeed(t *testing.T) {
	ctx := context.Background()
	clock := testenv.NewClock(time.Now())
	a := testenv.Start(t, "127.0.0.180", testenv.Options{Now: clock.Now})
	b := testenv.Start(t, "127.0.0.181", testenv.Options{})
	br := webtest.AdminOn(t, b)
	person := b.Base + "/members/" + webtest.AdminUser

	// The Follow button shows on organisation pages for signed-in accounts.
	if _, body := br.Get("/orgs/coop"); !strings.Contains(body, `action="/me/follow"`) {
		t.Errorf("no Follow button on an organisation page")
	}
	resp, body := br.Post("/me/following", url.Values{"target": {a.Handle("coop")}})
	webtest.WantRedirect(t, resp, body, "/me/following")
	testenv.WaitFor(t, webtest.Wait, "A to accept the member's follow", func() bool {
		fs, err := b.Server.Service.FollowingList(ctx, model.PersonName(webtest.AdminUser))
		return err == nil && len(fs) == 1 && fs[0].State == model.FollowAccepted
	})
	fs, err := a.Server.Service.Followers(ctx, "coop")
	if err != nil || len(fs) != 1 || fs[0].Actor != person {
		t.Fatalf("followers of coop on A = %+v, %v; want %s", fs, err, person)
	}
	_ = a.Server.Store.View(func(tx *store.Tx) error {
		act, err := tx.Actor(person)
		if err != nil || act.Type != "Person" || act.PublicKeyPEM == "" || act.Username != webtest.AdminUser {
			t.Errorf("A's copy of the member = %+v, %v", act, err)
		}
		return nil
	})
	st, doc := b.Get(person, "application/activity+json")
	var m map[string]any
	if err := json.Unmarshal(doc, &m); st != http.StatusOK || err != nil || m["type"] != "Person" || m["preferredUsername"] != webtest.AdminUser {
		t.Fatalf("actor document: %d %s", st, doc)
	}
	if pk, _ := m["publicKey"].(map[string]any); pk == nil || pk["publicKeyPem"] == "" || pk["owner"] != person {
		t.Errorf("publicKey = %v", m["publicKey"])
	}
	if _, page := br.Get("/me/following"); !strings.Contains(page, "coop@"+a.Host) {
		t.Errorf("/me/following lacks the follow:\n%s", page)
	}

	deadline := time.Now().Add(10*24*time.Hour + time.Hour)
	publish := func(in service.ObjectInput) {
		t.Helper()
		if _, err := a.Server.Service.Publish(ctx, service.System("test"), "coop", in); err != nil {
			t.Fatal(err)
		}
		clock.Advance(1100 * time.Millisecond) // dates carry seconds: keep the order plain
	}
	publish(service.ObjectInput{Kind: model.KindCall, Title: "Loan desk", Status: "filled", Sectors: []string{"finance"}})
	publish(service.ObjectInput{Kind: model.KindCall, Title: "Wind fund", Sectors: []string{"finance"},
		Deadline: service.Time(deadline), PartnerRoles: []string{"funder"}})
	publish(service.ObjectInput{Kind: model.KindProject, Title: "Solar roofs", Sectors: []string{"energy"}})

	var home string
	testenv.WaitFor(t, webtest.Wait, "the home feed to show A's objects", func() bool {
		_, home = br.Get("/me/home")
		return strings.Contains(home, "Solar roofs") && strings.Contains(home, "Wind fund") && strings.Contains(home, "Loan desk")
	})
	if p, c := strings.Index(home, "Solar roofs"), strings.Index(home, "Wind fund"); p > c {
		t.Errorf("home feed not newest first:\n%s", home)
	}
	if !strings.Contains(home, "10 days left") {
		t.Errorf("home feed lacks the days left:\n%s", home)
	}
	for _, tt := range []struct {
		query    string
		want     []string
		wantNone []string
	}{
		{"calls=1", []string{"Wind fund", "Loan desk"}, []string{"Solar roofs"}},
		{"open=1", []string{"Wind fund"}, []string{"Loan desk", "Solar roofs"}},
		{"sector=energy", []string{"Solar roofs"}, []string{"Wind fund", "Loan desk"}},
	} {
		_, page := br.Get("/me/home?" + tt.query)
		for _, w := range tt.want {
			if !strings.Contains(page, w) {
				t.Errorf("?%s lacks %q", tt.query, w)
			}
		}
		for _, w := range tt.wantNone {
			if strings.Contains(page, w) {
				t.Errorf("?%s shows %q", tt.query, w)
			}
		}
	}

	resp, body = br.Post("/me/unfollow", url.Values{"target": {a.Actor("coop")}})
	webtest.WantRedirect(t, resp, body, "/me/following")
	testenv.WaitFor(t, webtest.Wait, "A to drop the follower", func() bool {
		fs, err := a.Server.Service.Followers(ctx, "coop")
		return err == nil && len(fs) == 0
	})
}

// WebFinger finds a member by acct:name@host.
func TestMemberWebFinger(t *testing.T) {
	t.Parallel()
	b := testenv.NewHandler(t, "127.0.0.182", testenv.Options{})
	webtest.CreateAdmin(t, b)
	st, body := b.Get(b.Base+"/.well-known/webfinger?resource=acct:"+webtest.AdminUser+"@"+b.Host, "application/jrd+json")
	if st != http.StatusOK || !strings.Contains(string(body), b.Base+"/members/"+webtest.AdminUser) ||
		!strings.Contains(string(body), `"acct:`+webtest.AdminUser+"@"+b.Host+`"`) {
		t.Fatalf("webfinger: %d %s", st, body)
	}
	if st, _ := b.Get(b.Base+"/orgs/~"+webtest.AdminUser, "application/activity+json"); st != http.StatusNotFound {
		t.Errorf("a Person at /orgs/~name: status %d, want 404", st)
	}
	if st, page := b.Get(b.Base+"/members/"+webtest.AdminUser, "text/html"); st != http.StatusOK || !strings.Contains(string(page), webtest.AdminUser+"@"+b.Host) {
		t.Errorf("member page: %d %s", st, page)
	}
}
