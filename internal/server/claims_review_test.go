package server_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/config"
	"codeberg.org/maillage/maillage/internal/testenv"
)

// claimMetaToken is the token of the <meta> line a rel="me" claim's page
// asks for, or "".
func claimMetaToken(page string) string {
	m := regexp.MustCompile(`&lt;meta name="maillage-claim" content="(maillage-claim-[0-9a-f]{32})"&gt;`).FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return m[1]
}

// The reviewer's attack (found in review): a stranger opens a rel="me"
// claim, then the owner does; the owner puts up the link. The stranger's
// checks prove nothing and get no invitation; the owner's claim, proven
// with its own token, waits for an administrator since two are open.
func TestReviewRelMeProofNotBoundToClaimant(t *testing.T) {
	a := testenv.Start(t, "127.0.0.63", testenv.Options{Configure: func(c *config.Config) { c.ClaimsAutoConfirm = true }})
	site := newOrgSite(t)
	importOrg(t, a, "bakery", site.URL+"/")
	attacker := newMeClient(t, a)
	owner := newMeClient(t, a)
	stolen := openClaimPage(t, attacker, "bakery", "relme")
	own := openClaimPage(t, owner, "bakery", "relme")
	_, _, page := owner.do(own, nil)
	tok := claimMetaToken(page)
	site.set("/", `<meta name="maillage-claim" content="`+tok+`"><a rel="me" href="`+a.Actor("bakery")+`">fediverse</a>`)
	s, _, page := attacker.do(stolen, url.Values{})
	if strings.Contains(page, "/join?code=") {
		t.Fatalf("the attacker got the invitation: %d\n%s", s, page)
	}
	if _, _, page := attacker.do(stolen, nil); !strings.Contains(page, "the proof was not found") {
		t.Errorf("the attacker's claim is not shown unproven:\n%s", page)
	}
	s, _, page = owner.do(own, url.Values{})
	if strings.Contains(page, "/join?code=") {
		t.Fatalf("confirmed automatically while another claim is open: %d\n%s", s, page)
	}
	if _, _, page := owner.do(own, nil); !strings.Contains(page, "Proven by the website") {
		t.Errorf("the owner's claim is not proven:\n%s", page)
	}
}
