package admin_test

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

func validProfile() url.Values {
	return url.Values{
		"display_name": {"Valley Mobility"}, "legal_name": {"Valley Mobility SCIC SA"},
		"summary": {"Shared e-bikes in mountain valleys."}, "website": {"https://valley.example"},
		"legal_form": {"fr-scic"}, "legal_form_text": {"SCIC SA"}, "status": {"active"}, "country": {"fr"},
		"location_name": {"Grenoble"}, "latitude": {"45.19"}, "longitude": {"5,72"},
		"sectors": {"mobility", "energy"}, "languages": {"fr, en"}, "founding_year": {"2012"},
		"networks": {"Mountain network\n\n  Coop federation  "}, "contact_email": {"contact@valley.example"},
		"contact_url": {"https://valley.example/contact"}, "icon_url": {"https://valley.example/logo.png"},
		"manual_approve": {"1"},
	}
}

func TestProfileForm(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.27")

	resp, body := b.Post("/admin/orgs/coop/profile", validProfile())
	webtest.WantRedirect(t, resp, body, "/admin/orgs/coop")
	lat, lon := 45.19, 5.72
	want := model.Profile{DisplayName: "Valley Mobility", LegalName: "Valley Mobility SCIC SA",
		Summary: "Shared e-bikes in mountain valleys.", Website: "https://valley.example", LegalForm: "fr-scic",
		LegalFormText: "SCIC SA", Status: "active", Country: "FR",
		Location: &model.Place{Name: "Grenoble", Country: "FR", Latitude: &lat, Longitude: &lon},
		Sectors:  []string{"mobility", "energy"}, Languages: []string{"fr", "en"}, FoundingYear: 2012,
		Networks: []string{"Mountain network", "Coop federation"}, ContactEmail: "contact@valley.example",
		ContactURL: "https://valley.example/contact", IconURL: "https://valley.example/logo.png"}
	o := webtest.Org(t, in, "coop")
	if !reflect.DeepEqual(o.Profile, want) || !o.ManualApprove {
		t.Errorf("saved profile = %+v (manual approve %v)\nwant %+v", o.Profile, o.ManualApprove, want)
	}

	// The form shows what was saved.
	resp, body = b.Get("/admin/orgs/coop/profile")
	for _, s := range []string{`value="Valley Mobility"`, `<option value="fr-scic" selected>`, `<option value="active" selected>`,
		`id="sector-energy" name="sectors" value="energy" checked`, `value="fr, en"`, "Mountain network\nCoop federation",
		`id="manual_approve" name="manual_approve" type="checkbox" value="1" checked`, `value="5.72"`} {
		if !strings.Contains(body, s) {
			t.Errorf("profile form lacks %q", s)
		}
	}
	if resp.StatusCode != http.StatusOK {
		t.Errorf("profile form: status %d", resp.StatusCode)
	}

	// Unticking the box and clearing the location saves that too.
	cleared := webtest.Merge(validProfile(), url.Values{"location_name": {""}, "latitude": {""}, "longitude": {""}})
	delete(cleared, "manual_approve")
	resp, body = b.Post("/admin/orgs/coop/profile", cleared)
	webtest.WantRedirect(t, resp, body, "/admin/orgs/coop")
	if o := webtest.Org(t, in, "coop"); o.ManualApprove || o.Location != nil {
		t.Errorf("after clearing: manual approve %v, location %+v", o.ManualApprove, o.Location)
	}

	if resp, _ := b.Get("/admin/orgs/nosuch/profile"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("profile of an unknown organisation: status %d, want 404", resp.StatusCode)
	}
}

