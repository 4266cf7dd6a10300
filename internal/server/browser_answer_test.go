package server_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
)

// TestBrowserMemberAnswers: a member of B, told on /me of a matching call
// of A's organisation, answers it in two clicks from there ("Answer this
// call", then the form), sees the draft on "My answers"; an editor of B
// sends it; A's administrator finds it on the call's responses page.
func TestBrowserMemberAnswers(t *testing.T) {
	ctx := browser(t)
	a := testenv.Start(t, "127.0.12.10", testenv.Options{})
	b := testenv.Start(t, "127.0.12.11", testenv.Options{})
	const password = "correct horse battery staple"
	for _, in := range []*testenv.Instance{a, b} {
		if s := in.API("POST", "/api/v1/admins", map[string]string{"username": "alice", "password": password}, nil); s != 201 {
			t.Fatalf("create admin on %s: %d", in.Host, s)
		}
	}
	code, err := b.Server.Service.Invite(context.Background(), service.System("test"), service.RoleMember, []string{"coop"}, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx); err != nil { // starts the browser on ctx, not on a step's shorter context
		t.Fatal(err)
	}
	run := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err := chromedp.Do(sctx, actions...)
		cancel()
		if err != nil {
			loc, _ := chromedp.Run(ctx, chromedp.Location())
			text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
			t.Fatalf("step %s: %v (at %s: %.400s)", name, err, loc, text)
		}
	}
	signIn := func(in *testenv.Instance, user string) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(in.Base + "/login"),
			chromedp.SendKeys(chromedp.ID("username"), user),
			chromedp.SendKeys(chromedp.ID("password"), password),
			chromedp.Submit(chromedp.ID("password")),
			chromedp.WaitReady(chromedp.CSS(`a[href="/me/answers"], a[href="/admin/orgs/coop"]`)),
		}
	}
	// The member joins (the page says who invites, for what), signs in,
	// states an interest and follows A's organisation.
	run("join",
		chromedp.Navigate(b.Base+"/join?lang=en&code="+url.QueryEscape(code)),
		chromedp.WaitVisible(chromedp.CSS(`section.welcome`)),
		chromedp.SendKeys(chromedp.ID("username"), "bea"),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.SendKeys(chromedp.ID("password_again"), password),
		chromedp.Submit(chromedp.ID("password_again")),
		chromedp.WaitReady(chromedp.CSS(`form[action="/login"]`)),
	)
	run("sign in", signIn(b, "bea")...)
	if nav, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("header nav"))); err != nil || strings.Contains(nav, "Administration") {
		t.Errorf("a member's header = %q (%v), want no Administration", nav, err)
	}
	run("interests",
		chromedp.Navigate(b.Base+"/me/interests"),
		chromedp.Click(chromedp.CSS(`input[name="sectors"][value="circular-economy"]`)),
		chromedp.Submit(chromedp.CSS(`input[name="sectors"][value="circular-economy"]`)),
		chromedp.WaitVisible(chromedp.CSS(`p[role="status"]`)),
	)
	run("follow",
		chromedp.Navigate(b.Base+"/me/following"),
		chromedp.SendKeys(chromedp.ID("target"), a.Handle("coop")),
		chromedp.Submit(chromedp.ID("target")),
		chromedp.WaitReady(chromedp.CSS(`form[action="/me/unfollow"]`)),
	)
	testenv.WaitFor(t, wait, "bea's follow of A's organisation accepted", func() bool {
		for _, f := range followers(a, "coop") {
			if strings.HasSuffix(f.Actor, "/members/bea") && !f.Pending {
				return true
			}
		}
		return false
	})
	call := callInput()
	call.Title = "Repair cafés wanted for a textile pilot"
	call.Sectors = []string{"circular-economy"}
	call.PartnerRoles = []string{"pilot-user"}
	published := publish(t, a, "coop", call)

	// From /me: "Answer this call", then the form.
	answer := strings.ToLower(`href="/answer?call=` + url.QueryEscape(published.ID) + `"`)
	testenv.WaitFor(t, wait, "the matching call on bea's /me page, with its answer link", func() bool {
		if err := chromedp.Do(ctx, chromedp.Navigate(b.Base+"/me?lang=en")); err != nil {
			return false
		}
		page, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("main")))
		return err == nil && strings.Contains(strings.ToLower(page), answer)
	})
	screenshot(t, ctx, "member-me.jpg")
	const text = "Our three repair cafés in Lyon can test the kits from March."
	run("answer",
		chromedp.Click(chromedp.CSS(`a.answer`)),
		chromedp.WaitVisible(chromedp.ID("text-coop")),
		chromedp.SetValue(chromedp.ID("role-coop"), "pilot-user"),
		chromedp.SendKeys(chromedp.ID("text-coop"), text),
		chromedp.Submit(chromedp.ID("text-coop")),
		chromedp.WaitVisible(chromedp.CSS(`p[role="status"]`)),
	)
	run("my answers",
		chromedp.Navigate(b.Base+"/me/answers?lang=en"),
		chromedp.WaitVisible(chromedp.CSS(`li.answer-draft`)),
	)
	if got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`li.answer-draft`))); err != nil || !strings.Contains(got, call.Title) || !strings.Contains(got, text) {
		t.Errorf("the draft on My answers = %q (%v)", got, err)
	}

	// An editor of B (here the administrator) sends it as the organisation.
	run("send", append(signIn(b, "alice"),
		chromedp.Navigate(b.Base+"/admin/orgs/coop/answers"),
		chromedp.Click(chromedp.CSS(`form[action$="/send"] button`)),
		chromedp.WaitReady(chromedp.CSS(`a[href*="/notes/"]`)), // the reply sent
	)...)

	// A's administrator reads it on the call's responses page.
	replies := "/admin/orgs/coop/calls/" + published.ID[strings.LastIndex(published.ID, "/")+1:] + "/replies"
	run("sign in on A", signIn(a, "alice")...)
	testenv.WaitFor(t, wait, "the answer on A's responses page", func() bool {
		if err := chromedp.Do(ctx, chromedp.Navigate(a.Base+replies)); err != nil {
			return false
		}
		got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
		return err == nil && strings.Contains(got, text) && strings.Contains(got, "Pilot user")
	})
	screenshot(t, ctx, "member-answer-received.jpg")

	// Signed out, a visitor on A's organisation page follows it from B,
	// without script: the form's redirect to B (which the page's
	// Content-Security-Policy must allow) leads to B's sign-in, then to
	// bea's follow form, filled with A's organisation.
	for _, in := range []*testenv.Instance{a, b} {
		run("sign out of "+in.Host, chromedp.Navigate(in.Base+"/me"), chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
			chromedp.WaitReady(chromedp.CSS(`a[href="/login"]`)))
	}
	run("follow from your server",
		chromedp.Navigate(a.Base+"/orgs/coop?lang=en"),
		chromedp.SendKeys(chromedp.ID("remote-account"), "bea@"+b.Host),
		chromedp.Submit(chromedp.ID("remote-account")),
		chromedp.WaitReady(chromedp.CSS(`form[action="/login"] #username`)),
	)
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err != nil || !strings.HasPrefix(loc, b.Base+"/login") {
		t.Fatalf("after the remote follow form: at %q (%v), want B's sign-in", loc, err)
	}
	run("sign in on B to follow",
		chromedp.SendKeys(chromedp.ID("username"), "bea"),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitReady(chromedp.ID("target")),
	)
	if got, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("target"))); err != nil || got != a.Actor("coop") {
		t.Errorf("B's follow form = %q (%v), want %s", got, err, a.Actor("coop"))
	}
}
