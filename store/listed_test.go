package store

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"codeberg.org/maillage/maillage/internal/model"
)

// listedFixtures are objects of every kind the listed bucket must tell
// apart; want names those it keeps.
func listedFixtures() (objs []model.Object, want []string) {
	objs = []model.Object{
		{ID: "https://b.example/o/project", Kind: model.KindProject, AttributedTo: "https://b.example/u/a", Title: "P", Published: t0},
		{ID: "https://b.example/o/call", Kind: model.KindCall, AttributedTo: "https://b.example/u/a", Title: "C", Published: t0},
		{ID: "https://b.example/o/note", Kind: model.KindNote, AttributedTo: "https://b.example/u/a", Audience: model.AudiencePublic, Published: t0},
		{ID: "https://b.example/o/followers", Kind: model.KindProject, AttributedTo: "https://b.example/u/a", Audience: model.AudienceFollowers, Published: t0},
		{ID: "https://l.example/o/gone", Kind: model.KindCall, AttributedTo: "https://l.example/u/l", Local: true, Deleted: t0, Published: t0},
	}
	return objs, []string{"https://b.example/o/call", "https://b.example/o/followers", "https://b.example/o/project"}
}

func listedIDs(t *testing.T, tx *Tx) []string {
	t.Helper()
	var ids []string
	if err := tx.ProjectsAndCalls(func(o model.Object) error {
		ids = append(ids, o.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestProjectsAndCalls(t *testing.T) {
	s := openTestStore(t)
	objs, want := listedFixtures()
	mustUpdate(t, s, func(tx *Tx) error {
		for _, o := range objs {
			if err := tx.PutObject(o); err != nil {
				return err
			}
		}
		return nil
	})
	mustView(t, s, func(tx *Tx) error {
		if got := listedIDs(t, tx); !slices.Equal(got, want) {
			t.Errorf("listed = %q, want %q", got, want)
		}
		return nil
	})
	// A project becoming a tombstone leaves; a call deleted leaves.
	mustUpdate(t, s, func(tx *Tx) error {
		p := objs[0]
		p.Deleted = t0
		if err := tx.PutObject(p); err != nil {
			return err
		}
		return tx.DeleteObject(objs[1].ID)
	})
	mustView(t, s, func(tx *Tx) error {
		if got := listedIDs(t, tx); !slices.Equal(got, []string{"https://b.example/o/followers"}) {
			t.Errorf("listed after a tombstone and a delete = %q, want the followers-only project", got)
		}
		return nil
	})
}

// TestMigrateListed opens a store of schema 10 holding objects and checks
// that migration 11 lists the live projects and calls.
func TestMigrateListed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v10.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	objs, want := listedFixtures()
	err = db.Update(func(tx *bolt.Tx) error {
		for _, m := range migrations[:10] {
			if err := m(tx); err != nil {
				return err
			}
		}
		for _, o := range objs { // as schema 10 wrote them
			data, err := json.Marshal(o)
			if err != nil {
				return err
			}
			if err := tx.Bucket(bucketObjects).Put([]byte(o.ID), data); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchema, []byte("10"))
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err := Open(path, Options{LockTimeout: time.Second})
	if err != nil {
		t.Fatalf("open v10 store: %v", err)
	}
	defer s.Close()
	mustView(t, s, func(tx *Tx) error {
		if got := listedIDs(t, tx); !slices.Equal(got, want) {
			t.Errorf("listed after migration = %q, want %q", got, want)
		}
		return nil
	})
}

// TestNeededActorsAuthors checks that NeededActors, which seeks from one
// author's objects to the next, finds every author, IRIs that extend
// another's included.
func TestNeededActorsAuthors(t *testing.T) {
	s := openTestStore(t)
	authors := []string{"https://a.example/u/a", "https://a.example/u/a/b", "https://a.example/u/ab", "https://b.example/u/z"}
	mustUpdate(t, s, func(tx *Tx) error {
		for i, a := range authors {
			for j := range 3 {
				o := model.Object{ID: fmt.Sprintf("https://x.example/o/%d-%d", i, j), Kind: model.KindNote, AttributedTo: a, Published: t0.Add(time.Duration(j) * time.Hour)}
				if err := tx.PutObject(o); err != nil {
					return err
				}
			}
		}
		return nil
	})
	mustView(t, s, func(tx *Tx) error {
		need, err := tx.NeededActors()
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range authors {
			if !need[a] {
				t.Errorf("NeededActors misses %s: %v", a, need)
			}
		}
		if len(need) != len(authors) {
			t.Errorf("NeededActors = %v, want the %d authors", need, len(authors))
		}
		return nil
	})
}
