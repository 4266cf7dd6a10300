package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv/testrelay"
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

// TestRelaysPage: the page joins a relay (its protocol told from its
// URL), shows its state and counters, sets its limits and switch, with
// field errors, leaves it, and reads in French.
func TestRelaysPage(t *testing.T) {
	t.Parallel()
	relay := testrelay.Start(t, "127.0.2.41")
	in, b := webtest.StartAdmin(t, "127.0.2.42")
	ctx := context.Background()
	svc := in.Server.Service
	resp, body := b.Get("/admin/relays")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "No relay joined.") {
		t.Fatalf("empty page: status %d\n%s", resp.StatusCode, body)
	}
	if _, dash := b.Get("/admin"); !strings.Contains(dash, `href="/admin/relays"`) {
		t.Error("the admin pages do not link to the relays page")
	}

	for _, u := range []string{"", "ftp://relay.example/inbox", "relay.example", in.Base + "/inbox"} {
		resp, body = b.Post("/admin/relays/add", url.Values{"url": {u}})
		webtest.WantFieldError(t, resp, body, "url", "")
	}
	resp, body = b.Post("/admin/relays/add", url.Values{"url": {" " + relay.Actor + " "}})
	webtest.WantRedirect(t, resp, body, "/admin/relays")
	_, body = b.Get("/admin/relays")
	for _, want := range []string{relay.Actor, "LitePub relay", "waiting for the relay"} {
		if !strings.Contains(body, want) {
			t.Errorf("page after joining lacks %q", want)
		}
	}
	rs, err := svc.Relays(ctx, service.System("test"))
	if err != nil || len(rs) != 1 || rs[0].Protocol != model.RelayLitePub {
		t.Fatalf("relays = %+v, %v", rs, err)
	}
	// The relay's answer (the instance runs no delivery worker here).
	if ok, err := svc.ReceiveRelayAnswer(ctx, relay.Base+"/activities/1", relay.Actor, rs[0].FollowID, true); !ok || err != nil {
		t.Fatalf("accept: %t, %v", ok, err)
	}
	if _, body = b.Get("/admin/relays"); !strings.Contains(body, "accepted") || !strings.Contains(body, "stored 0 of at most 10000") {
		t.Errorf("page after the Accept lacks its state or counters:\n%s", body)
	}

	for _, form := range []url.Values{{"rate": {"x"}, "max_stored": {"5"}}, {"rate": {"0"}, "max_stored": {"5"}}} {
		form.Set("url", relay.Actor)
		resp, body = b.Post("/admin/relays/limits", form)
		webtest.WantFieldError(t, resp, body, "rate", "whole number")
	}
	resp, body = b.Post("/admin/relays/limits", url.Values{"url": {relay.Actor}, "rate": {"7"}, "max_stored": {"-1"}})
	webtest.WantFieldError(t, resp, body, "max_stored", "whole number")
	resp, body = b.Post("/admin/relays/limits", url.Values{"url": {relay.Actor}, "rate": {"7"}, "max_stored": {"70"}})
	webtest.WantRedirect(t, resp, body, "/admin/relays")
	resp, body = b.Post("/admin/relays/pause", url.Values{"url": {relay.Actor}, "paused": {"1"}})
	webtest.WantRedirect(t, resp, body, "/admin/relays")
	if rs, _ = svc.Relays(ctx, service.System("test")); rs[0].Rate != 7 || rs[0].MaxStored != 70 || !rs[0].Paused || rs[0].IsAccepting() {
		t.Errorf("relay after the forms: %+v", rs[0])
	}
	if _, body = b.Get("/admin/relays?lang=fr"); !strings.Contains(body, "relais LitePub") || !strings.Contains(body, "Accepter à nouveau") {
		t.Errorf("French page lacks the relay or its switch:\n%s", body)
	}
	resp, body = b.Post("/admin/relays/discovery", url.Values{"url": {relay.Actor}, "discovery": {"0"}})
	webtest.WantRedirect(t, resp, body, "/admin/relays")
	if rs, _ = svc.Relays(ctx, service.System("test")); !rs[0].NoDiscovery {
		t.Errorf("relay after turning discovery off: %+v", rs[0])
	}
	if _, body = b.Get("/admin/relays?lang=en"); !strings.Contains(body, "no discovery") || !strings.Contains(body, "Read the servers it makes known") {
		t.Errorf("page lacks the discovery switch, off:\n%s", body)
	}

	resp, _ = b.PostFrom("/admin/relays/remove", url.Values{"url": {relay.Actor}}, "cross-site", "")
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site leave: status %d, want 403", resp.StatusCode)
	}
	resp, body = b.Post("/admin/relays/remove", url.Values{"url": {relay.Actor}})
	webtest.WantRedirect(t, resp, body, "/admin/relays")
	if rs, _ = svc.Relays(ctx, service.System("test")); len(rs) != 0 {
		t.Errorf("relays after leaving: %+v", rs)
	}
	if _, err := svc.Relays(ctx, service.Principal{}); err == nil {
		t.Error("an anonymous principal listed the relays")
	}
}
