package web_test

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
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

// TestEmailConfirmationPages walks a member through /me/settings: a new
// address waits for confirmation, the link e-mailed to it shows a button
// that confirms it once, and resending is limited per mailbox.
func TestEmailConfirmationPages(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.34:0")
	if err != nil {
		t.Fatal(err)
	}
	smtp := smtptest.Start(ln)
	t.Cleanup(smtp.Close)
	in := testenv.NewHandler(t, "127.0.0.33", testenv.Options{Configure: func(c *config.Config) {
		c.SMTPAddr, c.SMTPFrom = smtp.Addr(), "maillage@127.0.0.33"
	}})
	if _, err := in.Server.Service.CreateAccount(context.Background(), service.System("test"), "mia", webtest.AdminPassword, service.RoleMember, []string{"coop"}); err != nil {
		t.Fatal(err)
	}
	b := webtest.NewBrowser(t, in)
	b.Login("mia", webtest.AdminPassword, http.StatusSeeOther)
	resp, body := b.Post("/me/settings", url.Values{"email": {"mia@example.org"}, "digest": {"daily"}})
	webtest.WantRedirect(t, resp, body, "/me/settings?saved")
	if _, page := b.Get("/me/settings"); !strings.Contains(page, "Waiting for confirmation") || !strings.Contains(page, `action="/me/settings/confirm"`) {
		t.Errorf("settings page does not say the address waits, with a way to resend:\n%s", page)
	}
	if _, page := b.Get("/me/settings"); strings.Contains(page, "no mail server") {
		t.Errorf("settings page says there is no mail server while one is configured")
	}
	if _, page := b.Get("/me/settings?lang=fr"); !strings.Contains(page, "En attente de confirmation") {
		t.Errorf("French settings page does not say the address waits:\n%s", page)
	}
	b.Get("/me/settings?lang=en")
	linkRE := regexp.MustCompile(regexp.QuoteMeta(in.Base) + `(/confirm/mia/[A-Za-z0-9_-]+)`)
	msgs := smtp.Messages()
	if len(msgs) != 1 || msgs[0].To[0] != "mia@example.org" || linkRE.FindStringSubmatch(msgs[0].Data) == nil {
		t.Fatalf("messages = %+v, want one confirmation link to mia@example.org", msgs)
	}
	link := linkRE.FindStringSubmatch(msgs[0].Data)[1]

	// Opening the link (a mail scanner may) confirms nothing by itself.
	anon := webtest.NewBrowser(t, in)
	resp, page := anon.Get(link)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `action="`+link+`"`) {
		t.Fatalf("GET link: %d\n%s", resp.StatusCode, page)
	}
	if resp.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Error("confirmation page leaks its token in Referer")
	}
	if st, _ := in.Server.Service.EmailStatusOf(context.Background(), service.System("test"), "mia"); st.Confirmed {
		t.Fatal("confirmed by a GET")
	}
	if resp, page := anon.Post(link, nil); resp.StatusCode != http.StatusOK || !strings.Contains(page, "is confirmed") {
		t.Fatalf("POST link: %d\n%s", resp.StatusCode, page)
	}
	if resp, _ := anon.Post(link, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("second use: %d, want 404", resp.StatusCode)
	}
	if resp, _ := anon.Get("/confirm/mia/forged"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("forged link: %d, want 404", resp.StatusCode)
	}
	if _, page := b.Get("/me/settings"); !strings.Contains(page, "This address is confirmed") || strings.Contains(page, "/me/settings/confirm") {
		t.Errorf("settings page after confirmation:\n%s", page)
	}

	// A changed address waits again; resending stops at the mailbox's limit.
	resp, body = b.Post("/me/settings", url.Values{"email": {"mia@other.example"}, "digest": {"daily"}})
	webtest.WantRedirect(t, resp, body, "/me/settings?saved")
	for range 2 {
		resp, body := b.Post("/me/settings/confirm", nil)
		webtest.WantRedirect(t, resp, body, "/me/settings?sent")
	}
	resp, body = b.Post("/me/settings/confirm", nil)
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Too many e-mails") {
		t.Errorf("resend over the limit: %d\n%s", resp.StatusCode, body)
	}
	// An address given at sign-up had no link sent: the page offers one.
	signup := service.SignUpInput{Username: "ana", Password: webtest.AdminPassword, Email: "ana@example.org", Org: "coop"}
	if _, err := in.Server.Service.SignUp(context.Background(), signup); err != nil {
		t.Fatal(err)
	}
	if err := in.Server.Service.ApproveAccount(context.Background(), service.System("test"), "ana"); err != nil {
		t.Fatal(err)
	}
	ana := webtest.NewBrowser(t, in)
	ana.Login("ana", webtest.AdminPassword, http.StatusSeeOther)
	if _, page := ana.Get("/me/settings"); !strings.Contains(page, "not confirmed yet") || !strings.Contains(page, "Send a confirmation link") {
		t.Errorf("settings page of a signed-up account:\n%s", page)
	}
	n := 0
	for _, m := range smtp.Messages() {
		if m.To[0] == "mia@other.example" {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d e-mails to the new address, want 3", n)
	}
}
