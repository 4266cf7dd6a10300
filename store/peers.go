package store

import (
	"bytes"
	"encoding/json"
	"fmt"

	"codeberg.org/maillage/maillage/internal/model"
)

// Peer returns what is known of the server host.
func (t *Tx) Peer(host string) (model.Peer, error) {
	var p model.Peer
	err := t.getJSON(bucketPeers, []byte(host), &p)
	return p, err
}

// PutPeer stores p under its host.
func (t *Tx) PutPeer(p model.Peer) error { return t.putJSON(bucketPeers, []byte(p.Host), p) }

// DeletePeer forgets the server host.
func (t *Tx) DeletePeer(host string) error {
	if err := t.bucket(bucketPeers).Delete([]byte(host)); err != nil {
		return fmt.Errorf("store: delete peer %s: %w", host, err)
	}
	return nil
}

// Peers lists the servers known, by host.
func (t *Tx) Peers() ([]model.Peer, error) {
	var out []model.Peer
	err := t.eachPrefix(bucketPeers, nil, false, func(_, v []byte) (bool, error) {
		var p model.Peer
		if err := json.Unmarshal(v, &p); err != nil {
			return false, fmt.Errorf("store: decode peer: %w", err)
		}
		out = append(out, p)
		return true, nil
	})
	return out, err
}

// PeerCount is the number of servers stored.
func (t *Tx) PeerCount() int { return t.bucket(bucketPeers).Stats().KeyN }

// EachFollowIRI calls fn with the remote actor of every follow: following
// true for the actors local ones follow, false for their followers. It
// reads keys only; fn returns false to stop.
func (t *Tx) EachFollowIRI(following bool, fn func(iri string) bool) error {
	b := bucketFollowers
	if following {
		b = bucketFollowing
	}
	return t.eachPrefix(b, nil, false, func(k, _ []byte) (bool, error) {
		i := bytes.IndexByte(k, 0)
		return i < 0 || fn(string(k[i+1:])), nil
	})
}

// EachActorIRI calls fn with the IRI of every stored remote actor, keys
// only; fn returns false to stop.
func (t *Tx) EachActorIRI(fn func(iri string) bool) error {
	return t.eachPrefix(bucketActors, nil, false, func(k, _ []byte) (bool, error) { return fn(string(k)), nil })
}
