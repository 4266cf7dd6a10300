package seeds

import (
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
)

// TestExamplesValid checks every example passes the rules a form applies.
func TestExamplesValid(t *testing.T) {
	m, err := Examples()
	if err != nil {
		t.Fatal(err)
	}
	if len(m) < 2 {
		t.Fatalf("%d examples, want at least 2", len(m))
	}
	for name, in := range m {
		o := model.Object{Local: true, Kind: in.Kind, Title: in.Title, Summary: in.Summary, Text: in.Text,
			Sectors: in.Sectors, Location: in.Location, Status: in.Status, PartnerRoles: in.PartnerRoles,
			Lang: in.Lang, Translations: in.Translations, Partners: in.Partners, FundingSought: in.FundingSought,
			EligibleCountries: in.EligibleCountries, FundingProgramme: in.FundingProgramme,
			FundingCallID: in.FundingCallID, HowToRespond: in.HowToRespond}
		if err := o.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestProfilesValid(t *testing.T) {
	m, err := Profiles()
	if err != nil || len(m) == 0 {
		t.Fatalf("profiles: %v, %v", m, err)
	}
	for name, p := range m {
		o := model.Org{Name: "x", Profile: p}
		if err := o.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
