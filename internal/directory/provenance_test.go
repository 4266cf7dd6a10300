package directory

import (
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
)

// TestProvenanceEntries: an imported organisation's entry carries its
// source; a withdrawn one, local or remote, is not listed; a claimed one
// is self-published again.
func TestProvenanceEntries(t *testing.T) {
	u := uris.URIs{Base: "https://a.example"}
	pv := &model.Provenance{Source: "Transiscope", SourceID: "12", Licence: "ODbL-1.0"}
	o := model.Org{Name: "repar", Profile: model.Profile{DisplayName: "Répar"}, Provenance: pv}
	if e := OrgEntry(o, u); e.Provenance == nil || e.Provenance.Source != "Transiscope" {
		t.Errorf("local entry provenance = %+v", e.Provenance)
	}
	a := model.Actor{ID: "https://b.example/orgs/x", Type: "Organization", Host: "b.example",
		Profile: &model.Profile{DisplayName: "X"}, Provenance: pv}
	if e, ok := ActorEntry(a); !ok || e.Provenance == nil || e.Provenance.Licence != "ODbL-1.0" {
		t.Errorf("remote entry = %+v, %v", e.Provenance, ok)
	}

	withdrawn := *pv
	withdrawn.Withdrawn = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	a.Provenance = &withdrawn
	if _, ok := ActorEntry(a); ok {
		t.Error("a withdrawn remote organisation is listed")
	}
	if !Withdrawn(&withdrawn) || Withdrawn(pv) || Withdrawn(nil) {
		t.Error("Withdrawn")
	}
	claimed := withdrawn
	claimed.Claimed = withdrawn.Withdrawn.Add(time.Hour)
	o.Provenance = &claimed
	if Withdrawn(&claimed) || OrgEntry(o, u).Provenance != nil {
		t.Error("a claimed organisation is still shown as listed from its source")
	}

	ix := New()
	o.Provenance = pv
	ix.Put(OrgEntry(o, u))
	pv.Source = "changed after Put"
	res := ix.Query(Query{}, time.Now())
	if len(res.Entries) != 1 || res.Entries[0].Provenance.Source != "Transiscope" {
		t.Errorf("the index shares the provenance it was given: %+v", res.Entries)
	}
}

// TestSelfPublishedFilter: self=1 leaves out the organisations listed
// from an imported map, and nothing else.
func TestSelfPublishedFilter(t *testing.T) {
	u := uris.URIs{Base: "https://a.example"}
	ix := New()
	ix.Put(OrgEntry(model.Org{Name: "own", Profile: model.Profile{DisplayName: "Own"}}, u))
	ix.Put(OrgEntry(model.Org{Name: "imp", Profile: model.Profile{DisplayName: "Imported"},
		Provenance: &model.Provenance{Source: "Transiscope", SourceID: "1"}}, u))
	if res := ix.Query(Query{}, time.Now()); res.Total != 2 {
		t.Fatalf("all: %d", res.Total)
	}
	res := ix.Query(Query{SelfPublished: true}, time.Now())
	if res.Total != 1 || res.Entries[0].ID != u.Actor("own") {
		t.Errorf("self-published: %+v", res.Entries)
	}
}
