package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

// A member of B reads a call of A on B's own page of it, finds "Answer
// this call" there, in the directory and in the home feed, drafts
// answers, withdraws one, and follows the state of the other on "My
// answers" once an editor sent it.
func TestMemberAnswersRemoteCall(t *testing.T) {
	ctx := context.Background()
	a := testenv.Start(t, "127.0.12.6", testenv.Options{})
	b := testenv.Start(t, "127.0.12.7", testenv.Options{})
	webtest.CreateAdmin(t, b)
	bea := accountOn(t, b, "bea", service.RoleMember, "coop")
	resp, body := bea.Post("/me/follow", url.Values{"target": {a.Handle("coop")}, "back": {"/me/home"}})
	webtest.WantRedirect(t, resp, body, "/me/home")
	testenv.WaitFor(t, webtest.Wait, "A to accept bea's follow", func() bool {
		fs, err := b.Server.Service.FollowingList(ctx, model.PersonName("bea"))
		return err == nil && len(fs) == 1 && fs[0].State == model.FollowAccepted
	})
	deadline := time.Now().Add(20 * 24 * time.Hour)
	call := publishObject(t, a, "coop", service.ObjectInput{Kind: model.KindCall, Title: "Menders wanted for a repair café",
		Summary: "Two evenings a month.", Text: "We bring **the tools**.", Sectors: []string{"circular-economy"},
		PartnerRoles: []string{"pilot-user", "volunteer-network"}, Deadline: service.Time(deadline)})
	held := "/object?id=" + url.QueryEscape(call.ID)
	answer := `href="/answer?call=` + url.QueryEscape(call.ID) + `"`

	var page string
	testenv.WaitFor(t, webtest.Wait, "B's page of A's call", func() bool {
		resp, page = bea.Get(held + "&lang=en")
		return resp.StatusCode == http.StatusOK
	})
	text := html.UnescapeString(page)
	for _, want := range []string{call.Title, "Two evenings a month.", "<strong>the tools</strong>", "See the original", answer,
		`href="` + call.ID + `"`, "Following", `action="/me/unfollow"`} {
		if !has(text, want) && !has(page, want) {
			t.Errorf("B's page of the call lacks %q\n%s", want, page)
		}
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "private") {
		t.Errorf("signed-in page of the call: Cache-Control %q, want private", cc)
	}
	// A visitor reads the public call too, without the member's actions.
	resp, page = webtest.NewBrowser(t, b).Get(held)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, call.Title) || strings.Contains(page, "/answer?call=") ||
		strings.Contains(page, "/me/unfollow") {
		t.Errorf("visitor on B's page of the call: status %d\n%s", resp.StatusCode, page)
	}
	// Unknown objects are not found; a local one is its own page.
	if resp, _ := bea.Get("/object?id=" + url.QueryEscape(a.Base+"/orgs/coop/calls/nope")); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown object: status %d, want 404", resp.StatusCode)
	}
	local := publishObject(t, b, "coop", service.ObjectInput{Kind: model.KindProject, Title: "Local", Sectors: []string{"energy"}})
	if resp, _ := bea.Get("/object?id=" + url.QueryEscape(local.ID)); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != local.ID {
		t.Errorf("local object: status %d to %q, want 303 to its page", resp.StatusCode, resp.Header.Get("Location"))
	}

	testenv.WaitFor(t, webtest.Wait, "the call in B's directory", func() bool {
		_, page = bea.Get("/directory?kind=call&lang=en")
		return strings.Contains(page, call.Title)
	})
	if !has(page, answer) || !has(page, `href="`+held+`"`) {
		t.Errorf("directory card lacks 'Answer this call' or 'Read here'\n%s", page)
	}
	if _, page = webtest.NewBrowser(t, b).Get("/directory?kind=call"); strings.Contains(page, "/answer?call=") || !has(page, held) {
		t.Errorf("visitor's directory: want 'Read here' and no answer link\n%s", page)
	}
	if _, page = bea.Get("/me/home"); !has(page, answer) || !has(page, held) {
		t.Errorf("home feed lacks the answer link and the local page\n%s", page)
	}

	// Another server's "follow from your server" for this call leads here.
	resp, body = bea.Get("/authorize_interaction?uri=" + url.QueryEscape(call.ID))
	webtest.WantRedirect(t, resp, body, held)

	// Two drafts; one withdrawn by its author, the other sent by an editor.
	for _, text := range []string{"We can host one evening.", "We bring ten menders."} {
		resp, body = bea.Post("/answer", url.Values{"call": {call.ID}, "org": {"coop"}, "role": {"volunteer-network"}, "text": {text}})
		webtest.WantRedirect(t, resp, body, "/answer?drafted=1&call="+url.QueryEscape(call.ID))
	}
	_, page = bea.Get("/me/answers?lang=en")
	if strings.Count(page, `action="/me/answers/withdraw"`) != 2 || strings.Count(page, "Draft, waiting for an editor") != 2 || !strings.Contains(page, call.Title) {
		t.Fatalf("my answers: want two drafts with a withdraw button\n%s", page)
	}
	list, err := b.Server.Service.MyAnswers(ctx, service.System("test"), "bea")
	if err != nil || len(list) != 2 {
		t.Fatalf("MyAnswers = %v, %v", list, err)
	}
	byText := map[string]service.MyAnswer{}
	for _, a := range list {
		byText[a.Text] = a
	}
	first, second := byText["We can host one evening."], byText["We bring ten menders."]
	resp, body = bea.Post("/me/answers/withdraw", url.Values{"org": {"coop"}, "id": {first.ID}})
	webtest.WantRedirect(t, resp, body, "/me/answers?withdrawn")
	// Another member may not withdraw bea's draft.
	cyd := accountOn(t, b, "cyd", service.RoleMember, "coop")
	if resp, _ := cyd.Post("/me/answers/withdraw", url.Values{"org": {"coop"}, "id": {second.ID}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("another member withdrawing bea's draft: status %d, want 403", resp.StatusCode)
	}
	if _, page := cyd.Get("/me/answers"); strings.Contains(page, "ten menders") {
		t.Errorf("cyd sees bea's answers\n%s", page)
	}
	admin := webtest.NewBrowser(t, b)
	admin.Login(webtest.AdminUser, webtest.AdminPassword, http.StatusSeeOther)
	resp, body = admin.Post("/me/profile", url.Values{"display_name": {"Alice Martin"}})
	webtest.WantRedirect(t, resp, body, "/me/settings?profile")
	resp, body = bea.Post("/me/profile", url.Values{"display_name": {"Béatrice"}})
	webtest.WantRedirect(t, resp, body, "/me/settings?profile")
	if _, page := admin.Get("/admin/orgs/coop/answers"); !strings.Contains(page, "Béatrice (bea)") {
		t.Errorf("the organisation's answers page lacks the author's name\n%s", page)
	}
	resp, body = admin.Post("/admin/orgs/coop/answers/"+second.ID+"/send", nil)
	webtest.WantRedirect(t, resp, body, "/admin/orgs/coop/answers")
	_, page = bea.Get("/me/answers?lang=en")
	text = html.UnescapeString(page)
	for _, want := range []string{"Withdrawn", "Sent", "sent as a reply by Alice Martin", "We bring ten menders."} {
		if !strings.Contains(text, want) {
			t.Errorf("my answers lacks %q\n%s", want, page)
		}
	}
	if strings.Count(page, `action="/me/answers/withdraw"`) != 0 {
		t.Errorf("my answers offers to withdraw an answer that is not a draft\n%s", page)
	}
	if _, page = bea.Get("/me/answers?lang=fr"); !strings.Contains(html.UnescapeString(page), "Mes réponses") || !strings.Contains(page, "Retirée") {
		t.Errorf("my answers in French\n%s", page)
	}
	testenv.WaitFor(t, webtest.Wait, "the answer on A's call", func() bool {
		rs, err := a.Server.Service.AnswersReceived(ctx, call.ID)
		return err == nil && len(rs) == 1 && strings.Contains(rs[0].Reply.Content, "ten menders")
	})
}

