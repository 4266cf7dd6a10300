package store

import (
	"errors"
	"testing"
	"time"
)

func TestAdmins(t *testing.T) {
	s := openTestStore(t)
	mustUpdate(t, s, func(tx *Tx) error {
		if err := tx.CreateAccount(Account{Username: "zoe", Hash: "hash-z", Created: t0}); err != nil {
			return err
		}
		return tx.CreateAccount(Account{Username: "alice", Hash: "hash-a", Created: t0})
	})
	mustUpdate(t, s, func(tx *Tx) error {
		if err := tx.CreateAccount(Account{Username: "alice", Hash: "other"}); !errors.Is(err, ErrExists) {
			t.Errorf("CreateAdmin(existing) = %v, want ErrExists", err)
		}
		return nil
	})
	mustView(t, s, func(tx *Tx) error {
		a, err := tx.Account("alice")
		if err != nil || a.Hash != "hash-a" || !a.Created.Equal(t0) {
			t.Errorf("Admin(alice) = %+v, %v", a, err)
		}
		if _, err := tx.Account("bob"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Admin(bob) = %v, want ErrNotFound", err)
		}
		all, err := tx.Accounts()
		if err != nil || len(all) != 2 || all[0].Username != "alice" || all[1].Username != "zoe" {
			t.Errorf("Admins() = %+v, %v; want alice, zoe", all, err)
		}
		return nil
	})
}

func TestSessions(t *testing.T) {
	s := openTestStore(t)
	mustUpdate(t, s, func(tx *Tx) error {
		if err := tx.PutSession("old", Session{Username: "alice", Expires: t0.Add(-time.Minute)}); err != nil {
			return err
		}
		if err := tx.PutSession("edge", Session{Username: "alice", Expires: t0}); err != nil {
			return err
		}
		return tx.PutSession("new", Session{Username: "alice", Expires: t0.Add(time.Hour)})
	})
	mustView(t, s, func(tx *Tx) error {
		got, err := tx.Session("new")
		if err != nil || got.Username != "alice" || !got.Expires.Equal(t0.Add(time.Hour)) {
			t.Errorf("Session(new) = %+v, %v", got, err)
		}
		if _, err := tx.Session("none"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Session(none) = %v, want ErrNotFound", err)
		}
		if v := tx.bucket(bucketSessions).Get([]byte("new")); v != nil {
			t.Error("session stored under its id, want only its hash")
		}
		return nil
	})
	mustUpdate(t, s, func(tx *Tx) error {
		n, err := tx.DeleteExpiredSessions(t0)
		if err != nil || n != 2 {
			t.Errorf("DeleteExpiredSessions = %d, %v; want 2 (expired before and at now)", n, err)
		}
		for _, id := range []string{"old", "edge"} {
			if _, err := tx.Session(id); !errors.Is(err, ErrNotFound) {
				t.Errorf("expired session %s still there: %v", id, err)
			}
		}
		if err := tx.DeleteSession("new"); err != nil {
			return err
		}
		if _, err := tx.Session("new"); !errors.Is(err, ErrNotFound) {
			t.Errorf("deleted session still there: %v", err)
		}
		return tx.DeleteSession("new") // deleting twice is fine
	})
}
