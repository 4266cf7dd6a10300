package admin_test

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

func validCall() url.Values {
	return url.Values{
		"title": {"Looking for pilot territories"}, "summary": {"Two rural territories."},
		"text": {"## What we bring\n\nCars and **software**."}, "lang": {"en"}, "sectors": {"mobility", "energy"},
		"location_name": {"Grenoble"}, "location_country": {"fr"}, "latitude": {"45.19"}, "longitude": {"5.72"},
		"status": {"open"}, "start_time": {"2026-09-01"}, "end_time": {"2027-06-30"}, "deadline": {"2027-03-15"},
		"partner_roles": {"pilot-territory", "co-investor"}, "eligible_countries": {"fr, be"},
		"funding_programme": {"Horizon Europe"}, "funding_call_id": {"HORIZON-CL5-2027"},
		"how_to_respond": {"Write to us."},
	}
}

func validProject() url.Values {
	return url.Values{
		"title": {"Shared cars in the valleys"}, "summary": {"Car-sharing for rural areas."}, "text": {"Details."},
		"sectors": {"mobility"}, "status": {"planning"}, "start_time": {"2026-01-01"},
		"partners": {"Coop A | https://a.example\n\nCoop B"}, "funding_amount": {"250 000"}, "funding_currency": {"eur"},
	}
}

func date(s string) *time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return &t
}

