package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

// TestModerationPage: the page lists blocks and reports, and its forms
// block, unblock and report, with field errors and the cross-origin check.
func TestModerationPage(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.94")
	ctx := context.Background()
	resp, body := b.Get("/admin/moderation")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Nothing is blocked.") || !strings.Contains(body, "No report yet.") {
		t.Fatalf("empty page: status %d\n%s", resp.StatusCode, body)
	}
	if _, dash := b.Get("/admin"); !strings.Contains(dash, `href="/admin/moderation"`) {
		t.Error("the admin pages do not link to the moderation page")
	}

	// Blocking asks first, and blocks only once confirmed.
	resp, body = b.Post("/admin/moderation/block", url.Values{"target": {" Spam.Example "}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `name="confirm" value="1"`) || !strings.Contains(body, "whole server spam.example") {
		t.Errorf("block form: status %d, want the confirmation page\n%s", resp.StatusCode, body)
	}
	if in.Server.Service.IsBlocked(ctx, "https://spam.example/users/x") {
		t.Error("spam.example blocked before the confirmation")
	}
	resp, body = b.Post("/admin/moderation/block", url.Values{"target": {"spam.example"}, "confirm": {"1"}})
	webtest.WantRedirect(t, resp, body, "/admin/moderation")
	_, body = b.Get("/admin/moderation")
	if !strings.Contains(body, "<strong>spam.example</strong>") || !strings.Contains(body, "whole server") {
		t.Errorf("page after blocking lacks the block:\n%s", body)
	}
	if !in.Server.Service.IsBlocked(ctx, "https://spam.example/users/x") {
		t.Error("spam.example not blocked")
	}

	for _, target := range []string{"", "nobody@nowhere.example", in.Actor("coop")} {
		resp, body = b.Post("/admin/moderation/block", url.Values{"target": {target}})
		webtest.WantFieldError(t, resp, body, "target", "")
	}
	resp, _ = b.PostFrom("/admin/moderation/block", url.Values{"target": {"other.example"}}, "cross-site", "")
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site block: status %d, want 403", resp.StatusCode)
	}
	if blocks, _ := in.Server.Service.Blocks(ctx, service.System("test")); len(blocks) != 1 {
		t.Errorf("blocks = %+v, want spam.example only", blocks)
	}

	// A received report shows its reporter and its comment, escaped.
	err := in.Server.Service.ReceiveFlag(ctx, "http://127.0.0.95:9/flags/1", "http://127.0.0.95:9/actor",
		[]string{in.Actor("coop")}, "<b>Spam</b> & more")
	if err != nil {
		t.Fatal(err)
	}
	_, body = b.Get("/admin/moderation")
	for _, want := range []string{"Received from", "http://127.0.0.95:9/actor", "&lt;b&gt;Spam&lt;/b&gt; &amp; more", in.Actor("coop")} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}

	// The report form: errors next to their fields.
	resp, body = b.Post("/admin/moderation/report", url.Values{"actor": {in.Actor("coop")}, "comment": {"x"}})
	webtest.WantFieldError(t, resp, body, "actor", "remote")
	resp, body = b.Post("/admin/moderation/report", url.Values{"actor": {"someone@spam.example"}, "forward": {"1"}})
	if resp.StatusCode != http.StatusBadGateway || !strings.Contains(body, `id="err-actor"`) {
		t.Errorf("report of an unknown actor on a blocked server: status %d", resp.StatusCode)
	}

	resp, body = b.Post("/admin/moderation/unblock", url.Values{"target": {"spam.example"}})
	webtest.WantRedirect(t, resp, body, "/admin/moderation")
	if _, body = b.Get("/admin/moderation?lang=fr"); !strings.Contains(body, "Rien n&#39;est bloqué.") {
		t.Errorf("French page after unblocking:\n%s", body)
	}

	anon := webtest.NewBrowser(t, in)
	if resp, _ := anon.Get("/admin/moderation"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("page without a session: status %d, want a redirect to the login", resp.StatusCode)
	}
	if rs, _ := in.Server.Service.Reports(ctx, service.System("test")); len(rs) != 1 || rs[0].Local {
		t.Errorf("reports = %+v, want the received one only", rs)
	}
}
