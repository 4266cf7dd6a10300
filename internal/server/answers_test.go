package server_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/store"
)

// TestAnswerCall: B's organisation answers A's call (a member drafts, an
// editor sends), A sees the answer with B's profile, then marks the call
// filled and B's copy follows.
func TestAnswerCall(t *testing.T) {
	ctx := context.Background()
	a := testenv.Start(t, "127.0.0.170", testenv.Options{})
	b := testenv.Start(t, "127.0.0.171", testenv.Options{})
	profile := model.Profile{DisplayName: "Valley Coop", LegalForm: "fr-scic", Country: "FR", Sectors: []string{"mobility"}, Website: "https://valley.example"}
	if _, err := b.Server.Service.UpdateProfile(ctx, service.System("test"), "coop", service.ProfileInput{Profile: profile}); err != nil {
		t.Fatalf("B's profile: %v", err)
	}
	follow(t, b, "coop", a.Handle("coop"))
	waitAccepted(t, b, "coop", a.Actor("coop"))
	call := publish(t, a, "coop", callInput())
	waitObject(t, b, a.Actor("coop"), call.ID, func(model.Object) bool { return true })

	member := session(t, b, "mia", service.RoleMember)
	editor := session(t, b, "ed", service.RoleEditor)

	// The member drafts on B's answer page for A's call.
	answerPage := "/answer?call=" + url.QueryEscape(call.ID)
	if s, body := browse(t, b, member, "GET", answerPage, nil); s != http.StatusOK || !strings.Contains(body, "Propose an answer for") {
		t.Fatalf("GET answer page: status %d, body %.300s", s, body)
	}
	form := url.Values{"call": {call.ID}, "org": {"coop"}, "role": {"pilot-territory"}, "text": {"Our valley has twelve villages."}}
	if s, body := browse(t, b, member, "POST", "/answer", form); s != http.StatusSeeOther {
		t.Fatalf("POST answer: status %d, body %.300s", s, body)
	}
	drafts, err := b.Server.Service.ListDrafts(ctx, service.System("test"), "coop")
	if err != nil || len(drafts) != 1 || drafts[0].Status != store.AnswerDraft || drafts[0].Author != "mia" {
		t.Fatalf("drafts on B = %+v, %v", drafts, err)
	}
	send := "/admin/orgs/coop/answers/" + drafts[0].ID + "/send"
	if s, _ := browse(t, b, member, "POST", send, url.Values{}); s != http.StatusForbidden {
		t.Errorf("member sends: status %d, want 403", s)
	}
	if s, body := browse(t, b, editor, "GET", "/admin/orgs/coop/answers", nil); s != http.StatusOK || !strings.Contains(body, "Our valley") {
		t.Errorf("editor's answers page: status %d, body %.300s", s, body)
	}
	if s, _ := browse(t, b, editor, "POST", send, url.Values{}); s != http.StatusSeeOther {
		t.Fatalf("editor sends: status %d", s)
	}
	if s, _ := browse(t, b, editor, "POST", send, url.Values{}); s != http.StatusSeeOther {
		t.Fatalf("editor sends again: status %d", s)
	}
	drafts, _ = b.Server.Service.ListDrafts(ctx, service.System("test"), "coop")
	if len(drafts) != 1 || drafts[0].Status != store.AnswerSent || drafts[0].ReplyIRI == "" {
		t.Fatalf("drafts on B after sending = %+v", drafts)
	}

	// A lists the answer under its call, from B's organisation, once.
	testenv.WaitFor(t, wait, "A to list B's answer", func() bool {
		var rs []model.Reply
		a.API("GET", apiPath(a, call.ID)+"/replies", nil, &rs)
		return len(rs) == 1 && rs[0].ID == drafts[0].ReplyIRI && rs[0].Actor == b.Actor("coop") &&
			strings.Contains(rs[0].Content, "We offer: Pilot territory.")
	})
	root := session(t, a, "root", service.RoleAdmin)
	s, body := browse(t, a, root, "GET", "/admin/orgs/coop/calls/"+call.ID[strings.LastIndex(call.ID, "/")+1:]+"/replies", nil)
	if s != http.StatusOK || !strings.Contains(body, `<dl class="profile"><dt>Valley Coop</dt>`) ||
		!strings.Contains(body, "https://valley.example") || !strings.Contains(body, "FR") {
		t.Errorf("A's responses page: status %d, want B's profile card; body %s", s, body)
	}

	// A marks the call filled: B's copy is filled and takes no more drafts.
	filled := callInput()
	filled.Status = "filled"
	if s := a.API("PUT", apiPath(a, call.ID), filled, nil); s != http.StatusOK {
		t.Fatalf("mark filled: status %d", s)
	}
	waitObject(t, b, a.Actor("coop"), call.ID, func(o model.Object) bool { return o.Status == "filled" })
	if s, _ := browse(t, b, member, "POST", "/answer", form); s != http.StatusUnprocessableEntity {
		t.Errorf("draft on a filled call: status %d, want 422", s)
	}
}

// session creates an account of role (for coop, unless an administrator)
// on in and returns a session id for its cookie.
func session(t *testing.T, in *testenv.Instance, name string, role service.Role) string {
	t.Helper()
	ctx := context.Background()
	var orgs []string
	if role != service.RoleAdmin {
		orgs = []string{"coop"}
	}
	if _, err := in.Server.Service.CreateAccount(ctx, service.System("test"), name, "a long enough password", role, orgs); err != nil {
		t.Fatalf("create account %s: %v", name, err)
	}
	id, _, err := in.Server.Service.NewSession(ctx, name)
	if err != nil {
		t.Fatalf("session %s: %v", name, err)
	}
	return id
}

// browse sends a browser request with the session cookie, without
// following redirects; form (when not nil) is the POST body.
func browse(t *testing.T, in *testenv.Instance, sessionID, method, path string, form url.Values) (int, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, in.Base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "text/html")
	req.AddCookie(&http.Cookie{Name: "maillage_session", Value: sessionID})
	c := &http.Client{Transport: in.Client().Transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}
