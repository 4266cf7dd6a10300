package directory

import (
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// Load and Refresh decide what is listed by the same rules: local actors
// are listed only when they are organisations (not the instance actor nor
// a member's Person, README.md "In the browser"), and blocked actors and
// their content are not. Refresh used to list a member's Person actor as
// an organisation, which Load leaves out.
func TestLoadAndRefreshAgree(t *testing.T) {
	st := openStore(t)
	seedStore(t, st)
	u := uris.URIs{Base: localBase}
	member := model.PersonName("ann")
	blockedIRI := "https://blocked.example/orgs/gamma"
	update(t, st, func(tx *store.Tx) error {
		if err := tx.CreateOrg(model.Org{Name: member, Person: true, Profile: model.Profile{DisplayName: "ann"}}); err != nil {
			return err
		}
		if err := tx.PutActor(model.Actor{ID: blockedIRI, Type: "Organization", Host: "blocked.example", KeyID: blockedIRI + "#key",
			Profile: &model.Profile{DisplayName: "Gamma"}}); err != nil {
			return err
		}
		for _, o := range []model.Object{
			{ID: blockedIRI + "/calls/1", Kind: model.KindCall, AttributedTo: blockedIRI, Title: "Blocked author", Status: "open",
				Published: days(-1), Audience: model.AudiencePublic},
			// Attributed to a known organisation, served from a blocked server.
			{ID: "https://blocked.example/objects/2", Kind: model.KindProject, AttributedTo: betaIRI, Title: "Blocked server",
				Published: days(-1), Audience: model.AudiencePublic},
		} {
			if err := tx.PutObject(o); err != nil {
				return err
			}
		}
		return tx.PutBlock(model.Block{Target: "blocked.example", Kind: model.BlockDomain, Created: days(-1)})
	})
	loaded, err := Load(st, u)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	ids := []string{
		u.Actor(model.InstanceName), u.Actor(member), alphaIRI, alphaIRI + "/calls/1", betaIRI, betaIRI + "/calls/4",
		personIRI, blockedIRI, blockedIRI + "/calls/1", "https://blocked.example/objects/2",
	}
	refreshed := New()
	if err := refreshed.Refresh(st, u, ids...); err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	want := map[string]bool{alphaIRI: true, alphaIRI + "/calls/1": true, betaIRI: true, betaIRI + "/calls/4": true}
	for _, id := range ids {
		_, inLoad := loaded.Get(id)
		_, inRefresh := refreshed.Get(id)
		if inLoad != want[id] || inRefresh != want[id] {
			t.Errorf("%s: listed by Load %v, by Refresh %v; want %v", id, inLoad, inRefresh, want[id])
		}
	}
}
