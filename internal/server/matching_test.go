package server_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/config"
	"codeberg.org/maillage/maillage/internal/mail/smtptest"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
)

// meClient is a browser of in's pages that keeps cookies and does not
// follow redirects.
type meClient struct {
	t  *testing.T
	in *testenv.Instance
	c  *http.Client
}

func newMeClient(t *testing.T, in *testenv.Instance) *meClient {
	jar, _ := cookiejar.New(nil)
	return &meClient{t: t, in: in, c: &http.Client{Jar: jar, Transport: in.Client().Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends a GET (form nil) or a form POST and returns the status, the
// Location header and the body.
func (m *meClient) do(path string, form url.Values) (int, string, string) {
	m.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, m.in.Base+path, nil)
	if form != nil {
		req, _ = http.NewRequest(http.MethodPost, m.in.Base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := m.c.Do(req)
	if err != nil {
		m.t.Fatalf("%s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(body)
}

// confirmAddress opens, as m, the confirmation link that the last
// message smtp received for addr holds: digests go to confirmed addresses
// only.
func confirmAddress(t *testing.T, m *meClient, smtp *smtptest.Server, addr string) {
	t.Helper()
	linkRE := regexp.MustCompile(regexp.QuoteMeta(m.in.Base) + `(/confirm/[a-z0-9_.-]+/[A-Za-z0-9_-]+)`)
	var link string
	for _, msg := range smtp.Messages() {
		if l := linkRE.FindStringSubmatch(msg.Data); l != nil && msg.To[0] == addr {
			link = l[1]
		}
	}
	if link == "" {
		t.Fatalf("no confirmation link for %s", addr)
	}
	if s, _, body := m.do(link, url.Values{}); s != http.StatusOK {
		t.Fatalf("confirm %s: %d\n%.300s", addr, s, body)
	}
}

// TestMatchingAcrossInstances: a member of B states interests; A publishes
// a call that fits; B, whose organisation follows A's, receives it and the
// member finds it at /me, in the secret Atom feed and in the digest.
func TestMatchingAcrossInstances(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.162:0")
	if err != nil {
		t.Fatal(err)
	}
	smtp := smtptest.Start(ln)
	t.Cleanup(smtp.Close)
	a := testenv.Start(t, "127.0.0.160", testenv.Options{})
	b := testenv.Start(t, "127.0.0.161", testenv.Options{Configure: func(c *config.Config) {
		c.SMTPAddr, c.SMTPFrom = smtp.Addr(), "maillage@127.0.0.161"
	}})
	ctx := context.Background()
	if _, err := b.Server.Service.CreateAccount(ctx, service.System("test"), "mia", "a long enough password", service.RoleMember, []string{"coop"}); err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	m := newMeClient(t, b)
	if s, loc, _ := m.do("/login", url.Values{"username": {"mia"}, "password": {"a long enough password"}}); s != http.StatusSeeOther || loc != "/me" {
		t.Fatalf("login: %d to %q, want 303 to /me", s, loc)
	}
	if s, _, _ := m.do("/admin", nil); s != http.StatusForbidden {
		t.Errorf("member at /admin: %d, want 403", s)
	}
	if s, _, body := m.do("/me/interests", url.Values{"sectors": {"mobility", "space"}}); s != http.StatusUnprocessableEntity || !strings.Contains(body, "space") {
		t.Errorf("unknown sector: %d, want 422 naming it", s)
	}
	if s, _, _ := m.do("/me/interests", url.Values{"sectors": {"mobility"}, "roles": {"pilot-territory"}, "countries": {"fr"}}); s != http.StatusSeeOther {
		t.Fatalf("save interests: %d", s)
	}
	if s, _, _ := m.do("/me/settings", url.Values{"email": {"mia@example.org"}, "digest": {"daily"}}); s != http.StatusSeeOther {
		t.Fatalf("save settings: %d", s)
	}
	confirmAddress(t, m, smtp, "mia@example.org")
	if s, _, _ := m.do("/me/settings/secret", url.Values{}); s != http.StatusSeeOther {
		t.Fatalf("new secret: %d", s)
	}
	_, _, page := m.do("/me/settings", nil)
	feed := regexp.MustCompile(`<code id="feed-url">([^<]+)</code>`).FindStringSubmatch(page)
	if feed == nil || !strings.HasPrefix(feed[1], b.Base+"/me/feed/") {
		t.Fatalf("no feed URL on the settings page:\n%s", page)
	}

	follow(t, b, "coop", a.Handle("coop"))
	waitAccepted(t, b, "coop", a.Actor("coop"))
	call := publish(t, a, "coop", callInput())
	other := callInput()
	other.Title, other.Sectors = "Unrelated call", []string{"energy"}
	publish(t, a, "coop", other)
	waitObject(t, b, a.Actor("coop"), call.ID, func(model.Object) bool { return true })
	testenv.WaitFor(t, wait, "the call at /me", func() bool {
		_, _, body := m.do("/me", nil)
		return strings.Contains(body, call.Title)
	})
	if _, _, body := m.do("/me", nil); strings.Contains(body, "Unrelated call") {
		t.Errorf("/me shows a call that does not match")
	}

	anon := newMeClient(t, b)
	if s, _, body := anon.do(strings.TrimPrefix(feed[1], b.Base), nil); s != http.StatusOK || !strings.Contains(body, call.ID) {
		t.Errorf("feed: %d, has the call: %v", s, strings.Contains(body, call.ID))
	}
	if s, _, _ := anon.do("/me/feed/wrong-secret.atom", nil); s != http.StatusNotFound {
		t.Errorf("feed with a wrong secret: %d, want 404", s)
	}
	if s, loc, _ := anon.do("/me", nil); s != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
		t.Errorf("/me without a session: %d to %q", s, loc)
	}

	if n, err := b.Server.Service.SendDigests(ctx); err != nil || n != 1 {
		t.Fatalf("SendDigests = %d, %v; want 1", n, err)
	}
	msgs := smtp.Messages()[1:] // after the confirmation
	if len(msgs) != 1 || !strings.Contains(msgs[0].Data, call.Title) || msgs[0].To[0] != "mia@example.org" {
		t.Fatalf("digest messages = %+v", msgs)
	}
	if s, _, _ := m.do("/me/read", url.Values{}); s != http.StatusSeeOther {
		t.Errorf("mark read: %d", s)
	}
}
