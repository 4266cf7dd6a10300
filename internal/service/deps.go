package service

import (
	"context"
	"log/slog"
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
// a bare host / base URL (meaning that server's instance actor).
type Resolver interface {
	ResolveActor(ctx context.Context, target string) (model.Actor, error)
}

// KeyPair makes a new RSA key pair as PEM (private PKCS#8, public PKIX).
type KeyPair func() (privatePEM, publicPEM string, err error)

// Deps are what a Service needs.
type Deps struct {
	Store    *store.Store
	URIs     uris.URIs
	Renderer Renderer
	Resolver Resolver
	KeyPair  KeyPair
	Poke     func() // wakes the delivery workers after a commit; may be nil
	// Changed is told, after a commit, the IRIs of the organisations,
	// actors and objects it changed (the directory refreshes them); may be nil.
	Changed func(ids ...string)
	Now     func() time.Time
	Log     *slog.Logger
	// ReminderDays is how many days before a call's deadline the accounts
	// it matched are reminded of it (0: 7).
	ReminderDays int
	// Mail sends an e-mail digest; nil: no digests are sent.
	Mail Mailer
}

// Service implements the use cases. It is safe for concurrent use.
type Service struct {
	Deps
	match  *matcher    // matching.go
	resets chan string // reset.go: requests waiting for RunResets
	// resetMails and confirmMails bound the reset and address
	// confirmation e-mails per mailbox (mailbox_limit.go).
	resetMails, confirmMails *mailboxLimit
}

// New returns a Service.
func New(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Poke == nil {
		d.Poke = func() {}
	}
	if d.Changed == nil {
		d.Changed = func(...string) {}
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.ReminderDays <= 0 {
		d.ReminderDays = 7
	}
	return &Service{Deps: d, match: newMatcher(), resets: make(chan string, resetQueueLen),
		resetMails:   newMailboxLimit(mailboxMaxLinks, mailboxWindow, mailboxMaxKeys),
		confirmMails: newMailboxLimit(mailboxMaxLinks, mailboxWindow, mailboxMaxKeys)}
}