// A visitor from another server follows an organisation from its page:
// the form sends them to their server's page for it (the subscribe
// template of its WebFinger, here another maillage instance, whose page
// prefills its member's follow form), or to Mastodon's
// /authorize_interaction when the server cannot be asked.
func TestRemoteFollow(t *testing.T) {
	a := testenv.Start(t, "127.0.12.8", testenv.Options{})
	b := testenv.Start(t, "127.0.12.9", testenv.Options{})
	webtest.CreateAdmin(t, b)
	bea := accountOn(t, b, "bea", service.RoleMember, "coop")
	visitor := webtest.NewBrowser(t, a)
	coop := a.Actor("coop")

	_, page := visitor.Get("/orgs/coop?lang=en")
	if !strings.Contains(page, `action="/remote-follow"`) || !strings.Contains(page, `name="uri" value="`+coop+`"`) {
		t.Fatalf("no remote follow form on the organisation's page\n%s", page)
	}
	for _, account := range []string{"bea@" + b.Host, "@bea@" + b.Host, b.Host, b.Base + "/members/bea"} {
		resp, body := visitor.Post("/remote-follow", url.Values{"uri": {coop}, "account": {account}})
		want := b.Base + "/authorize_interaction?uri=" + url.QueryEscape(coop)
		webtest.WantRedirect(t, resp, body, want)
	}
	// On B, the interaction page leads the signed-in member to its follow
	// form, prefilled.
	resp, body := bea.Get("/authorize_interaction?uri=" + url.QueryEscape(coop))
	webtest.WantRedirect(t, resp, body, "/me/following?target="+url.QueryEscape(coop))
	if _, page := bea.Get("/me/following?target=" + url.QueryEscape(coop)); !strings.Contains(page, `value="`+coop+`"`) {
		t.Errorf("follow form not prefilled\n%s", page)
	}

	// A server that cannot be asked: Mastodon's path on it.
	resp, body = visitor.Post("/remote-follow", url.Values{"uri": {coop}, "account": {"someone@127.0.0.1:9"}})
	scheme, _, _ := strings.Cut(a.Base, "://")
	webtest.WantRedirect(t, resp, body, scheme+"://127.0.0.1:9/authorize_interaction?uri="+url.QueryEscape(coop))

	// Mastodon's and others' templates, read from their WebFinger; one
	// that is not http(s) is refused.
	remote := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		res := r.URL.Query().Get("resource")
		w.Header().Set("Content-Type", "application/jrd+json")
		switch res {
		case "acct:ann@" + r.Host:
			fmt.Fprintf(w, `{"subject":%q,"links":[{"rel":"http://ostatus.org/schema/1.0/subscribe","template":"http://%s/authorize-follow?acct={uri}"}]}`, res, r.Host)
		case "acct:gts@" + r.Host: // GoToSocial: no subscribe template
			fmt.Fprintf(w, `{"subject":%q,"links":[{"rel":"self","type":"application/activity+json","href":"http://%s/users/gts"}]}`, res, r.Host)
		case "acct:eve@" + r.Host:
			fmt.Fprintf(w, `{"subject":%q,"links":[{"rel":"http://ostatus.org/schema/1.0/subscribe","template":"javascript:alert({uri})"}]}`, res)
		default:
			http.NotFound(w, r)
		}
	}))
	defer remote.Close()
	host := strings.TrimPrefix(remote.URL, "http://")
	resp, body = visitor.Post("/remote-follow", url.Values{"uri": {coop}, "account": {"ann@" + host}})
	webtest.WantRedirect(t, resp, body, "http://"+host+"/authorize-follow?acct="+url.QueryEscape(coop))
	resp, page = visitor.Post("/remote-follow", url.Values{"uri": {coop}, "account": {"gts@" + host}, "lang": {"en"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "search for @coop@"+a.Host+" in your app") {
		t.Errorf("a server without a follow page: status %d, want 422 naming the handle\n%s", resp.StatusCode, page)
	}
	if resp, page := visitor.Post("/remote-follow", url.Values{"uri": {coop}, "account": {"eve@" + host}}); resp.StatusCode != http.StatusBadGateway || !strings.Contains(page, `role="alert"`) {
		t.Errorf("a javascript: template: status %d, want 502 with a message", resp.StatusCode)
	}

	// Bad input: a clear error on the form; not an actor of ours: 400.
	for _, account := range []string{"", "bea@", "a b@c", "bea@host/path"} {
		resp, page := visitor.Post("/remote-follow", url.Values{"uri": {coop}, "account": {account}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `role="alert"`) {
			t.Errorf("account %q: status %d, want 422 with a message\n%s", account, resp.StatusCode, page)
		}
	}
	if resp, _ := visitor.Post("/remote-follow", url.Values{"uri": {"https://elsewhere.example/users/x"}, "account": {"bea@" + b.Host}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("foreign uri: status %d, want 400", resp.StatusCode)
	}
	// Lookups are limited per client address.
	limited := false
	for range 20 {
		resp, _ := visitor.Post("/remote-follow", url.Values{"uri": {coop}, "account": {"x@127.0.0.1:9"}})
		if resp.StatusCode == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	if !limited {
		t.Errorf("20 lookups from one address: never limited")
	}
}

// has reports whether page holds link, whatever the case of the
// percent-escapes html/template writes in URLs.
func has(page, link string) bool {
	return strings.Contains(strings.ToLower(page), strings.ToLower(link))
}

// The pages with the remote follow form let it lead to another server
// (form-action applies to the redirect), and only those pages.
func TestRemoteFollowFormAction(t *testing.T) {
	t.Parallel()
	in := testenv.NewHandler(t, "127.0.12.12", testenv.Options{})
	visitor := webtest.NewBrowser(t, in)
	for _, path := range []string{"/orgs/coop", "/remote-follow?uri=" + url.QueryEscape(in.Actor("coop"))} {
		resp, _ := visitor.Get(path)
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' https:") {
			t.Errorf("%s: Content-Security-Policy %q, want forms allowed to lead to https servers", path, csp)
		}
	}
	resp, _ := visitor.Get("/directory")
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self';") {
		t.Errorf("/directory: Content-Security-Policy %q, want form-action 'self' alone", csp)
	}
}
