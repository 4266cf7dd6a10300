package federation

import (
	"context"
	"crypto"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"codeberg.org/maillage/maillage/internal/sanitize"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/uris"
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

// Federation is the serving half of ActivityPub for one instance: the
// inbox, the actor and object documents, the collections, WebFinger and
// NodeInfo. It applies what arrives through the service, and fetches what it
// needs to verify and convert (keys, actors, outboxes) through its Client.
type Federation struct {
	uris    uris.URIs
	svc     *service.Service
	fetch   *Client
	render  *Renderer
	san     *sanitize.Policy
	log     *slog.Logger
	now     func() time.Time
	version string

	// inboxSlots bounds the inbox requests processed at once, bodyBytes
	// the bytes of the inbox bodies held (inbox_body.go).
	inboxSlots chan struct{}
	bodyBytes  atomic.Int64
	bodyLimits bodyLimits
	// refusalLog and failureLog bound the log lines of inbox requests
	// refused and failed (inbox_log.go).
	refusalLog, failureLog logWindow
	// bodyBufs holds buffers for inbox bodies of announced length up to
	// maxPresized: the decoded activity copies what it keeps (encoding/json
	// makes new strings), so a body's bytes are free once its request is
	// answered, and most bodies are read without allocating.
	bodyBufs sync.Pool
	// backfill queues the backfills to run (see backfill.go).
	backfill *backfiller
	onInbox  func(activityType, outcome string)
	docs     *Documents // nil: rendered on every GET
	// relayQueue holds the object ids relays sent, to fetch (relay.go).
	relayQueue chan relayJob
	network    NetworkOptions
	peersPoke  chan struct{} // a server became known: read NodeInfo soon (peers.go)
	// backfillTimes are the time budget of a backfill run and the
	// interval of the retries of paused backfills (backfill.go).
	backfillTimes struct{ budget, retry time.Duration }
	// backfillLimits bound one backfill (backfill.go, newBackfillLimits).
	backfillLimits backfillLimits
}

// Config wires a Federation.
type Config struct {
	URIs     uris.URIs
	Service  *service.Service
	Client   *Client // the outgoing half: fetches and resolves
	Renderer *Renderer
	Sanitize *sanitize.Policy
	Log      *slog.Logger
	Now      func() time.Time
	Version  string
	// OnInbox, if set, is told the type and outcome of every inbox POST
	// (metrics; see inbox_count.go).
	OnInbox func(activityType, outcome string)
	// BeforeBackfillPage, if set, is called before each document a
	// backfill fetches; it must return when ctx ends (tests).
	BeforeBackfillPage func(ctx context.Context, url string)
	// Docs, if set, keeps rendered actor and object documents; it must be
	// among the service's OnCommit observers, or it would serve stale ones.
	Docs *Documents
	// Network bounds the NodeInfo reads of the network page (peers.go).
	Network NetworkOptions
	// BackfillBudget is how long a backfill runs before it pauses (default
	// 2 minutes); BackfillRetry how often paused backfills are resumed
	// (default 5 minutes).
	BackfillBudget, BackfillRetry time.Duration
	// BackfillMaxOrgs bounds the organisations read from a followed
	// instance; 0 or more than service.BackfillMaxOrgs: that.
	BackfillMaxOrgs int
}

// New returns a Federation.
func New(c Config) (*Federation, error) {
	if c.Service == nil || c.Client == nil || c.Renderer == nil || c.Sanitize == nil || c.Log == nil {
		return nil, errors.New("federation: New needs a service, a client, a renderer, a sanitizer and a logger")
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	f := &Federation{uris: c.URIs, svc: c.Service, fetch: c.Client, render: c.Renderer,
		san: c.Sanitize, log: c.Log, now: c.Now, version: c.Version,
		inboxSlots: make(chan struct{}, maxInboxConcurrent),
		bodyLimits: bodyLimits{timeout: inboxReadTimeout, budget: inboxReadBudget}, backfill: newBackfiller(c.BeforeBackfillPage),
		onInbox: c.OnInbox, docs: c.Docs, relayQueue: make(chan relayJob, relayQueueLen), network: c.Network.withDefaults(),
		peersPoke: make(chan struct{}, 1)}
	f.backfillTimes.budget, f.backfillTimes.retry = positive(c.BackfillBudget, 2*time.Minute), positive(c.BackfillRetry, 5*time.Minute)
	f.backfillLimits = newBackfillLimits(c.BackfillMaxOrgs)
	return f, nil
}

// PublicKey implements httpsign.KeyFunc for the inbox: local keys, then
// (unless refresh) the Client's cache and the actors stored by the service,
// then a signed fetch; when the key's owner was fetched to find it, the copy
// of that actor stored here (if any) is replaced by the fetched one (a
// rotated key, an edited profile).
func (f *Federation) PublicKey(ctx context.Context, keyID string, refresh bool) (string, crypto.PublicKey, error) {
	owner, key, fetched, err := f.fetch.publicKey(ctx, keyID, refresh, f.svc.ActorByKeyID)
	if fetched != nil {
		if rerr := f.svc.RefreshActor(ctx, *fetched); rerr != nil {
			return "", nil, rerr
		}
	}
	return owner, key, err
}

// positive is d, or def when d is not positive.
func positive(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
