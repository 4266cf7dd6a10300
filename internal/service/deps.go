package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"codeberg.org/maillage/maillage/internal/errs"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// Errors callers branch on; their kinds (internal/errs) are mapped to HTTP
// statuses in one place, internal/httperr.
var (
	ErrNotFound  = store.ErrNotFound
	ErrForbidden = errs.New(errs.Forbidden, "service: forbidden")
	ErrConflict  = errs.New(errs.Conflict, "service: conflict")
)

// Renderer turns an outgoing activity into the exact JSON that is stored and
// delivered. Package federation implements it.
type Renderer interface {
	RenderActivity(a model.Activity) ([]byte, error)
}

// Resolver finds a remote actor from a handle (name@host), an actor IRI, or
// a bare host / base URL (meaning that server's instance actor). The service
// recognises its own actors before asking (resolve.go); when a remote name or
// link leads back here, the Resolver returns an actor with only the local IRI
// as ID, for the service to describe.
type Resolver interface {
	ResolveActor(ctx context.Context, target string) (model.Actor, error)
}

// KeyPair makes a new RSA key pair as PEM (private PKCS#8, public PKIX).
type KeyPair func() (privatePEM, publicPEM string, err error)

// Deps are what a Service needs; New checks that the required ones are
// there, and the Service keeps them in unexported fields: nothing replaces
// them once it is built.
type Deps struct {
	Store    *store.Store // required
	URIs     uris.URIs    // required: the base URL is the instance's identity
	Renderer Renderer     // required
	Resolver Resolver     // required
	KeyPair  KeyPair      // required
	// Poke wakes the delivery workers after a commit that queued
	// deliveries (required: build the workers first).
	Poke func()
	// OnCommit observers are told, after each commit, the IRIs of the
	// organisations, actors and objects it changed (the directory
	// refreshes them). They share one read transaction, opened after the
	// commit, which they must not keep: one transaction, not one each, on
	// every received activity. What an observer returns (nil for nothing)
	// runs once that transaction is closed: work that waits on locks, such
	// as updating the directory, does not hold the transaction open. They
	// run in the caller's goroutine, one commit's at a time (changed), and
	// must not call back into the Service: it would wait for them.
	OnCommit []Observer
	Now      func() time.Time // nil: time.Now
	Log      *slog.Logger     // nil: discarded
	// ReminderDays is how many days before a call's deadline the accounts
	// it matched are reminded of it (0: 7).
	ReminderDays int
	// Mail sends an e-mail digest; nil: no digests are sent.
	Mail Mailer
	// Sites reads websites to verify them and prove claims (verify.go,
	// claims.go); nil: websites are never checked and claims cannot be
	// proven.
	Sites SiteChecker
	// AutoConfirmClaims confirms a claim as soon as its website proves it,
	// without waiting for an administrator (claims.go).
	AutoConfirmClaims bool
	// PeerSources name servers of the network page besides follows and
	// stored actors (network.go).
	PeerSources []PeerSource
}

// Service implements the use cases. It is safe for concurrent use.
type Service struct {
	store        *store.Store
	uris         uris.URIs
	renderer     Renderer
	resolver     Resolver
	keyPair      KeyPair
	poke         func()
	onCommit     []Observer
	observeMu    sync.Mutex // one commit's observers at a time (changed)
	clock        func() time.Time
	log          *slog.Logger
	reminderDays int
	mail         Mailer

	match  *matcher      // matching.go
	resets chan string   // reset.go: requests waiting for RunResets
	early  *earlyDeletes // early.go: Deletes of unknown ids by strangers
	// resetMails and confirmMails bound the reset and address
	// confirmation e-mails per mailbox (mailbox_limit.go).
	resetMails, confirmMails *mailboxLimit
	// confirmAccounts bounds the confirmation e-mails each account causes,
	// whatever addresses it gives, so that an account cannot mail strangers
	// by changing its address again and again.
	confirmAccounts *mailboxLimit
	moveAttempts    *moveAttempts // moves.go

	sites      SiteChecker   // verify.go; nil: no checks
	verifyQ    chan string   // IRIs changed, for RunVerifications
	autoClaims bool          // claims.go: proven claims confirm themselves
	claimOpens *mailboxLimit // claims.go: claims opened per client
	// relayRates bounds the objects each relay may send a minute
	// (relay_receive.go).
	relayRates relayRates

	peerSources []PeerSource // network.go
}

// ErrMissingDeps is returned by New when a required dependency is missing.
var ErrMissingDeps = errors.New("service: missing dependencies")

// New returns a Service, or ErrMissingDeps naming what d lacks.
func New(d Deps) (*Service, error) {
	var missing []string
	for _, m := range []struct {
		name    string
		missing bool
	}{
		{"Store", d.Store == nil}, {"URIs", d.URIs.Base == ""}, {"Renderer", d.Renderer == nil},
		{"Resolver", d.Resolver == nil}, {"KeyPair", d.KeyPair == nil}, {"Poke", d.Poke == nil},
	} {
		if m.missing {
			missing = append(missing, m.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: %s", ErrMissingDeps, strings.Join(missing, ", "))
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.ReminderDays <= 0 {
		d.ReminderDays = 7
	}
	return &Service{store: d.Store, uris: d.URIs, renderer: d.Renderer, resolver: d.Resolver, keyPair: d.KeyPair,
		poke: d.Poke, onCommit: slices.Clone(d.OnCommit), clock: d.Now, log: d.Log, reminderDays: d.ReminderDays,
		mail: d.Mail, peerSources: d.PeerSources, match: newMatcher(), resets: make(chan string, resetQueueLen),
		early:           &earlyDeletes{m: make(map[string]time.Time)},
		resetMails:      newMailboxLimit(mailboxMaxLinks, mailboxWindow, mailboxMaxKeys),
		confirmMails:    newMailboxLimit(mailboxMaxLinks, mailboxWindow, mailboxMaxKeys),
		confirmAccounts: newMailboxLimit(accountMaxConfirmations, mailboxWindow, mailboxMaxKeys),
		moveAttempts:    newMoveAttempts(),
		sites:           d.Sites, verifyQ: make(chan string, verifyQueueLen), autoClaims: d.AutoConfirmClaims,
		claimOpens: newMailboxLimit(claimsPerClient, claimClientWindow, mailboxMaxKeys)}, nil
}

// Now is the Service's clock (web shows dates and checks expiries with it).
func (s *Service) Now() time.Time { return s.clock() }

// Observer is told of a commit (Deps.OnCommit); what it returns runs
// after tx is closed.
type Observer func(tx *store.Tx, ids ...string) (after func())

// changed tells the OnCommit observers what a commit changed. One commit's
// observers read and apply before the next's read (observeMu): their read
// then finds every commit before it, and what they apply last is the
// latest state. Without it, a Create's entry, read before a Delete of the
// same object committed and applied after the Delete's removal, would
// list the deleted object until the next restart.
func (s *Service) changed(ids ...string) {
	if len(s.onCommit) > 0 {
		s.observeMu.Lock()
		defer s.observeMu.Unlock()
		var after []func()
		_ = s.store.View(func(tx *store.Tx) error {
			for _, f := range s.onCommit {
				if then := f(tx, ids...); then != nil {
					after = append(after, then)
				}
			}
			return nil
		})
		for _, then := range after {
			then()
		}
	}
	s.noticeWebsites(ids)
}
