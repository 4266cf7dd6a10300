package directory

import (
	"errors"
	"fmt"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// Load builds the index of everything st holds: local organisations (not
// the instance actor nor members' Person actors), remote organisations,
// and their projects and calls, read through the store's list of them
// (store.Tx.ProjectsAndCalls) rather than by decoding every object.
func Load(st *store.Store, u uris.URIs) (*Index, error) {
	ix := New()
	err := st.View(func(tx *store.Tx) error {
		orgs, err := tx.Orgs()
		if err != nil {
			return err
		}
		actors, err := tx.Actors()
		if err != nil {
			return err
		}
		ix.grow(len(orgs) + len(actors))
		authors := make(map[string]author, len(orgs)+len(actors))
		for _, o := range orgs {
			if !LocalListed(o) {
				continue
			}
			e := OrgEntry(o, u)
			authors[e.ID] = author{name: e.Title, source: e.Source}
			ix.put(e, false)
		}
		for _, a := range actors {
			if a.HiddenBy(tx) {
				continue // hidden while blocked; so are its objects, below
			}
			authors[a.ID] = author{name: actorTitle(a), source: a.Host}
			if e, ok := ActorEntry(a); ok {
				ix.put(e, false)
			}
		}
		// Only the live projects and calls: the received Notes an
		// aggregator holds by the thousand are neither decoded nor paged in.
		return tx.ProjectsAndCalls(func(o model.Object) error {
			if !o.IsPublic() || o.HiddenBy(tx) {
				return nil // only public objects are listed (model.Object.VisibleTo), while not blocked
			}
			by, ok := authors[o.AttributedTo]
			if !ok {
				by = author{name: o.AttributedTo, source: uris.HostOf(o.ID)}
			}
			if e, ok := ObjectEntry(o, by.name, by.source); ok {
				ix.put(e, false)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("directory: load: %w", err)
	}
	return ix, nil
}

// author is what an object's entry takes from its organisation.
type author struct {
	name, source string
}

// Refresh re-reads the organisations, actors and objects ids from st and
// updates their entries: Put when they belong in the directory, Remove
// when they don't or are gone. An organisation or actor gone from the
// store also takes its projects and calls (store.DeleteActor deletes
// them); a renamed one renames them.
func (ix *Index) Refresh(st *store.Store, u uris.URIs, ids ...string) error {
	var apply func()
	err := st.View(func(tx *store.Tx) error {
		var err error
		apply, err = ix.Changes(tx, u, ids...)
		return err
	})
	if err != nil {
		return err
	}
	apply()
	return nil
}

// Changes reads ids from tx as Refresh does, and returns what applies
// them to the index: called once tx is closed, it takes the index's lock
// without holding a transaction open.
func (ix *Index) Changes(tx *store.Tx, u uris.URIs, ids ...string) (apply func(), err error) {
	type change struct {
		id    string
		entry *Entry // nil: remove
		gone  bool   // not in the store: remove its objects too
	}
	var changes []change
	for _, id := range ids {
		e, ok, err := readEntry(tx, u, id)
		switch {
		case errors.Is(err, store.ErrNotFound):
			changes = append(changes, change{id: id, gone: true})
		case err != nil:
			return nil, fmt.Errorf("directory: refresh: %w", err) // nothing applied
		case ok:
			changes = append(changes, change{id: id, entry: &e})
		default:
			changes = append(changes, change{id: id})
		}
	}
	return func() {
		for _, c := range changes {
			switch {
			case c.entry != nil:
				ix.Put(*c.entry)
			case c.gone:
				ix.removeOrg(c.id)
			default:
				ix.Remove(c.id)
			}
		}
	}, nil
}
