package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

// TestSettingsWithoutMailServer: with no mail server configured, the
// digest setting says that nothing is e-mailed, in both languages, and no
// button offers to send a confirmation link (nor does posting claim one
// was sent).
func TestSettingsWithoutMailServer(t *testing.T) {
	t.Parallel()
	in := testenv.NewHandler(t, "127.0.0.36", testenv.Options{})
	if in.Config.SMTPAddr != "" {
		t.Fatal("the test instance has a mail server")
	}
	if _, err := in.Server.Service.CreateAccount(context.Background(), service.System("test"), "mia", webtest.AdminPassword, service.RoleMember, []string{"coop"}); err != nil {
		t.Fatal(err)
	}
	b := webtest.NewBrowser(t, in)
	b.Login("mia", webtest.AdminPassword, http.StatusSeeOther)
	resp, body := b.Post("/me/settings", url.Values{"email": {"mia@example.org"}, "digest": {"weekly"}})
	webtest.WantRedirect(t, resp, body, "/me/settings?saved")

	for _, tt := range []struct{ lang, noMail, unconfirmed string }{
		{"en", "This instance has no mail server configured", "It can be once the instance has a mail server."},
		{"fr", "Cette instance n&#39;a pas de serveur de courriel configuré", "quand l&#39;instance aura un serveur de courriel"},
	} {
		_, page := b.Get("/me/settings?lang=" + tt.lang)
		for _, want := range []string{tt.noMail, tt.unconfirmed, `aria-describedby="no-mail"`, `<option value="weekly" selected>`} {
			if !strings.Contains(page, want) {
				t.Errorf("%s settings page lacks %q:\n%s", tt.lang, want, page)
			}
		}
		for _, unwanted := range []string{`action="/me/settings/confirm"`, "Waiting for confirmation", "En attente de confirmation"} {
			if strings.Contains(page, unwanted) {
				t.Errorf("%s settings page offers %q with no mail server", tt.lang, unwanted)
			}
		}
	}
	b.Get("/me/settings?lang=en")
	resp, body = b.Post("/me/settings/confirm", nil)
	webtest.WantRedirect(t, resp, body, "/me/settings")
}
