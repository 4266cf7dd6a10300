package web_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/web/webtest"
	"codeberg.org/maillage/maillage/seeds"
)

// TestFederatedDirectory runs two instances: B follows A's organisation
// and A's instance actor, and B's directory follows what A publishes,
// edits and deletes, and A's organisation once its profile arrives.
func TestFederatedDirectory(t *testing.T) {
	a := testenv.Start(t, "127.0.0.41", testenv.Options{})
	b := testenv.Start(t, "127.0.0.42", testenv.Options{})
	followAndWait(t, b, "coop", a.Handle("coop"), a.Actor("coop"))
	followAndWait(t, b, "instance", a.Host, a.Actor("instance"))

	project := publishObject(t, a, "coop", seeds.Example("mobility-project"))
	call := publishObject(t, a, "coop", seeds.Example("pilot-call"))
	fromA := "source=" + a.Host
	waitDir(t, b, fromA, "A's project and call", func(res directory.Result) bool {
		return slices.Equal(sorted(entryIDs(res.Entries)), sorted([]string{project.ID, call.ID}))
	})
	res := queryDir(t, b, fromA)
	for _, e := range res.Entries {
		if e.Source != a.Host || e.Local || e.Org != a.Actor("coop") || e.OrgName != "Coop 127.0.0.41" {
			t.Errorf("B's entry %s: source %q local %v org %q org_name %q, want from %s, not local, by A's coop",
				e.ID, e.Source, e.Local, e.Org, e.OrgName, a.Host)
		}
	}
	if got := entryIDs(queryDir(t, b, fromA+"&kind=call&sector=mobility&role=pilot-territory&open=1").Entries); !slices.Equal(got, []string{call.ID}) {
		t.Errorf("B's filters on A's entries: %v, want the call", got)
	}
	// Without a profile carrying maillage's terms, A's coop is no directory entry.
	if got := queryDir(t, b, fromA+"&kind=org").Entries; len(got) != 0 {
		t.Errorf("B lists A's organisations before any profile: %+v", got)
	}
	_, page := getOK(t, b, "/directory?"+fromA, acceptLanguage("en"))
	if n := strings.Count(page, "from "+a.Host+"</p>"); n != 2 {
		t.Errorf("B's page says %d entries come from %s, want 2", n, a.Host)
	}
	if strings.Contains(page, "from this instance</p>") {
		t.Errorf("B's page marks A's entries as its own")
	}

	// A's full profile arrives as Update{Organization}: B lists A's coop.
	profile := seeds.Profile("example-profile")
	setProfile(t, a, "coop", profile)
	waitDir(t, b, fromA+"&kind=org", "A's organisation", func(res directory.Result) bool { return len(res.Entries) == 1 })
	org := queryDir(t, b, fromA+"&kind=org").Entries[0]
	if org.ID != a.Actor("coop") || org.Title != profile.DisplayName || org.Source != a.Host || org.Local ||
		org.Country != "FR" || !slices.Equal(org.Sectors, profile.Sectors) || org.LegalForm != profile.LegalForm ||
		org.Website != profile.Website || org.Lat == nil || *org.Lat != *profile.Location.Latitude {
		t.Errorf("B's entry for A's coop = %+v, want the example profile from %s", org, a.Host)
	}
	for _, e := range queryDir(t, b, fromA+"&kind=project&kind=call").Entries {
		if e.OrgName != profile.DisplayName {
			t.Errorf("B's entry %s: org_name %q, want the new display name %q", e.ID, e.OrgName, profile.DisplayName)
		}
	}
	if got := entryIDs(queryDir(t, b, "q=valley&kind=org").Entries); !slices.Equal(got, []string{a.Actor("coop")}) {
		t.Errorf("B's text search for A's coop: %v", got)
	}
	_, body := getOK(t, b, "/directory.json?per_page=100", nil)
	_, csvBody := getOK(t, b, "/directory.csv", nil)
	_, geoBody := getOK(t, b, "/directory.geojson", nil)
	for what, s := range map[string]string{"JSON": body, "CSV": csvBody, "GeoJSON": geoBody} {
		if strings.Contains(s, profile.ContactEmail) {
			t.Errorf("B's directory %s carries A's contact address", what)
		}
	}

	// A edits its project: B shows the new title.
	edited := seeds.Example("mobility-project")
	edited.Title = "EXAMPLE: Shared e-bike and cargo-bike fleet"
	if s := a.API(http.MethodPut, "/api/v1"+strings.TrimPrefix(project.ID, a.Base), edited, nil); s != http.StatusOK {
		t.Fatalf("edit: status %d", s)
	}
	waitDir(t, b, fromA+"&kind=project", "the edited title", func(res directory.Result) bool {
		return len(res.Entries) == 1 && res.Entries[0].Title == edited.Title
	})
	if got := entryIDs(queryDir(t, b, "q=cargo-bike").Entries); !slices.Equal(got, []string{project.ID}) {
		t.Errorf("B's text search for the new title: %v", got)
	}

	// A deletes its call: gone from B's directory, page and exports.
	if s := a.API(http.MethodDelete, "/api/v1"+strings.TrimPrefix(call.ID, a.Base), nil, nil); s != http.StatusNoContent {
		t.Fatalf("delete: status %d", s)
	}
	waitDir(t, b, fromA+"&kind=call", "the deleted call to go", func(res directory.Result) bool { return len(res.Entries) == 0 })
	_, page = getOK(t, b, "/directory", acceptLanguage("en"))
	_, ics := getOK(t, b, "/directory/deadlines.ics", nil)
	for what, s := range map[string]string{"page": page, "calendar": ics} {
		if strings.Contains(s, call.ID) {
			t.Errorf("B's %s still shows the deleted call", what)
		}
	}
	if !strings.Contains(page, edited.Title) {
		t.Errorf("B's page lacks the edited project")
	}
}

// followAndWait makes local (an organisation or "instance") of in follow
// target, and waits until the follow of actor is accepted.
func followAndWait(t *testing.T, in *testenv.Instance, local, target, actor string) {
	t.Helper()
	if s := in.API(http.MethodPost, "/api/v1/orgs/"+local+"/follow", map[string]string{"target": target}, nil); s != http.StatusAccepted {
		t.Fatalf("%s: %s follows %s: status %d", in.Host, local, target, s)
	}
	testenv.WaitFor(t, webtest.Wait, in.Host+": follow of "+actor+" accepted", func() bool {
		var fs []model.Following
		in.API(http.MethodGet, "/api/v1/orgs/"+local+"/following", nil, &fs)
		for _, f := range fs {
			if f.Target == actor && f.State == model.FollowAccepted {
				return true
			}
		}
		return false
	})
}

// waitDir polls in's /directory.json?query until ok holds.
func waitDir(t *testing.T, in *testenv.Instance, query, what string, ok func(directory.Result) bool) {
	t.Helper()
	testenv.WaitFor(t, webtest.Wait, in.Host+"'s directory to show "+what, func() bool { return ok(queryDir(t, in, query)) })
}
