package httpsign

import (
	"context"
	"crypto/rsa"
	"fmt"
	"sync"
	"sync/atomic"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// LocalKeys gives the key a local actor signs with, read from the store
// (model.Org.PrivateKeyPEM) and kept parsed: the delivery workers sign every
// POST and the fetch client every GET, and parsing a PEM key costs more than
// the signature. A local actor's key never changes once created, so entries
// are never invalidated. It is safe for concurrent use.
//
// An imported organisation is created without a key (generating 15,000 RSA
// keys takes minutes): its key is made on first use, when it first signs or
// its actor is first served (Ensure).
type LocalKeys struct {
	st  *store.Store
	u   uris.URIs
	gen KeyPair
	// making allows one key generation at a time: a key takes about a
	// quarter of a second of CPU, and anyone may GET the actors of an
	// import's thousands of organisations. The work stays bounded (each
	// key is made once, then stored) and takes one core at most.
	making chan struct{}
	// waiters counts the callers waiting for making, at most
	// maxKeyWaiters (local_wait.go).
	waiters atomic.Int32

	// mu guards keys, the parsed private keys by local actor name.
	mu   sync.Mutex
	keys map[string]*rsa.PrivateKey
}

// KeyPair makes a new key pair as PEM (private PKCS#8, public PKIX).
type KeyPair func() (privatePEM, publicPEM string, err error)

// NewLocalKeys returns the local keys of the actors stored in st, whose
// key ids are built by u. Keys made on first use come from GenerateKey.
func NewLocalKeys(st *store.Store, u uris.URIs) *LocalKeys {
	return NewLazyLocalKeys(st, u, generatePair)
}

// NewLazyLocalKeys is NewLocalKeys with the generator of the keys made on
// first use.
func NewLazyLocalKeys(st *store.Store, u uris.URIs, gen KeyPair) *LocalKeys {
	return &LocalKeys{st: st, u: u, gen: gen, making: make(chan struct{}, 1), keys: make(map[string]*rsa.PrivateKey)}
}

func generatePair() (string, string, error) {
	k, err := GenerateKey()
	if err != nil {
		return "", "", err
	}
	pub, err := EncodePublicKey(&k.PublicKey)
	if err != nil {
		return "", "", err
	}
	return EncodePrivateKey(k), pub, nil
}

// Ensure returns the public key of the local actor name as PEM, making
// and storing its key pair first if it has none. The key is generated
// outside the store's write lock; when two callers race, the first stored
// wins and the other's is dropped.
func (k *LocalKeys) Ensure(name string) (publicPEM string, err error) {
	return k.EnsureContext(context.Background(), name)
}

// EnsureContext is Ensure for a request: waiting for the generation slot
// ends with ctx, and past maxKeyWaiters waiting callers it answers
// errs.RateLimited at once (local_wait.go).
func (k *LocalKeys) EnsureContext(ctx context.Context, name string) (publicPEM string, err error) {
	stored := func() (string, error) {
		var o model.Org
		if err := k.st.View(func(tx *store.Tx) (err error) { o, err = tx.Org(name); return err }); err != nil {
			return "", fmt.Errorf("httpsign: key of %s: %w", name, err)
		}
		return o.PublicKeyPEM, nil
	}
	if pub, err := stored(); pub != "" || err != nil {
		return pub, err
	}
	if err := k.acquire(ctx); err != nil {
		return "", fmt.Errorf("httpsign: key of %s: %w", name, err)
	}
	defer func() { <-k.making }()
	if pub, err := stored(); pub != "" || err != nil {
		return pub, err // made while this one waited its turn
	}
	priv, pub, err := k.gen()
	if err != nil {
		return "", fmt.Errorf("httpsign: key of %s: %w", name, err)
	}
	err = k.st.Update(func(tx *store.Tx) error {
		o, err := tx.Org(name)
		if err != nil {
			return err
		}
		if o.PublicKeyPEM != "" {
			pub = o.PublicKeyPEM
			return nil
		}
		o.PrivateKeyPEM, o.PublicKeyPEM = priv, pub
		return tx.PutOrg(o)
	})
	if err != nil {
		return "", fmt.Errorf("httpsign: store key of %s: %w", name, err)
	}
	return pub, nil
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
	if pemText == "" {
		if _, err := k.Ensure(name); err != nil {
			return "", nil, err
		}
		err = k.st.View(func(tx *store.Tx) error {
			o, err := tx.Org(name)
			pemText = o.PrivateKeyPEM
			return err
		})
		if err != nil {
			return "", nil, fmt.Errorf("httpsign: key of %s: %w", name, err)
		}
	}
	if key, err = DecodePrivateKey(pemText); err != nil {
		return "", nil, fmt.Errorf("httpsign: key of %s: %w", name, err)
	}
	k.mu.Lock()
	k.keys[name] = key
	k.mu.Unlock()
	return k.u.KeyID(name), key, nil
}
