package store

import (
	"errors"
	"testing"
	"time"
)

func TestDeleteSessionsOf(t *testing.T) {
	s := openTestStore(t)
	exp := t0.Add(time.Hour)
	mustUpdate(t, s, func(tx *Tx) error {
		for _, a := range []string{"alice", "bob"} {
			if err := tx.CreateAccount(Account{Username: a, Hash: "h", Created: t0}); err != nil {
				return err
			}
		}
		for id, user := range map[string]string{"a1": "alice", "a2": "alice", "a3": "alice", "b1": "bob"} {
			if err := tx.PutSession(id, Session{Username: user, Expires: exp}); err != nil {
				return err
			}
		}
		return nil
	})
	alive := func(tx *Tx, id string) bool {
		_, err := tx.Session(id)
		return err == nil
	}
	mustUpdate(t, s, func(tx *Tx) error {
		n, err := tx.DeleteSessionsOf("alice", "a2")
		if err != nil || n != 2 {
			t.Errorf("DeleteSessionsOf(alice, a2) = %d, %v; want 2", n, err)
		}
		for id, want := range map[string]bool{"a1": false, "a2": true, "a3": false, "b1": true} {
			if got := alive(tx, id); got != want {
				t.Errorf("session %s alive = %v, want %v", id, got, want)
			}
		}
		if n, err := tx.DeleteSessionsOf("alice", ""); err != nil || n != 1 || alive(tx, "a2") {
			t.Errorf("DeleteSessionsOf(alice, \"\") = %d, %v; want 1, a2 gone", n, err)
		}
		return nil
	})
	mustUpdate(t, s, func(tx *Tx) error {
		a, err := tx.Account("bob")
		if err != nil {
			return err
		}
		a.Hash = "h2"
		if err := tx.PutAccount(a); err != nil {
			return err
		}
		if got, _ := tx.Account("bob"); got.Hash != "h2" {
			t.Errorf("hash after PutAdmin = %q, want h2", got.Hash)
		}
		if err := tx.PutAccount(Account{Username: "carol"}); !errors.Is(err, ErrNotFound) {
			t.Errorf("PutAdmin(carol) = %v, want ErrNotFound", err)
		}
		if err := tx.DeleteAccount("bob"); err != nil {
			return err
		}
		if _, err := tx.Account("bob"); !errors.Is(err, ErrNotFound) {
			t.Errorf("bob after DeleteAdmin: %v", err)
		}
		if err := tx.DeleteAccount("bob"); !errors.Is(err, ErrNotFound) {
			t.Errorf("DeleteAdmin twice = %v, want ErrNotFound", err)
		}
		return nil
	})
}
