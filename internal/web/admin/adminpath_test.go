package admin_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

// summaryOrder returns the fields the error summary links to, in order.
func summaryOrder(t *testing.T, body string) []string {
	t.Helper()
	i := strings.Index(body, `class="error-summary"`)
	if i < 0 {
		t.Fatalf("no error summary in\n%s", body)
	}
	end := strings.Index(body[i:], "</div>")
	var fields []string
	for _, part := range strings.Split(body[i:i+end], `<a href="#`)[1:] {
		fields = append(fields, part[:strings.Index(part, `"`)])
	}
	return fields
}

// A call with problems in many fields, some the form finds itself (a date
// that is not one, a coordinate that is not a number) and some the service
// finds, reports them all at once, summarised in the order of the form.
// Before, the form's own problems hid the others, and the summary was in
// alphabetical order.
func TestObjectFormReportsAllErrorsInOrder(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.234")
	form := webtest.Merge(validCall(), url.Values{"title": {""}, "sectors": nil, "latitude": {"north"},
		"deadline": {"soon"}, "partner_roles": nil, "eligible_countries": {"France"}})
	resp, body := b.Post("/admin/orgs/coop/calls/new", form)
	for field, msg := range map[string]string{"title": "is required", "sectors": "choose 1 to 3 sectors", "location": "must be numbers",
		"deadline": "YYYY-MM-DD", "partner_roles": "at least one partner role", "eligible_countries": "two-letter"} {
		webtest.WantFieldError(t, resp, body, field, msg)
	}
	want := []string{"title", "sectors", "location", "deadline", "partner_roles", "eligible_countries"}
	if got := summaryOrder(t, body); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("summary order %v, want %v", got, want)
	}
	for _, item := range []string{`<a href="#title">Title: is required</a>`, `<a href="#partner_roles">Partner roles sought: Choose at least one`} {
		if !strings.Contains(body, item) {
			t.Errorf("the summary does not name the field: no %s", item)
		}
	}
	if n := len(webtest.ObjectsOf(t, in, in.Actor("coop"))); n != 0 {
		t.Errorf("%d objects published by an invalid form", n)
	}

	// The profile form too: a year that is not a number no longer hides
	// the other fields' problems.
	resp, body = b.Post("/admin/orgs/coop/profile", webtest.Merge(validProfile(), url.Values{"display_name": {""},
		"website": {"valley.example"}, "founding_year": {"twenty twelve"}, "contact_email": {"nobody"}}))
	for field, msg := range map[string]string{"display_name": "is required", "website": "http", "founding_year": "year", "contact_email": "e-mail"} {
		webtest.WantFieldError(t, resp, body, field, msg)
	}
	want = []string{"display_name", "website", "founding_year", "contact_email"}
	if got := summaryOrder(t, body); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("profile summary order %v, want %v", got, want)
	}
}

// A call needs a partner role, and a deadline already past is refused
// unless confirmed with the box the refusal shows; an edit that keeps a
// past deadline is not asked again.
func TestCallFormDeadlineAndRoles(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.235")
	resp, body := b.Post("/admin/orgs/coop/calls/new", webtest.Merge(validCall(), url.Values{"partner_roles": nil}))
	webtest.WantFieldError(t, resp, body, "partner_roles", "Choose at least one partner role sought.")

	past := webtest.Merge(validCall(), url.Values{"start_time": {"2019-01-01"}, "end_time": {"2020-06-30"}, "deadline": {"2020-01-15"}})
	resp, body = b.Post("/admin/orgs/coop/calls/new", past)
	webtest.WantFieldError(t, resp, body, "deadline", "already passed")
	if !strings.Contains(body, `name="confirm_past_deadline"`) {
		t.Errorf("no box to confirm the past deadline:\n%s", body)
	}
	if n := len(webtest.ObjectsOf(t, in, in.Actor("coop"))); n != 0 {
		t.Fatalf("%d objects published with a past deadline not confirmed", n)
	}
	if _, body := b.Get("/admin/orgs/coop/calls/new"); strings.Contains(body, `name="confirm_past_deadline"`) {
		t.Error("the empty form shows the confirmation box")
	}
	resp, body = b.Post("/admin/orgs/coop/calls/new", webtest.Merge(past, url.Values{"confirm_past_deadline": {"1"}}))
	call := only(t, in, model.KindCall)
	webtest.WantRedirect(t, resp, body, call.ID)

	path := "/admin" + strings.TrimPrefix(call.ID, in.Base)
	resp, body = b.Post(path+"/edit", webtest.Merge(past, url.Values{"title": {"Pilot territories (archive)"}}))
	webtest.WantRedirect(t, resp, body, call.ID)
	resp, body = b.Post(path+"/edit", webtest.Merge(past, url.Values{"deadline": {"2020-02-01"}}))
	webtest.WantFieldError(t, resp, body, "deadline", "already passed")
	if got := only(t, in, model.KindCall); got.Title != "Pilot territories (archive)" {
		t.Errorf("after the edits: %+v", got)
	}
}

