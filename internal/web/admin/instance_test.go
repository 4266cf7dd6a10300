package admin_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

// TestInstanceForm describes the instance through its form, in both
// languages, and reports a region too long beside its field.
func TestInstanceForm(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.26")

	form := url.Values{"name": {"Réseau Occitan"}, "summary": {"Les coopératives d'Occitanie."},
		"languages": {"fr, oc"}, "region": {"Occitanie"}, "country": {"fr"}}
	resp, body := b.Post("/admin/instance", form)
	webtest.WantRedirect(t, resp, body, "/admin/instance?saved=1")
	o := webtest.Org(t, in, model.InstanceName)
	if o.DisplayName != "Réseau Occitan" || o.Summary != "Les coopératives d'Occitanie." || o.Region != "Occitanie" ||
		o.Country != "FR" || !slices.Equal(o.Languages, []string{"fr", "oc"}) {
		t.Errorf("instance profile = %+v", o.Profile)
	}

	// French, then English: the language chosen is kept (a cookie) for
	// the forms posted next.
	for _, tc := range []struct{ lang, want string }{{"fr", "Région desservie"}, {"en", "Region served"}} {
		lang, want := tc.lang, tc.want
		resp, body := b.Get("/admin/instance?lang=" + lang)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, want) || !strings.Contains(body, `value="Occitanie"`) {
			t.Errorf("%s: form status %d, want %q and the saved region in\n%s", lang, resp.StatusCode, want, body)
		}
	}

	resp, body = b.Post("/admin/instance", webtest.Merge(form, url.Values{"region": {strings.Repeat("x", 101)}}))
	webtest.WantFieldError(t, resp, body, "region", "at most 100")
	resp, body = b.Post("/admin/instance", webtest.Merge(form, url.Values{"name": {""}}))
	webtest.WantFieldError(t, resp, body, "name", "")
	if got := webtest.Org(t, in, model.InstanceName).Region; got != "Occitanie" {
		t.Errorf("a refused form changed the region to %q", got)
	}
}
