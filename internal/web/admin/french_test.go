package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/web/webtest"
)

// TestFrenchInterface checks that a French administrator reads French
// throughout: the rule violations the service reports on a form, and the
// dates of the pages, with the month's name.
func TestFrenchInterface(t *testing.T) {
	in, b := webtest.StartAdmin(t, "127.0.0.212")
	b.Header.Set("Accept-Language", "fr")

	resp, body := b.Post("/admin/orgs/coop/profile", webtest.Merge(validProfile(), url.Values{
		"website": {"ftp://valley.example"}, "contact_email": {"nobody"}}))
	webtest.WantFieldError(t, resp, body, "website", "utilisez une adresse http ou https")
	webtest.WantFieldError(t, resp, body, "contact_email", "indiquez une adresse électronique comme contact@coop.example")
	if strings.Contains(body, "use an http or https address") {
		t.Errorf("French form shows the English message:\n%s", body)
	}

	resp, body = b.Post("/admin/orgs/coop/calls/new", webtest.Merge(validCall(), url.Values{"deadline": {"2027-05-03"}}))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish call: status %d\n%s", resp.StatusCode, body)
	}
	call := resp.Header.Get("Location")
	for _, path := range []string{strings.TrimPrefix(call, in.Base), "/admin/orgs/coop"} {
		if _, body := b.Get(path); !strings.Contains(body, "3 mai 2027") || strings.Contains(body, "May 2027") || strings.Contains(body, "2027-05-03<") {
			t.Errorf("French page %s does not show the deadline as 3 mai 2027:\n%s", path, body)
		}
	}
}
