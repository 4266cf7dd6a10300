package federation

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/sanitize"
	"codeberg.org/maillage/maillage/internal/uris"
)

func TestProvenanceRoundTrip(t *testing.T) {
	r := &Renderer{URIs: uris.URIs{Base: "https://a.example"}, San: sanitize.New()}
	withdrawn := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	o := model.Org{Name: "repar", Profile: model.Profile{DisplayName: "Atelier Répar'Tout"},
		PublicKeyPEM: "-----BEGIN PUBLIC KEY-----\nZmFrZQ==\n-----END PUBLIC KEY-----\n",
		Provenance: &model.Provenance{Source: "Transiscope", SourceURL: "https://transiscope.org/annuaire#/fiche/x/12",
			SourceID: "12", SourceKey: "Colibris", Licence: "ODbL-1.0", Imported: withdrawn.Add(-time.Hour), Withdrawn: withdrawn}}
	m, err := r.ActorMap(o)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(m)
	var back map[string]any
	if err := json.Unmarshal(body, &back); err != nil {
		t.Fatal(err)
	}
	a, err := ASToActor(back, sanitize.New(), time.Now())
	if err != nil {
		t.Fatalf("ASToActor: %v", err)
	}
	if a.Profile == nil {
		t.Fatal("an imported organisation without sector nor legal form was read without its profile")
	}
	want := *o.Provenance
	want.Imported = time.Time{} // not carried: see provenance.go
	if a.Provenance == nil || *a.Provenance != want {
		t.Errorf("provenance read back = %+v, want %+v", a.Provenance, want)
	}

	// Claimed: self-published again, no provenance.
	o.Provenance.Claimed = withdrawn
	m, _ = r.ActorMap(o)
	if m["provenance"] != nil {
		t.Errorf("a claimed organisation carries provenance %v", m["provenance"])
	}
	// Without sectors nor legal form, it is still read with its profile:
	// a claimed entry stays in the directories that hold it.
	body, _ = json.Marshal(m)
	back = nil
	if err := json.Unmarshal(body, &back); err != nil {
		t.Fatal(err)
	}
	if a, err := ASToActor(back, sanitize.New(), time.Now()); err != nil || a.Profile == nil || a.Provenance != nil {
		t.Errorf("a claimed organisation read back: profile %v, provenance %v, %v", a.Profile, a.Provenance, err)
	}
}

func TestProvenanceHostile(t *testing.T) {
	for name, tc := range map[string]struct {
		in   any
		want *model.Provenance
	}{
		"absent":    {nil, nil},
		"string":    {"Transiscope", nil},
		"no source": {map[string]any{"sourceId": "1"}, nil},
		"bad url and html": {map[string]any{"sourceName": "<b>Map</b>", "sourceUrl": "javascript:alert(1)",
			"sourceId": strings.Repeat("9", 300), "claimed": "2026-01-01T00:00:00Z"},
			&model.Provenance{Source: "Map", SourceID: strings.Repeat("9", model.MaxName-1) + "…"}},
	} {
		got := asToProvenance(tc.in)
		if (got == nil) != (tc.want == nil) || got != nil && *got != *tc.want {
			t.Errorf("%s: got %+v, want %+v", name, got, tc.want)
		}
	}
}

// TestListedActorEmail: the role address an import kept is not in the
// actor document of an organisation listed from a map; once it claims its
// entry, its profile's address is published as any organisation's is.
func TestListedActorEmail(t *testing.T) {
	r := &Renderer{URIs: uris.URIs{Base: "https://a.example"}, San: sanitize.New()}
	o := model.Org{Name: "energie", Profile: model.Profile{DisplayName: "Énergie Citoyenne", ContactEmail: "contact@energie.example.org",
		Website: "https://energie.example.org"},
		PublicKeyPEM: "-----BEGIN PUBLIC KEY-----\nZmFrZQ==\n-----END PUBLIC KEY-----\n",
		Provenance:   &model.Provenance{Source: "Transiscope", SourceID: "t1", Imported: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}}
	m, err := r.ActorMap(o)
	if err != nil {
		t.Fatal(err)
	}
	if body, _ := json.Marshal(m); strings.Contains(string(body), "contact@") {
		t.Errorf("a listed organisation's actor carries its role address: %s", body)
	}
	o.Provenance.Claimed = o.Provenance.Imported.Add(time.Hour)
	if m, _ = r.ActorMap(o); m["email"] != "contact@energie.example.org" {
		t.Errorf("claimed: email = %v, want the profile's address", m["email"])
	}
}
