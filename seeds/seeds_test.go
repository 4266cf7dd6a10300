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
			Sectors: in.Sectors, Location: in.Location, Status: in.Status, PartnerRoles: in.PartnerRoles}
		if err := o.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
