package store

import (
	"errors"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
)

func TestRelays(t *testing.T) {
	s := openTestStore(t)
	a := model.Relay{URL: "https://a.example/inbox", Protocol: model.RelayMastodon, State: model.RelayPending}
	b := model.Relay{URL: "https://b.example/actor", Protocol: model.RelayLitePub, State: model.RelayAccepted, Stored: 3}
	mustUpdate(t, s, func(tx *Tx) error {
		if err := tx.PutRelay(b); err != nil {
			return err
		}
		if err := tx.PutRelay(a); err != nil {
			return err
		}
		return tx.PutRelayedActor("https://c.example/orgs/x", b.URL)
	})
	mustView(t, s, func(tx *Tx) error {
		rs, err := tx.Relays()
		if err != nil || len(rs) != 2 || rs[0].URL != a.URL || rs[1].Stored != 3 {
			t.Errorf("Relays = %+v, %v", rs, err)
		}
		if got, err := tx.Relay(b.URL); err != nil || got.Protocol != model.RelayLitePub {
			t.Errorf("Relay = %+v, %v", got, err)
		}
		need, err := tx.NeededActors()
		if err != nil || !need["https://c.example/orgs/x"] || !tx.IsRelayedActor("https://c.example/orgs/x") {
			t.Errorf("an organisation stored through a relay is not kept: %v", err)
		}
		return nil
	})
	mustUpdate(t, s, func(tx *Tx) error { return tx.DeleteRelay(a.URL) })
	mustView(t, s, func(tx *Tx) error {
		if _, err := tx.Relay(a.URL); !errors.Is(err, ErrNotFound) {
			t.Errorf("deleted relay: %v", err)
		}
		if err := tx.DeleteRelay(a.URL); !errors.Is(err, ErrNotFound) {
			t.Errorf("deleting twice: %v", err)
		}
		return nil
	})
}