// Each successful form says what it did on the page its redirect opens,
// once, in the reader's language.
func TestSavedNotices(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.236")
	follow := func(resp *http.Response) string {
		t.Helper()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d, want 303", resp.StatusCode)
		}
		loc := strings.TrimPrefix(resp.Header.Get("Location"), in.Base)
		_, body := b.Get(loc)
		return body
	}
	notice := func(body string) string {
		i := strings.Index(body, `<p role="status" class="saved">`)
		if i < 0 {
			return ""
		}
		rest := body[i+len(`<p role="status" class="saved">`):]
		return rest[:strings.Index(rest, "</p>")]
	}

	resp, _ := b.Post("/admin/orgs/coop/profile", validProfile())
	if got := notice(follow(resp)); got != "Profile saved: your followers receive the change." {
		t.Errorf("after saving the profile: notice %q", got)
	}
	if _, body := b.Get("/admin/orgs/coop"); notice(body) != "" {
		t.Errorf("the notice is shown again on the next page: %q", notice(body))
	}
	resp, _ = b.Post("/admin/orgs/coop/calls/new", validCall())
	if got := notice(follow(resp)); got != "Published: your followers receive it now." {
		t.Errorf("after publishing: notice %q", got)
	}
	call := only(t, in, model.KindCall)
	path := "/admin" + strings.TrimPrefix(call.ID, in.Base)
	b.Header.Set("Accept-Language", "fr")
	resp, _ = b.Post(path+"/close", url.Values{"status": {"filled"}})
	if got := notice(follow(resp)); got != "L’appel est clos." {
		t.Errorf("after closing, in French: notice %q", got)
	}
	resp, _ = b.Post("/admin/moderation/block", url.Values{"target": {"spam.example"}, "confirm": {"1"}})
	if got := notice(follow(resp)); got != "Bloqué." {
		t.Errorf("after blocking: notice %q", got)
	}
	// A notice cookie with another name makes no page say anything.
	u, _ := url.Parse(in.Base)
	b.Client.Jar.SetCookies(u, []*http.Cookie{{Name: "maillage_saved", Value: "payhere", Path: "/"}})
	if _, body := b.Get("/admin"); notice(body) != "" || strings.Contains(body, "payhere") {
		t.Errorf("a forged notice shows: %q", notice(body))
	}
	// A failed form says nothing of the kind.
	if resp, body := b.Post("/admin/orgs/coop/calls/new", url.Values{}); resp.StatusCode != http.StatusUnprocessableEntity || notice(body) != "" {
		t.Errorf("invalid form: status %d, notice %q", resp.StatusCode, notice(body))
	}
}