func TestObjectForms(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.20")

	// A project, then a call related to it.
	resp, body := b.Post("/admin/orgs/coop/projects/new", validProject())
	objs := webtest.ObjectsOf(t, in, in.Actor("coop"))
	if len(objs) != 1 {
		t.Fatalf("%d objects after publishing a project, want 1\n%s", len(objs), body)
	}
	project := objs[0]
	webtest.WantRedirect(t, resp, body, project.ID)
	if project.Kind != model.KindProject || project.Status != "planning" || !reflect.DeepEqual(project.StartTime, date("2026-01-01")) ||
		!reflect.DeepEqual(project.Partners, []model.Partner{{Name: "Coop A", URL: "https://a.example"}, {Name: "Coop B"}}) ||
		!reflect.DeepEqual(project.FundingSought, &model.Money{Amount: 250000, Currency: "EUR"}) {
		t.Errorf("published project = %+v", project)
	}

	form := validCall()
	form.Set("related_project", project.ID)
	resp, body = b.Post("/admin/orgs/coop/calls/new", form)
	call := only(t, in, model.KindCall)
	webtest.WantRedirect(t, resp, body, call.ID)
	lat, lon := 45.19, 5.72
	want := model.Object{ID: call.ID, Kind: model.KindCall, AttributedTo: in.Actor("coop"), Local: true,
		Title: "Looking for pilot territories", Summary: "Two rural territories.", Text: "## What we bring\n\nCars and **software**.",
		URL: call.ID, Sectors: []string{"mobility", "energy"}, Lang: "en",
		Location: &model.Place{Name: "Grenoble", Country: "FR", Latitude: &lat, Longitude: &lon}, Status: "open",
		StartTime: date("2026-09-01"), EndTime: date("2027-06-30"), Deadline: date("2027-03-15"),
		PartnerRoles: []string{"pilot-territory", "co-investor"}, EligibleCountries: []string{"FR", "BE"},
		RelatedProject: project.ID, FundingProgramme: "Horizon Europe", FundingCallID: "HORIZON-CL5-2027",
		HowToRespond: "Write to us.", Published: call.Published, Updated: call.Updated}
	if !reflect.DeepEqual(call, want) {
		t.Errorf("published call = %+v\nwant %+v", call, want)
	}
	if s, page := in.Get(call.ID, "text/html"); s != http.StatusOK || !strings.Contains(string(page), "<strong>software</strong>") {
		t.Errorf("call page: status %d, Markdown not rendered", s)
	}

	// The list shows both, with their actions.
	_, body = b.Get("/admin/orgs/coop")
	path := "/admin" + strings.TrimPrefix(call.ID, in.Base)
	for _, s := range []string{call.Title, project.Title, path + "/edit", path + "/delete", path + "/replies", path + "/close"} {
		if !strings.Contains(body, s) {
			t.Errorf("list lacks %q", s)
		}
	}

	// The edit form shows every field; saving it unchanged changes nothing
	// but the update time.
	_, body = b.Get(path + "/edit")
	for _, s := range []string{`value="Looking for pilot territories"`, `value="2027-03-15"`, `id="role-co-investor" name="partner_roles" value="co-investor" checked`,
		`<option value="open" selected>`, `value="FR, BE"`, `value="` + project.ID + `"`} {
		if !strings.Contains(body, s) {
			t.Errorf("edit form lacks %q", s)
		}
	}
	form = validCall()
	form.Set("related_project", project.ID)
	form.Set("title", "Looking for two pilot territories")
	form.Set("deadline", "2027-04-01")
	resp, body = b.Post(path+"/edit", form)
	webtest.WantRedirect(t, resp, body, call.ID)
	edited := only(t, in, model.KindCall)
	if edited.Title != "Looking for two pilot territories" || !reflect.DeepEqual(edited.Deadline, date("2027-04-01")) || edited.ID != call.ID {
		t.Errorf("edited call = %+v", edited)
	}

	// Close: filled.
	resp, body = b.Post(path+"/close", url.Values{"status": {"filled"}})
	webtest.WantRedirect(t, resp, body, "/admin/orgs/coop")
	if got := only(t, in, model.KindCall); got.Status != "filled" || got.Title != edited.Title || got.RelatedProject != project.ID {
		t.Errorf("after closing: %+v", got)
	}
	if resp, _ := b.Post(path+"/close", url.Values{"status": {"open"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("close with status open: %d, want 400", resp.StatusCode)
	}

	// Delete asks first, then deletes.
	ppath := "/admin" + strings.TrimPrefix(project.ID, in.Base)
	resp, body = b.Get(ppath + "/delete")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `action="`+ppath+`/delete"`) || !strings.Contains(body, project.Title) {
		t.Errorf("delete confirmation: status %d\n%s", resp.StatusCode, body)
	}
	if n := len(webtest.ObjectsOf(t, in, in.Actor("coop"))); n != 2 {
		t.Errorf("the confirmation page deleted something: %d objects", n)
	}
	resp, body = b.Post(ppath+"/delete", nil)
	webtest.WantRedirect(t, resp, body, "/admin/orgs/coop")
	if s, _ := in.Get(project.ID, "text/html"); s != http.StatusGone {
		t.Errorf("deleted project page: status %d, want 410", s)
	}
	for _, p := range []string{ppath + "/edit", ppath + "/delete", "/admin/orgs/coop/calls/nosuch/edit",
		strings.Replace(path, "/calls/", "/projects/", 1) + "/edit", strings.Replace(path, "/coop/", "/instance/", 1) + "/edit"} {
		if resp, _ := b.Get(p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", p, resp.StatusCode)
		}
	}
}

// TestObjectFormKeeps checks that the form keeps what it does not show:
// translations and a time of day set through the API.
func TestObjectFormKeeps(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.21")
	deadline := time.Date(2027, 3, 15, 17, 30, 0, 0, time.UTC)
	var call model.Object
	in.API("POST", "/api/v1/orgs/coop/objects", service.ObjectInput{Kind: model.KindCall, Title: "Call", Sectors: []string{"energy"},
		Lang: "en", Translations: map[string]model.Translation{"fr": {Title: "Appel"}}, Deadline: service.Time(deadline)}, &call)
	path := "/admin" + strings.TrimPrefix(call.ID, in.Base)
	resp, body := b.Post(path+"/edit", url.Values{"title": {"Call, edited"}, "sectors": {"energy"}, "lang": {"en"},
		"status": {"open"}, "deadline": {"2027-03-15"}, "partner_roles": {"co-developer"}})
	webtest.WantRedirect(t, resp, body, call.ID)
	got := webtest.ObjectsOf(t, in, in.Actor("coop"))[0]
	if got.Title != "Call, edited" || got.Translations["fr"].Title != "Appel" || !got.Deadline.Equal(deadline) {
		t.Errorf("after editing: title %q, translations %v, deadline %v", got.Title, got.Translations, got.Deadline)
	}
}

func TestObjectFormErrors(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.22")
	long := func(n int) string { return strings.Repeat("x", n) }
	tests := []struct {
		kind, field string
		over        url.Values
		message     string
	}{
		{"calls", "title", url.Values{"title": {""}}, "is required"},
		{"calls", "title", url.Values{"title": {long(201)}}, "at most 200 characters"},
		{"calls", "summary", url.Values{"summary": {long(501)}}, "at most 500 characters"},
		{"calls", "text", url.Values{"text": {long(20001)}}, "at most 20000 characters"},
		{"calls", "lang", url.Values{"lang": {"English"}}, "use a language code"},
		{"calls", "sectors", url.Values{"sectors": nil}, "choose 1 to 3 sectors"},
		{"calls", "sectors", url.Values{"sectors": {"a", "b", "c", "d"}}, "choose 1 to 3 sectors"},
		{"calls", "location", url.Values{"longitude": {""}}, "give both latitude and longitude"},
		{"calls", "location", url.Values{"latitude": {"north"}}, "must be numbers"},
		{"calls", "location", url.Values{"location_country": {"France"}}, "two-letter"},
		{"calls", "status", url.Values{"status": {"active"}}, "must be one of open"},
		{"calls", "start_time", url.Values{"start_time": {"soon"}}, "YYYY-MM-DD"},
		{"calls", "end_time", url.Values{"end_time": {"2026-01-01"}}, "must not be before the start"},
		{"calls", "deadline", url.Values{"deadline": {"15/03/2027"}}, "YYYY-MM-DD"},
		{"calls", "partner_roles", url.Values{"partner_roles": {"wizard"}}, "unknown role"},
		{"calls", "eligible_countries", url.Values{"eligible_countries": {"FRA"}}, "two-letter"},
		{"calls", "related_project", url.Values{"related_project": {"my project"}}, "give the project's address"},
		{"calls", "funding_programme", url.Values{"funding_programme": {long(101)}}, "at most 100 characters"},
		{"calls", "funding_call_id", url.Values{"funding_call_id": {long(101)}}, "at most 100 characters"},
		{"calls", "how_to_respond", url.Values{"how_to_respond": {long(2001)}}, "at most 2000 characters"},
		{"projects", "title", url.Values{"title": {" "}}, "is required"},
		{"projects", "status", url.Values{"status": {"open"}}, "must be one of idea"},
		{"projects", "partners", url.Values{"partners": {"| https://a.example"}}, "is required"},
		{"projects", "partners", url.Values{"partners": {"Coop A | ftp://a.example"}}, "use an http or https address"},
		{"projects", "funding_sought", url.Values{"funding_amount": {"lots"}}, "give a whole amount"},
		{"projects", "funding_sought", url.Values{"funding_currency": {"euro"}}, "a currency such as EUR"},
		{"projects", "funding_sought", url.Values{"funding_amount": {"-5"}}, "give a positive amount"},
	}
	for _, tt := range tests {
		t.Run(tt.kind+"/"+tt.field+"/"+tt.message, func(t *testing.T) {
			base := validCall()
			if tt.kind == "projects" {
				base = validProject()
			}
			form := webtest.Merge(base, tt.over)
			resp, body := b.Post("/admin/orgs/coop/"+tt.kind+"/new", form)
			webtest.WantFieldError(t, resp, body, tt.field, tt.message)
			if !strings.Contains(body, `action="/admin/orgs/coop/`+tt.kind+`/new"`) {
				t.Error("the form is not shown again")
			}
			if tt.field != "title" && !strings.Contains(body, `value="`+form.Get("title")+`"`) {
				t.Error("submitted title not shown again")
			}
		})
	}
	if objs := webtest.ObjectsOf(t, in, in.Actor("coop")); len(objs) != 0 {
		t.Errorf("invalid forms published %d objects", len(objs))
	}

	// Editing goes through the same checks and changes nothing when they fail.
	resp, body := b.Post("/admin/orgs/coop/calls/new", validCall())
	call := webtest.ObjectsOf(t, in, in.Actor("coop"))[0]
	webtest.WantRedirect(t, resp, body, call.ID)
	path := "/admin" + strings.TrimPrefix(call.ID, in.Base)
	resp, body = b.Post(path+"/edit", webtest.Merge(validCall(), url.Values{"title": {""}, "deadline": {"tomorrow"}}))
	webtest.WantFieldError(t, resp, body, "deadline", "YYYY-MM-DD")
	resp, body = b.Post(path+"/edit", webtest.Merge(validCall(), url.Values{"title": {""}}))
	webtest.WantFieldError(t, resp, body, "title", "is required")
	if got := webtest.ObjectsOf(t, in, in.Actor("coop"))[0]; got.Title != call.Title || !got.Updated.Equal(call.Updated) {
		t.Errorf("invalid edit saved: %+v", got)
	}
}

// only returns coop's one object of kind.
func only(t *testing.T, in *testenv.Instance, kind model.Kind) model.Object {
	t.Helper()
	var found []model.Object
	for _, o := range webtest.ObjectsOf(t, in, in.Actor("coop")) {
		if o.Kind == kind {
			found = append(found, o)
		}
	}
	if len(found) != 1 {
		t.Fatalf("coop has %d %ss, want 1", len(found), kind)
	}
	return found[0]
}

// waitHolds waits until in holds object id of actor, as received.
func waitHolds(t *testing.T, in *testenv.Instance, actor, id string) model.Object {
	t.Helper()
	var found model.Object
	testenv.WaitFor(t, webtest.Wait, in.Host+" to hold "+id, func() bool {
		for _, o := range webtest.ObjectsOf(t, in, actor) {
			if o.ID == id {
				found = o
				return true
			}
		}
		return false
	})
	return found
}
