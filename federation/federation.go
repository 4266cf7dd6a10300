package federation

import (
	"context"
	"crypto/rsa"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/sanitize"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// Limits.
const (
	MaxInboxBody   = 1 << 20 // Mastodon's MAX_JSON_SIZE
	maxFetchBody   = 1 << 20
	maxCachedKeys  = 10000
	collectionPage = 50
	// maxInboxConcurrent inbox requests are processed at once; more get 503
	// with Retry-After, which Mastodon and GoToSocial retry later.
	maxInboxConcurrent = 64
)

// Federation serves and consumes ActivityPub for one instance.
type Federation struct {
	uris         uris.URIs
	store        *store.Store
	svc          *service.Service
	render       *Renderer
	client       *http.Client
	san          *sanitize.Policy
	log          *slog.Logger
	now          func() time.Time
	version      string
	fingerScheme string

	// mu guards keys, a cache of parsed remote public keys by key id, and
	// priv, the parsed private keys of local actors by name.
	mu        sync.Mutex
	keys      map[string]cachedKey
	priv      map[string]*rsa.PrivateKey
	refreshed map[string]time.Time // last refetch of a key after a failed verification

	// actors, also guarded by mu, caches recently fetched remote actors
	// by IRI (actors.go).
	actors map[string]model.Actor

	// inboxSlots bounds the inbox requests processed at once, bodyBytes
	// the bytes of the inbox bodies held (inbox_body.go).
	inboxSlots chan struct{}
	bodyBytes  atomic.Int64
	bodyLimits bodyLimits
	// backfill queues actors whose outbox to read (see backfill.go).
	backfill chan string
	onInbox  func(activityType, outcome string)
}

type cachedKey struct {
	owner string
	key   *rsa.PublicKey
}

// Config wires a Federation.
type Config struct {
	URIs     uris.URIs
	Store    *store.Store
	Service  *service.Service
	Renderer *Renderer
	Client   *http.Client // the guarded outgoing client (safehttp)
	Sanitize *sanitize.Policy
	Log      *slog.Logger
	Now      func() time.Time
	Version  string
	// OnInbox, if set, is told the type and outcome of every inbox POST
	// (metrics; see inbox_count.go).
	OnInbox func(activityType, outcome string)
}

// New returns a Federation.
func New(c Config) *Federation {
	if c.Now == nil {
		c.Now = time.Now
	}
	scheme := "https"
	if len(c.URIs.Base) > 5 && c.URIs.Base[:5] == "http:" {
		scheme = "http" // a plain-http development instance talks to its peers in http
	}
	return &Federation{uris: c.URIs, store: c.Store, svc: c.Service, render: c.Renderer, client: c.Client,
		san: c.Sanitize, log: c.Log, now: c.Now, version: c.Version, fingerScheme: scheme,
		keys: make(map[string]cachedKey), priv: make(map[string]*rsa.PrivateKey), refreshed: make(map[string]time.Time),
		actors:     make(map[string]model.Actor),
		inboxSlots: make(chan struct{}, maxInboxConcurrent),
		bodyLimits: bodyLimits{timeout: inboxReadTimeout, budget: inboxReadBudget}, backfill: make(chan string, backfillQueue),
		onInbox: c.OnInbox}
}

// signer returns the key pair a local actor signs with.
func (f *Federation) signer(name string) (keyID string, key *rsa.PrivateKey, err error) {
	f.mu.Lock()
	key = f.priv[name]
	f.mu.Unlock()
	if key != nil {
		return f.uris.KeyID(name), key, nil
	}
	o, err := f.svc.Org(context.Background(), name)
	if err != nil {
		return "", nil, fmt.Errorf("signer %s: %w", name, err)
	}
	key, err = httpsign.DecodePrivateKey(o.PrivateKeyPEM)
	if err != nil {
		return "", nil, fmt.Errorf("signer %s: %w", name, err)
	}
	f.mu.Lock()
	f.priv[name] = key
	f.mu.Unlock()
	return f.uris.KeyID(name), key, nil
}

// Signer is signer for the delivery workers.
func (f *Federation) Signer(name string) (string, *rsa.PrivateKey, error) { return f.signer(name) }
