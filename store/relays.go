package store

import (
	"encoding/json"
	"fmt"

	"codeberg.org/maillage/maillage/internal/model"
)

// Relays are keyed by their URL; organisations stored through a relay
// (with no other relationship that keeps them) by their IRI.

// PutRelay stores (or replaces) a relay.
func (t *Tx) PutRelay(r model.Relay) error {
	return t.putJSON(bucketRelays, []byte(r.URL), r)
}

// Relay returns the relay subscribed at url.
func (t *Tx) Relay(url string) (model.Relay, error) {
	var r model.Relay
	if err := t.getJSON(bucketRelays, []byte(url), &r); err != nil {
		return r, fmt.Errorf("relay %s: %w", url, err)
	}
	return r, nil
}

// DeleteRelay forgets a relay; ErrNotFound if there is none.
func (t *Tx) DeleteRelay(url string) error {
	if t.bucket(bucketRelays).Get([]byte(url)) == nil {
		return fmt.Errorf("relay %s: %w", url, ErrNotFound)
	}
	return t.bucket(bucketRelays).Delete([]byte(url))
}

// Relays lists the relays in URL order (an instance joins a few).
func (t *Tx) Relays() ([]model.Relay, error) {
	var out []model.Relay
	err := t.eachPrefix(bucketRelays, nil, false, func(_, v []byte) (bool, error) {
		var r model.Relay
		if err := json.Unmarshal(v, &r); err != nil {
			return false, fmt.Errorf("store: decode relay: %w", err)
		}
		out = append(out, r)
		return true, nil
	})
	return out, err
}

// PutRelayedActor records that the organisation actor was stored through
// the relay at url, which keeps it (NeededActors) while nothing else does.
func (t *Tx) PutRelayedActor(actor, url string) error {
	return t.bucket(bucketRelayedActors).Put([]byte(actor), []byte(url))
}

// IsRelayedActor reports whether actor was stored through a relay.
func (t *Tx) IsRelayedActor(actor string) bool {
	return t.bucket(bucketRelayedActors).Get([]byte(actor)) != nil
}

// RelayedActorOn returns the relay through which an organisation on
// origin (scheme://host[:port]) was stored, and that organisation, if any.
func (t *Tx) RelayedActorOn(origin string) (url, actor string, ok bool) {
	prefix := []byte(origin + "/")
	k, v := t.bucket(bucketRelayedActors).Cursor().Seek(prefix)
	if k == nil || !hasPrefix(k, prefix) {
		return "", "", false
	}
	return string(v), string(k), true
}
