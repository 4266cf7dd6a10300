package seeds

import (
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
)

// objectOf is the object a form would build from in, with its dates.
func objectOf(in service.ObjectInput) model.Object {
	o := model.Object{Local: true, Kind: in.Kind, Title: in.Title, Summary: in.Summary, Text: in.Text,
		Sectors: in.Sectors, Location: in.Location, Status: in.Status, PartnerRoles: in.PartnerRoles,
		Lang: in.Lang, Translations: in.Translations, Partners: in.Partners, FundingSought: in.FundingSought,
		EligibleCountries: in.EligibleCountries, RelatedProject: in.RelatedProject, FundingProgramme: in.FundingProgramme,
		FundingCallID: in.FundingCallID, HowToRespond: in.HowToRespond}
	for _, p := range []struct {
		dst **time.Time
		src *service.TimeValue
	}{{&o.StartTime, in.StartTime}, {&o.EndTime, in.EndTime}, {&o.Deadline, in.Deadline}} {
		if p.src != nil {
			t := p.src.Time
			*p.dst = &t
		}
	}
	return o
}

// TestNetworkValid checks the demo network: every profile and object
// passes the rules a form applies, names are unique, every sector and at
// least six countries are covered, and every call is open at load time.
func TestNetworkValid(t *testing.T) {
	now := time.Date(2031, 5, 17, 10, 0, 0, 0, time.UTC) // any time: dates are relative
	orgs, err := Network(now)
	if err != nil {
		t.Fatal(err)
	}
	if len(orgs) < 8 {
		t.Fatalf("%d organisations, want at least 8", len(orgs))
	}
	names := map[string]bool{}
	sectors := map[string]bool{}
	countries := map[string]bool{}
	for _, so := range orgs {
		if names[so.Name] {
			t.Errorf("name %q is used twice", so.Name)
		}
		names[so.Name] = true
		org := model.Org{Name: so.Name, Profile: so.Profile}
		if err := org.Validate(); err != nil {
			t.Errorf("%s: %v", so.Name, err)
		}
		if so.Profile.Country == "" || so.Profile.Location == nil || so.Profile.Website == "" {
			t.Errorf("%s: want a country, a location and a website", so.Name)
		}
		if so.Profile.ContactEmail != "" {
			t.Errorf("%s: a real organisation's contact address must not be made up", so.Name)
		}
		countries[so.Profile.Country] = true
		for _, s := range so.Profile.Sectors {
			sectors[s] = true
		}
		if n := len(so.Objects); n < 2 || n > 3 {
			t.Errorf("%s: %d projects and calls, want 2 or 3", so.Name, n)
		}
		for _, in := range so.Objects {
			checkSeedObject(t, so, in, now)
			for _, s := range in.Sectors {
				sectors[s] = true
			}
			if in.Location != nil && in.Location.Country != "" {
				countries[in.Location.Country] = true
			}
		}
	}
	for _, s := range model.Sectors {
		if !sectors[s.Slug] {
			t.Errorf("no organisation, project or call in sector %s", s.Slug)
		}
	}
	if len(countries) < 6 {
		t.Errorf("countries %v, want at least 6", countries)
	}
}

func checkSeedObject(t *testing.T, so SeedOrg, in service.ObjectInput, now time.Time) {
	t.Helper()
	o := objectOf(in)
	if err := o.Validate(); err != nil {
		t.Errorf("%s: %q: %v", so.Name, in.Title, err)
	}
	if !strings.HasPrefix(in.Title, "EXAMPLE: ") {
		t.Errorf("%s: title %q must start with \"EXAMPLE: \"", so.Name, in.Title)
	}
	if !strings.Contains(in.Text, "invented example") || !strings.Contains(in.Text, so.Profile.DisplayName) {
		t.Errorf("%s: %q: text lacks the invented-example notice", so.Name, in.Title)
	}
	for lang, tr := range in.Translations {
		if tr.Title != "" && !strings.HasPrefix(tr.Title, "EXEMPLE : ") && !strings.HasPrefix(tr.Title, "EXAMPLE") {
			t.Errorf("%s: %s title %q must say it is an example", so.Name, lang, tr.Title)
		}
	}
	if in.Kind == model.KindCall {
		if in.Deadline == nil || !in.Deadline.After(now) || o.Expired(now) {
			t.Errorf("%s: call %q: deadline %v, want one after %v", so.Name, in.Title, in.Deadline, now)
		}
		if in.Status != "" && in.Status != "open" {
			t.Errorf("%s: call %q: status %q, want open", so.Name, in.Title, in.Status)
		}
	}
}

// TestNetworkDates checks that relative dates are counted from now.
func TestNetworkDates(t *testing.T) {
	now := time.Date(2030, 1, 30, 15, 4, 5, 0, time.FixedZone("CET", 3600))
	o := NetworkOrg(now, "mobicoop")
	var call, project *service.ObjectInput
	for i := range o.Objects {
		switch o.Objects[i].Kind {
		case model.KindCall:
			if call == nil {
				call = &o.Objects[i]
			}
		case model.KindProject:
			project = &o.Objects[i]
		}
	}
	if call == nil || project == nil {
		t.Fatal("mobicoop has no call or no project")
	}
	// The first call has "deadline_in_days": 90.
	if got, want := call.Deadline.Time, time.Date(2030, 4, 30, 23, 59, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("deadline = %v, want %v", got, want)
	}
	// The project has "start_in_days": 60.
	if got, want := project.StartTime.Time, time.Date(2030, 3, 31, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("start = %v, want %v", got, want)
	}
}
