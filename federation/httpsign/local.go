package httpsign

import (
	"crypto/rsa"
	"fmt"
	"sync"

	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// LocalKeys gives the key a local actor signs with, read from the store
// (model.Org.PrivateKeyPEM) and kept parsed: the delivery workers sign every
// POST and the fetch client every GET, and parsing a PEM key costs more than
// the signature. A local actor's key never changes once created, so entries
// are never invalidated. It is safe for concurrent use.
type LocalKeys struct {
	st *store.Store
	u  uris.URIs

	// mu guards keys, the parsed private keys by local actor name.
	mu   sync.Mutex
	keys map[string]*rsa.PrivateKey
}

// NewLocalKeys returns the local keys of the actors stored in st, whose
// key ids are built by u.
func NewLocalKeys(st *store.Store, u uris.URIs) *LocalKeys {
	return &LocalKeys{st: st, u: u, keys: make(map[string]*rsa.PrivateKey)}
}

// Key returns the key id and private key of the local actor name.
func (k *LocalKeys) Key(name string) (keyID string, key *rsa.PrivateKey, err error) {
	k.mu.Lock()
	key = k.keys[name]
	k.mu.Unlock()
	if key != nil {
		return k.u.KeyID(name), key, nil
	}
	var pemText string
	err = k.st.View(func(tx *store.Tx) error {
		o, err := tx.Org(name)
		pemText = o.PrivateKeyPEM
		return err
	})
	if err != nil {
		return "", nil, fmt.Errorf("httpsign: key of %s: %w", name, err)
	}
	if key, err = DecodePrivateKey(pemText); err != nil {
		return "", nil, fmt.Errorf("httpsign: key of %s: %w", name, err)
	}
	k.mu.Lock()
	k.keys[name] = key
	k.mu.Unlock()
	return k.u.KeyID(name), key, nil
}