func TestProfileFormErrors(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.28")
	long := strings.Repeat("x", 101)
	tests := []struct {
		field   string
		over    url.Values
		message string
	}{
		{"display_name", url.Values{"display_name": {"  "}}, "is required"},
		{"legal_name", url.Values{"legal_name": {long}}, "at most 100 characters"},
		{"summary", url.Values{"summary": {strings.Repeat("x", 501)}}, "at most 500 characters"},
		{"website", url.Values{"website": {"ftp://valley.example"}}, "use an http or https address"},
		{"legal_form", url.Values{"legal_form": {"xx-nope"}}, "choose a legal form from the list"},
		{"legal_form_text", url.Values{"legal_form_text": {long}}, "at most 100 characters"},
		{"status", url.Values{"status": {"asleep"}}, "must be one of"},
		{"country", url.Values{"country": {"France"}}, "two-letter"},
		{"location", url.Values{"latitude": {"north"}}, "must be numbers"},
		{"location", url.Values{"latitude": {"95"}}, "latitude must be between -90 and 90"},
		{"location", url.Values{"longitude": {""}}, "give both latitude and longitude"},
		{"sectors", url.Values{"sectors": {"mobility", "energy", "housing", "digital"}}, "choose 1 to 3 sectors"},
		{"sectors", url.Values{"sectors": {"space-travel"}}, "unknown sector"},
		{"languages", url.Values{"languages": {"French"}}, "use language codes"},
		{"founding_year", url.Values{"founding_year": {"soon"}}, "give a year such as 1995"},
		{"founding_year", url.Values{"founding_year": {"1500"}}, "give a year such as 1995"},
		{"networks", url.Values{"networks": {long}}, "at most 100 characters"},
		{"contact_email", url.Values{"contact_email": {"contact at valley"}}, "give an e-mail address"},
		{"contact_url", url.Values{"contact_url": {"valley.example/contact"}}, "use an http or https address"},
		{"icon_url", url.Values{"icon_url": {"javascript:alert(1)"}}, "use an http or https address"},
	}
	for _, tt := range tests {
		t.Run(tt.field+"/"+tt.message, func(t *testing.T) {
			form := webtest.Merge(validProfile(), tt.over)
			form.Set("display_name", form.Get("display_name")+" (changed)")
			if tt.field == "display_name" {
				form.Set("display_name", "  ")
			}
			resp, body := b.Post("/admin/orgs/coop/profile", form)
			webtest.WantFieldError(t, resp, body, tt.field, tt.message)
			// The submitted values are shown again (a forged <select> value
			// has no option to show).
			isSelect := tt.field == "legal_form" || tt.field == "status"
			if v := tt.over.Get(tt.field); tt.field != "location" && !isSelect && v != "" && !strings.Contains(body, v) &&
				!strings.Contains(body, `value="`+v+`" checked`) {
				t.Errorf("submitted %s %q not shown again", tt.field, v)
			}
			if !strings.Contains(body, `value="Grenoble"`) {
				t.Error("other submitted values not shown again")
			}
			if o := webtest.Org(t, in, "coop"); strings.Contains(o.DisplayName, "changed") {
				t.Errorf("invalid profile saved: %+v", o.Profile)
			}
		})
	}

	// In French, the page and the form's own messages are French.
	b.Header.Set("Accept-Language", "fr")
	resp, body := b.Post("/admin/orgs/coop/profile", webtest.Merge(validProfile(), url.Values{"founding_year": {"bientôt"}}))
	webtest.WantFieldError(t, resp, body, "founding_year", "indiquez une année")
	if !strings.Contains(body, "Merci de corriger") || !strings.Contains(body, "Mobilité et logistique") {
		t.Errorf("French form lacks French texts:\n%s", body)
	}
}

func TestCreateOrgForm(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.29")
	resp, body := b.Post("/admin/orgs", url.Values{"name": {"second"}, "display_name": {"Second coop"}})
	webtest.WantRedirect(t, resp, body, "/admin/orgs/second/profile")
	if o := webtest.Org(t, in, "second"); o.DisplayName != "Second coop" {
		t.Errorf("created org = %+v", o)
	}
	tests := []struct{ field, name, display, message string }{
		{"name", "second", "Again", "this name is taken"},
		{"name", "Not Valid", "Again", "lower-case letters"},
		{"name", "instance", "Again", "reserved"},
		{"display_name", "third", "", "is required"},
	}
	for _, tt := range tests {
		resp, body := b.Post("/admin/orgs", url.Values{"name": {tt.name}, "display_name": {tt.display}})
		webtest.WantFieldError(t, resp, body, tt.field, tt.message)
		if !strings.Contains(body, `value="`+tt.name+`"`) {
			t.Errorf("%s: submitted name not shown again", tt.message)
		}
	}
	if orgs, _ := in.Server.Service.Orgs(t.Context()); len(orgs) != 2 {
		t.Errorf("%d organisations, want 2", len(orgs))
	}
}
