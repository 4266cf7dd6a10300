package federation

import (
	"crypto/rsa"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/sanitize"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/uris"
)

// Client is the outgoing half of federation: signed fetches of remote
// documents (fetch.go), WebFinger and NodeInfo lookups (resolve.go), and the
// caches of remote keys and actors (actors.go). It returns what it fetched
// and stores nothing: a remote actor is stored by the use case that creates
// a relationship with it. It is built before the service, which resolves
// through it (it implements service.Resolver), and reads no store: local
// signing keys come from httpsign.LocalKeys, stored remote keys from the
// service through Federation.PublicKey, and the service describes its own
// actors (it asks only for remote ones). It is safe for concurrent use.
type Client struct {
	uris         uris.URIs
	local        *httpsign.LocalKeys // the instance actor signs fetches
	http         *http.Client
	san          *sanitize.Policy
	log          *slog.Logger
	now          func() time.Time
	fingerScheme string

	// mu guards keys, a cache of parsed remote public keys by key id,
	// refreshed, the last refetch of a key after a failed verification,
	// and actors, recently fetched remote actors by IRI (actors.go).
	mu        sync.Mutex
	keys      map[string]cachedKey
	refreshed map[string]time.Time
	actors    map[string]model.Actor
}

type cachedKey struct {
	owner string
	key   *rsa.PublicKey
}

// ClientConfig wires a Client.
type ClientConfig struct {
	URIs      uris.URIs
	LocalKeys *httpsign.LocalKeys
	HTTP      *http.Client // the guarded outgoing client (safehttp)
	Sanitize  *sanitize.Policy
	Log       *slog.Logger
	Now       func() time.Time
}

// NewClient returns a Client.
func NewClient(c ClientConfig) (*Client, error) {
	if c.LocalKeys == nil || c.HTTP == nil || c.Sanitize == nil || c.Log == nil {
		return nil, errors.New("federation: NewClient needs local keys, an HTTP client, a sanitizer and a logger")
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	scheme := "https"
	if len(c.URIs.Base) > 5 && c.URIs.Base[:5] == "http:" {
		scheme = "http" // a plain-http development instance talks to its peers in http
	}
	return &Client{uris: c.URIs, local: c.LocalKeys, http: c.HTTP, san: c.Sanitize, log: c.Log,
		now: c.Now, fingerScheme: scheme, keys: make(map[string]cachedKey), refreshed: make(map[string]time.Time),
		actors: make(map[string]model.Actor)}, nil
}

// Client implements service.Resolver.
var _ service.Resolver = (*Client)(nil)
