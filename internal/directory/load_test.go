package directory

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

const (
	localBase = "http://127.0.0.2:8080"
	alphaIRI  = localBase + "/orgs/alpha"
	betaIRI   = "https://b.example/orgs/beta"
	personIRI = "https://m.example/users/ann"
	orphanIRI = "https://x.example/orgs/x/projects/7" // by an actor the store does not know
)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "maillage.db"), store.Options{LockTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func update(t *testing.T, st *store.Store, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := st.Update(fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// seedStore holds a local organisation, the instance actor, a remote
// organisation, a remote person, and objects of every sort.
func seedStore(t *testing.T, st *store.Store) {
	update(t, st, func(tx *store.Tx) error {
		for _, o := range []model.Org{
			{Name: model.InstanceName, Instance: true, Profile: model.Profile{DisplayName: "Instance"}},
			{Name: "alpha", Created: days(-30), Profile: model.Profile{DisplayName: "Alpha SCIC", ContactEmail: "hi@alpha.example", Country: "FR"}},
		} {
			if err := tx.CreateOrg(o); err != nil {
				return err
			}
		}
		for _, a := range []model.Actor{
			{ID: betaIRI, Type: "Organization", Host: "b.example", Username: "beta", KeyID: betaIRI + "#key",
				Profile: &model.Profile{DisplayName: "Beta eG", Country: "DE"}},
			{ID: personIRI, Type: "Person", Host: "m.example", Username: "ann", Name: "Ann", KeyID: personIRI + "#key"},
		} {
			if err := tx.PutActor(a); err != nil {
				return err
			}
		}
		for _, o := range []model.Object{
			{ID: alphaIRI + "/calls/1", Kind: model.KindCall, AttributedTo: alphaIRI, Local: true, Title: "Appel", Status: "open", Published: days(-1)},
			{ID: alphaIRI + "/projects/2", Kind: model.KindProject, AttributedTo: alphaIRI, Local: true, Title: "Projet", Published: days(-2)},
			{ID: alphaIRI + "/calls/3", Kind: model.KindCall, AttributedTo: alphaIRI, Local: true, Title: "Supprimé", Deleted: days(-1)},
			{ID: betaIRI + "/calls/4", Kind: model.KindCall, AttributedTo: betaIRI, Title: "Aufruf", Status: "open", Published: days(-3), Audience: model.AudiencePublic},
			{ID: personIRI + "/statuses/5", Kind: model.KindNote, AttributedTo: personIRI, Content: "hello"},
			{ID: orphanIRI, Kind: model.KindProject, AttributedTo: "https://x.example/orgs/x", Title: "Orphelin", Published: days(-40), Audience: model.AudiencePublic},
		} {
			if err := tx.PutObject(o); err != nil {
				return err
			}
		}
		return nil
	})
}

func allIDs(ix *Index) []string {
	return ids(ix.Query(Query{PerPage: 100}, testNow).Entries)
}

// loadSeeded is the index loaded from a store holding seedStore's data.
func loadSeeded(t *testing.T) (*store.Store, uris.URIs, *Index) {
	t.Helper()
	st := openStore(t)
	seedStore(t, st)
	u := uris.URIs{Base: localBase}
	ix, err := Load(st, u)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return st, u, ix
}

func TestLoad(t *testing.T) {
	_, _, ix := loadSeeded(t)
	want := []string{alphaIRI + "/calls/1", alphaIRI + "/projects/2", betaIRI + "/calls/4", alphaIRI, orphanIRI, betaIRI}
	if got := allIDs(ix); !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	tests := []struct {
		id, orgName, source string
		local               bool
	}{
		{alphaIRI, "Alpha SCIC", "127.0.0.2:8080", true},
		{alphaIRI + "/calls/1", "Alpha SCIC", "127.0.0.2:8080", true},
		{betaIRI, "Beta eG", "b.example", false},
		{betaIRI + "/calls/4", "Beta eG", "b.example", false},
		{orphanIRI, "https://x.example/orgs/x", "x.example", false},
	}
	for _, tt := range tests {
		e, _ := ix.Get(tt.id)
		if e.OrgName != tt.orgName || e.Source != tt.source || e.Local != tt.local {
			t.Errorf("%s: OrgName, Source, Local = %q, %q, %v; want %q, %q, %v", tt.id, e.OrgName, e.Source, e.Local, tt.orgName, tt.source, tt.local)
		}
	}
	if got := ids(ix.Query(Query{Source: "127.0.0.2:8080"}, testNow).Entries); len(got) != 3 {
		t.Errorf("local source: got %v, want 3 entries", got)
	}
}

func TestRefresh(t *testing.T) {
	st, u, ix := loadSeeded(t)
	refresh := func(ids ...string) {
		t.Helper()
		if err := ix.Refresh(st, u, ids...); err != nil {
			t.Fatalf("Refresh: %v", err)
		}
	}

	// Renaming an organisation renames its objects.
	update(t, st, func(tx *store.Tx) error {
		o, err := tx.Org("alpha")
		if err != nil {
			return err
		}
		o.DisplayName = "Alpha Énergie"
		return tx.PutOrg(o)
	})
	refresh(alphaIRI)
	for _, id := range []string{alphaIRI, alphaIRI + "/calls/1", alphaIRI + "/projects/2"} {
		if e, _ := ix.Get(id); e.OrgName != "Alpha Énergie" {
			t.Errorf("%s: OrgName = %q after rename", id, e.OrgName)
		}
	}
	if got := ix.Query(Query{Text: "energie"}, testNow).Total; got != 3 {
		t.Errorf("search for the new name: Total = %d, want 3", got)
	}

	// A new object, an object deleted locally (tombstone) and one turned
	// into a note; unknown IRIs and the instance actor change nothing.
	update(t, st, func(tx *store.Tx) error {
		if err := tx.PutObject(model.Object{ID: alphaIRI + "/calls/6", Kind: model.KindCall, AttributedTo: alphaIRI,
			Local: true, Title: "Nouvel appel", Published: days(0)}); err != nil {
			return err
		}
		return tx.PutObject(model.Object{ID: alphaIRI + "/projects/2", Kind: model.KindProject, AttributedTo: alphaIRI,
			Local: true, Title: "Projet", Published: days(-2), Deleted: days(0)})
	})
	refresh(alphaIRI+"/calls/6", alphaIRI+"/projects/2", "https://z.example/nothing", localBase+"/actor", alphaIRI+"/nothing", orphanIRI)
	want := []string{alphaIRI + "/calls/6", alphaIRI + "/calls/1", betaIRI + "/calls/4", alphaIRI, orphanIRI, betaIRI}
	if got := allIDs(ix); !slices.Equal(got, want) {
		t.Errorf("after object changes: got %v, want %v", got, want)
	}
	if e, _ := ix.Get(alphaIRI + "/calls/6"); e.OrgName != "Alpha Énergie" || e.Source != "127.0.0.2:8080" {
		t.Errorf("new call: OrgName %q, Source %q", e.OrgName, e.Source)
	}

	// Remote objects take their author's name and host.
	update(t, st, func(tx *store.Tx) error {
		for _, o := range []model.Object{
			{ID: betaIRI + "/calls/8", Kind: model.KindCall, AttributedTo: betaIRI, Title: "Neu", Published: days(-50), Audience: model.AudiencePublic},
			{ID: personIRI + "/projects/9", Kind: model.KindProject, AttributedTo: personIRI, Title: "Ann's", Published: days(-50), Audience: model.AudiencePublic},
		} {
			if err := tx.PutObject(o); err != nil {
				return err
			}
		}
		return nil
	})
	refresh(betaIRI+"/calls/8", personIRI+"/projects/9")
	for id, name := range map[string]string{betaIRI + "/calls/8": "Beta eG", personIRI + "/projects/9": "Ann"} {
		if e, ok := ix.Get(id); !ok || e.OrgName != name || e.Source != uris.HostOf(id) {
			t.Errorf("%s: found %v, OrgName %q, Source %q; want %q, %q", id, ok, e.OrgName, e.Source, name, uris.HostOf(id))
		}
	}
	ix.Remove(personIRI + "/projects/9")
	ix.Remove(orphanIRI)

	// A remote organisation deleted from the store takes its calls along.
	update(t, st, func(tx *store.Tx) error { return tx.DeleteActor(betaIRI) })
	refresh(betaIRI)
	want = []string{alphaIRI + "/calls/6", alphaIRI + "/calls/1", alphaIRI}
	if got := allIDs(ix); !slices.Equal(got, want) {
		t.Errorf("after actor deletion: got %v, want %v", got, want)
	}

	// A remote actor that loses its profile leaves the directory.
	update(t, st, func(tx *store.Tx) error {
		return tx.PutActor(model.Actor{ID: betaIRI, Type: "Organization", Host: "b.example", KeyID: betaIRI + "#key",
			Profile: &model.Profile{DisplayName: "Beta"}})
	})
	refresh(betaIRI)
	if _, ok := ix.Get(betaIRI); !ok {
		t.Errorf("actor with a profile not added")
	}
	update(t, st, func(tx *store.Tx) error {
		return tx.PutActor(model.Actor{ID: betaIRI, Type: "Organization", Host: "b.example", KeyID: betaIRI + "#key"})
	})
	refresh(betaIRI)
	if _, ok := ix.Get(betaIRI); ok {
		t.Errorf("actor without a profile still listed")
	}
}

func TestRefreshClosedStore(t *testing.T) {
	st := openStore(t)
	ix := New()
	st.Close()
	if err := ix.Refresh(st, uris.URIs{Base: localBase}, alphaIRI); err == nil {
		t.Errorf("Refresh on a closed store: no error")
	}
}

// TestRefreshActorNamedAsObject: an id stored both as a remote
// organisation and as an object (a server may name a post after its
// actor) keeps the organisation's entry.
func TestRefreshActorNamedAsObject(t *testing.T) {
	st, u, ix := loadSeeded(t)
	update(t, st, func(tx *store.Tx) error {
		return tx.PutObject(model.Object{ID: betaIRI, AttributedTo: betaIRI, Kind: model.KindNote,
			Content: "<p>a post named as its author</p>", Audience: model.AudiencePublic, Published: testNow})
	})
	if err := ix.Refresh(st, u, betaIRI); err != nil {
		t.Fatal(err)
	}
	if e, ok := ix.Get(betaIRI); !ok || e.OrgName != "Beta eG" {
		t.Errorf("entry of %s after refresh = %+v, %v; want the organisation's", betaIRI, e, ok)
	}
}