// A received report waits on the dashboard, linked to the moderation
// page, where it can be dismissed or answered by blocking who sent it,
// after a confirmation page; either way it no longer waits.
func TestReportActionsAndDashboard(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.237")
	ctx := t.Context()
	svc := in.Server.Service
	if _, body := b.Get("/admin"); !strings.Contains(body, "Nothing waits for you.") || !strings.Contains(body, "Calls: 0 (0 open)") {
		t.Errorf("empty dashboard:\n%s", body)
	}
	for i, host := range []string{"127.0.0.95:9", "127.0.0.96:9"} {
		err := svc.ReceiveFlag(ctx, "http://"+host+"/flags/1", "http://"+host+"/actor", []string{in.Actor("coop")}, "spam "+string(rune('A'+i)))
		if err != nil {
			t.Fatal(err)
		}
	}
	_, body := b.Get("/admin")
	if !strings.Contains(body, `<a href="/admin/moderation#reports">Reports received from other servers <strong class="count">2</strong></a>`) {
		t.Errorf("dashboard lacks the two reports:\n%s", body)
	}
	reports, _ := svc.Reports(ctx, service.System("test"))
	first, second := reports[1], reports[0] // newest first
	_, body = b.Get("/admin/moderation")
	for _, want := range []string{
		`action="/admin/moderation/reports/` + itoa(first.ID) + `/dismiss"`,
		`href="/admin/moderation/block?target=127.0.0.95%3a9&amp;report=` + itoa(first.ID) + `"`,
		`href="/admin/moderation/block?target=http%3a%2f%2f127.0.0.95%3a9%2factor&amp;report=` + itoa(first.ID) + `"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("moderation page lacks %s", want)
		}
	}

	// Block the first report's server: a confirmation page first.
	resp, body := b.Get("/admin/moderation/block?target=127.0.0.95%3a9&report=" + itoa(first.ID))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `name="report" value="`+itoa(first.ID)+`"`) ||
		!strings.Contains(body, "whole server 127.0.0.95:9") {
		t.Fatalf("confirmation page: status %d\n%s", resp.StatusCode, body)
	}
	if svc.IsBlocked(ctx, "http://127.0.0.95:9/actor") {
		t.Fatal("blocked by the confirmation page")
	}
	resp, body = b.Post("/admin/moderation/block", url.Values{"target": {"127.0.0.95:9"}, "confirm": {"1"}, "report": {itoa(first.ID)}})
	webtest.WantRedirect(t, resp, body, "/admin/moderation")
	if !svc.IsBlocked(ctx, "http://127.0.0.95:9/actor") {
		t.Error("not blocked after the confirmation")
	}
	// Dismiss the second.
	resp, body = b.Post("/admin/moderation/reports/"+itoa(second.ID)+"/dismiss", nil)
	webtest.WantRedirect(t, resp, body, "/admin/moderation#reports")
	if svc.IsBlocked(ctx, "http://127.0.0.96:9/actor") {
		t.Error("dismissing blocked")
	}
	reports, _ = svc.Reports(ctx, service.System("test"))
	for _, r := range reports {
		if r.Dismissed.IsZero() {
			t.Errorf("report %d still open", r.ID)
		}
	}
	if _, body := b.Get("/admin"); !strings.Contains(body, "Nothing waits for you.") {
		t.Errorf("dashboard after both:\n%s", body)
	}
	if _, body := b.Get("/admin/moderation"); strings.Contains(body, "/dismiss") || !strings.Contains(body, "Dismissed on") {
		t.Errorf("moderation page after both still offers actions:\n%s", body)
	}
	if resp, _ := b.Post("/admin/moderation/reports/999/dismiss", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("dismiss an unknown report: status %d, want 404", resp.StatusCode)
	}
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

// The network page shows who asks to follow: name, initials (never the
// remote icon, which would be loaded from its server), server and sectors.
func TestNetworkListsSayWho(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.238")
	resp, body := b.Post("/admin/orgs/coop/profile", webtest.Merge(validProfile(), url.Values{"manual_approve": {"1"}}))
	webtest.WantRedirect(t, resp, body, "/admin/orgs/coop")
	solar := model.Actor{ID: "http://127.0.0.97:9/orgs/solar", Type: "Organization", Username: "solar", Host: "127.0.0.97:9",
		Inbox: "http://127.0.0.97:9/orgs/solar/inbox", IconURL: "http://127.0.0.97:9/icon.png",
		Profile: &model.Profile{DisplayName: "Solar Coop Lyon", Sectors: []string{"energy", "housing"}}}
	if err := in.Server.Service.ReceiveFollow(t.Context(), solar.ID+"#follow", "coop", solar); err != nil {
		t.Fatal(err)
	}
	_, body = b.Get("/admin/orgs/coop/network")
	i := strings.Index(body, `id="requests"`)
	if i < 0 {
		t.Fatalf("no requests section:\n%s", body)
	}
	section := body[i:]
	for _, want := range []string{`<span class="avatar" aria-hidden="true">SC</span>`, "<strong>Solar Coop Lyon</strong>", "@solar@127.0.0.97:9",
		"127.0.0.97:9 · Energy, Housing", `name="decision" value="approve"`} {
		if !strings.Contains(section, want) {
			t.Errorf("follow request lacks %q:\n%s", want, section)
		}
	}
	if strings.Contains(body, solar.IconURL) {
		t.Error("the page loads the remote icon from its server")
	}
	if _, body := b.Get("/admin/orgs/coop/network?lang=fr"); !strings.Contains(body, "127.0.0.97:9 · Énergie") {
		t.Errorf("sectors not in French:\n%s", body)
	}
}

// A place typed by name without coordinates gets them from the offline
// gazetteer, in the profile and in a project or call; typed coordinates
// and unknown names are kept as they are.
func TestPlaceNameFillsCoordinates(t *testing.T) {
	t.Parallel()
	in, b := webtest.StartAdmin(t, "127.0.0.240")
	near := func(p *model.Place, lat, lon float64) bool {
		return p != nil && p.Latitude != nil && p.Longitude != nil &&
			*p.Latitude > lat-0.2 && *p.Latitude < lat+0.2 && *p.Longitude > lon-0.2 && *p.Longitude < lon+0.2
	}
	resp, body := b.Post("/admin/orgs/coop/profile", webtest.Merge(validProfile(), url.Values{"location_name": {"Lyon"}, "latitude": {""}, "longitude": {""}}))
	webtest.WantRedirect(t, resp, body, "/admin/orgs/coop")
	if l := webtest.Org(t, in, "coop").Location; !near(l, 45.75, 4.85) || l.Name != "Lyon" {
		t.Errorf("profile location = %+v, want Lyon's coordinates", l)
	}
	resp, body = b.Post("/admin/orgs/coop/projects/new", webtest.Merge(validProject(), url.Values{
		"location_name": {"Valencia"}, "location_country": {""}, "latitude": {""}, "longitude": {""}}))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("project: status %d\n%s", resp.StatusCode, body)
	}
	if l := only(t, in, model.KindProject).Location; !near(l, 39.47, -0.38) || l.Country != "ES" {
		t.Errorf("project location = %+v, want Valencia, ES", l)
	}
	resp, body = b.Post("/admin/orgs/coop/calls/new", webtest.Merge(validCall(), url.Values{
		"location_name": {"Nowhere-sur-Rien"}, "latitude": {""}, "longitude": {""}}))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("call: status %d\n%s", resp.StatusCode, body)
	}
	if l := only(t, in, model.KindCall).Location; l == nil || l.Name != "Nowhere-sur-Rien" || l.Latitude != nil {
		t.Errorf("call location = %+v, want the name alone", l)
	}
	if _, body := b.Get("/admin/orgs/coop/calls/new"); !strings.Contains(body, "filled from the place name") {
		t.Error("the form does not say that a place name is enough")
	}
}

// The password change reports a new password too short along with two
// that differ.
func TestPasswordChangeReportsAllErrors(t *testing.T) {
	t.Parallel()
	_, b := webtest.StartAdmin(t, "127.0.0.245")
	resp, body := b.Post("/admin/account/password", url.Values{"current": {webtest.AdminPassword}, "password": {"short"}, "password_again": {"other"}})
	webtest.WantFieldError(t, resp, body, "password", "12")
	webtest.WantFieldError(t, resp, body, "password_again", "")
}
