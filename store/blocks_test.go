package store

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
)

func TestBlockHosts(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"https://a.b.example.org/users/x", []string{"a.b.example.org", "b.example.org", "example.org"}},
		{"https://Example.org:8443/x", []string{"example.org:8443", "example.org"}},
		{"example.org", []string{"example.org"}},
		{"127.0.0.90:8080", []string{"127.0.0.90:8080", "127.0.0.90"}},
		{"http://[::1]:80/inbox", []string{"[::1]:80", "[::1]"}},
		{"", nil},
		{"https:///nohost", nil},
	}
	for _, tt := range tests {
		if got := BlockHosts(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("BlockHosts(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBlocks(t *testing.T) {
	s := openTestStore(t)
	mustView(t, s, func(tx *Tx) error {
		if tx.IsBlocked("https://spam.example/users/x") {
			t.Error("blocked with no block stored")
		}
		return nil
	})
	mustUpdate(t, s, func(tx *Tx) error {
		if err := tx.PutBlock(model.Block{Target: "spam.example", Kind: model.BlockDomain, Created: t0}); err != nil {
			return err
		}
		return tx.PutBlock(model.Block{Target: "https://ok.example/users/troll", Kind: model.BlockActor, Created: t0})
	})
	mustView(t, s, func(tx *Tx) error {
		for iri, want := range map[string]bool{
			"https://spam.example/users/x":      true,
			"https://spam.example:8443/inbox":   true,
			"https://sub.spam.example/users/y":  true,
			"spam.example":                      true,
			"https://notspam.example/users/x":   false,
			"https://ok.example/users/troll":    true,
			"https://ok.example/users/trollish": false,
			"https://ok.example/inbox":          false,
			"":                                  false,
		} {
			if got := tx.IsBlocked(iri); got != want {
				t.Errorf("IsBlocked(%q) = %v, want %v", iri, got, want)
			}
		}
		bs, err := tx.Blocks()
		if err != nil || len(bs) != 2 || bs[0].Target != "https://ok.example/users/troll" || bs[1].Kind != model.BlockDomain {
			t.Errorf("Blocks = %+v, %v", bs, err)
		}
		return nil
	})
	mustUpdate(t, s, func(tx *Tx) error {
		if err := tx.DeleteBlock("spam.example"); err != nil {
			return err
		}
		if err := tx.DeleteBlock("spam.example"); !errors.Is(err, ErrNotFound) {
			t.Errorf("second DeleteBlock: err = %v, want ErrNotFound", err)
		}
		if tx.IsBlocked("https://spam.example/users/x") {
			t.Error("still blocked after DeleteBlock")
		}
		return nil
	})
}

func TestDropDeliveries(t *testing.T) {
	s := openTestStore(t)
	mustUpdate(t, s, func(tx *Tx) error {
		for _, inbox := range []string{"https://a.example/inbox", "https://b.example/inbox", "https://a.example/u/inbox"} {
			if _, err := tx.Enqueue(model.Delivery{ActivityID: "x", Inbox: inbox, NextAttempt: t0}); err != nil {
				return err
			}
		}
		n, err := tx.DropDeliveries(func(d model.Delivery) bool { return uris.HostOf(d.Inbox) == "a.example" })
		if n != 2 || err != nil {
			t.Errorf("DropDeliveries = %d, %v; want 2", n, err)
		}
		q, _, err := tx.Queue()
		if err != nil || len(q) != 1 || q[0].Inbox != "https://b.example/inbox" {
			t.Errorf("queue after drop = %+v, %v", q, err)
		}
		return nil
	})
}

func TestReports(t *testing.T) {
	s := openTestStore(t)
	mustUpdate(t, s, func(tx *Tx) error {
		for _, c := range []string{"first", "second"} {
			r, err := tx.AddReport(model.Report{Actor: "https://m.example/actor", Comment: c, Received: t0})
			if err != nil || r.ID == 0 {
				t.Errorf("AddReport = %+v, %v", r, err)
			}
		}
		return nil
	})
	mustView(t, s, func(tx *Tx) error {
		rs, err := tx.Reports()
		if err != nil || len(rs) != 2 || rs[0].Comment != "second" || rs[1].Comment != "first" {
			t.Errorf("Reports = %+v, %v; want newest first", rs, err)
		}
		return nil
	})
}

// TestMigrateFromVersion3 opens a store of schema version 3 (no blocks or
// reports buckets) and checks it is upgraded, data kept.
func TestMigrateFromVersion3(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v3.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, m := range migrations[:3] {
			if err := m(tx); err != nil {
				return err
			}
		}
		if err := (&Tx{tx: tx}).CreateOrg(model.Org{Name: "old", Profile: model.Profile{DisplayName: "Old coop"}}); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, []byte("3"))
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(path, Options{LockTimeout: time.Second})
	if err != nil {
		t.Fatalf("open v3 store: %v", err)
	}
	defer s.Close()
	mustUpdate(t, s, func(tx *Tx) error {
		if o, err := tx.Org("old"); err != nil || o.DisplayName != "Old coop" {
			t.Errorf("org after migration = %+v, %v", o, err)
		}
		if err := tx.PutBlock(model.Block{Target: "spam.example", Kind: model.BlockDomain}); err != nil {
			t.Errorf("blocks bucket missing after migration: %v", err)
		}
		if _, err := tx.AddReport(model.Report{Comment: "x"}); err != nil {
			t.Errorf("reports bucket missing after migration: %v", err)
		}
		return nil
	})
}
