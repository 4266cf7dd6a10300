package directory

import (
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// TestPublicObjectsOnly: Load and Refresh list only public objects
// (model.Object.IsPublic: a call stored before audiences were recorded is
// one), and an Update that narrows an object's audience takes it out.
func TestPublicObjectsOnly(t *testing.T) {
	st := openStore(t)
	seedStore(t, st)
	call := func(n string, aud model.Audience) model.Object {
		return model.Object{ID: betaIRI + "/calls/a" + n, Kind: model.KindCall, AttributedTo: betaIRI, Title: "Call " + n,
			Status: "open", Published: days(-1), Audience: aud}
	}
	objs := []model.Object{call("1", model.AudiencePublic), call("2", model.AudienceUnlisted), call("3", model.AudienceFollowers),
		call("4", model.AudienceDirect), call("5", "")} // 5: stored before audiences were recorded: a call, so public
	update(t, st, func(tx *store.Tx) error {
		for _, o := range objs {
			if err := tx.PutObject(o); err != nil {
				return err
			}
		}
		return nil
	})
	u := uris.URIs{Base: localBase}
	ix, err := Load(st, u)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	check := func(when string, want map[string]bool) {
		t.Helper()
		for _, o := range objs {
			if _, got := ix.Get(o.ID); got != want[o.ID] {
				t.Errorf("%s: %s (audience %q) listed = %v, want %v", when, o.ID, o.Audience, got, want[o.ID])
			}
		}
	}
	check("after Load", map[string]bool{objs[0].ID: true, objs[4].ID: true})

	objs[0].Audience, objs[1].Audience = model.AudienceFollowers, model.AudiencePublic
	update(t, st, func(tx *store.Tx) error {
		if err := tx.PutObject(objs[0]); err != nil {
			return err
		}
		return tx.PutObject(objs[1])
	})
	if err := ix.Refresh(st, u, objs[0].ID, objs[1].ID); err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	check("after Refresh", map[string]bool{objs[1].ID: true, objs[4].ID: true})
}
