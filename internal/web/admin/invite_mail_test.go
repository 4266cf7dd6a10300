package admin_test

import (
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/config"
	"codeberg.org/maillage/maillage/internal/mail/smtptest"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

// With a mail server, an invitation can go by e-mail: the message says
// who invites, for what, and carries the one-time link, which opens the
// join page; a bad address is refused by its field. Without one, the form
// does not offer it and the link is shown as before.
func TestInvitationByMail(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.242:0")
	if err != nil {
		t.Fatal(err)
	}
	smtp := smtptest.Start(ln)
	t.Cleanup(smtp.Close)
	in := testenv.NewHandler(t, "127.0.0.241", testenv.Options{Configure: func(c *config.Config) {
		c.SMTPAddr, c.SMTPFrom = smtp.Addr(), "maillage@127.0.0.241"
	}})
	b := webtest.AdminOn(t, in)
	if _, body := b.Get("/admin/accounts/"); !strings.Contains(body, `name="email" type="email"`) {
		t.Fatalf("the invitation form offers no address:\n%s", body)
	}
	resp, body := b.Post("/admin/accounts/invite", url.Values{"role": {"editor"}, "orgs": {"coop"}, "email": {"zoe@example.org"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Invitation sent by e-mail to zoe@example.org") || strings.Contains(body, "/join?code=") {
		t.Fatalf("after inviting by e-mail: status %d\n%s", resp.StatusCode, body)
	}
	msgs := smtp.Messages()
	if len(msgs) != 1 || msgs[0].To[0] != "zoe@example.org" {
		t.Fatalf("messages = %+v, want one to zoe@example.org", msgs)
	}
	for _, want := range []string{"alice invites you", "as editor for coop", "alice vous invite"} {
		if !strings.Contains(msgs[0].Data, want) {
			t.Errorf("the e-mail lacks %q:\n%s", want, msgs[0].Data)
		}
	}
	link := regexp.MustCompile(regexp.QuoteMeta(in.Base) + `(/join\?code=[A-Za-z0-9_%-]+)`).FindStringSubmatch(msgs[0].Data)
	if link == nil {
		t.Fatalf("no join link in\n%s", msgs[0].Data)
	}
	if resp, page := webtest.NewBrowser(t, in).Get(link[1]); resp.StatusCode != http.StatusOK || !strings.Contains(page, `name="password"`) {
		t.Errorf("the e-mailed link: status %d\n%s", resp.StatusCode, page)
	}

	resp, body = b.Post("/admin/accounts/invite", url.Values{"role": {"member"}, "email": {"not an address"}})
	webtest.WantFieldError(t, resp, body, "email", "e-mail address")
	if !strings.Contains(body, `value="not an address"`) {
		t.Error("the address typed is not shown again")
	}
	if n := len(smtp.Messages()); n != 1 {
		t.Errorf("%d e-mails after a refused address, want 1", n)
	}
}

func TestInvitationWithoutMailServer(t *testing.T) {
	t.Parallel()
	_, b := webtest.StartAdmin(t, "127.0.0.243")
	_, body := b.Get("/admin/accounts/")
	if strings.Contains(body, `name="email"`) || !strings.Contains(body, "No mail server is configured") {
		t.Errorf("invitation form without a mail server:\n%s", body)
	}
	resp, body := b.Post("/admin/accounts/invite", url.Values{"role": {"member"}, "email": {"zoe@example.org"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "no mail server is configured") {
		t.Errorf("an address without a mail server: status %d\n%s", resp.StatusCode, body)
	}
	resp, body = b.Post("/admin/accounts/invite", url.Values{"role": {"member"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "/join?code=") {
		t.Errorf("invitation without an address: status %d, no link shown", resp.StatusCode)
	}
}
