package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"path"
	"time"

	"codeberg.org/maillage/maillage/internal/matching"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/secret"
	"codeberg.org/maillage/maillage/store"
)

// Notification kinds.
const (
	NoticeMatch    = "match"    // a call matched the account's interests
	NoticeReminder = "reminder" // the deadline of a matched call is near
)

// Digest frequencies.
var DigestFrequencies = []string{"off", "daily", "weekly"}

// matcher holds the interests of every account in a matching.Index, so
// that an arriving call visits only the accounts it may match.
type matcher struct {
	ix *matching.Index
}

func newMatcher() *matcher { return &matcher{ix: matching.New()} }

// LoadInterests fills the matching index from the stored interests of
// every account. Call it once at start.
func (s *Service) LoadInterests(ctx context.Context) error {
	return s.store.View(func(tx *store.Tx) error {
		if err := tx.EachPrefs(func(name string, p store.Prefs) error {
			in, err := decodeInterests(p.Interests)
			if err != nil {
				return fmt.Errorf("interests of %s: %w", name, err)
			}
			if !in.IsEmpty() {
				s.match.ix.Set(name, in)
			}
			return nil
		}); err != nil {
			return err
		}
		return s.loadOrgInterests(tx)
	})
}

func decodeInterests(raw json.RawMessage) (matching.Interests, error) {
	var in matching.Interests
	if len(raw) == 0 {
		return in, nil
	}
	err := json.Unmarshal(raw, &in)
	return in, err
}

// Prefs returns an account's matching settings and interests.
func (s *Service) Prefs(ctx context.Context, p Principal, username string) (store.Prefs, matching.Interests, error) {
	if err := authorizeSelf(p, username, "read the settings"); err != nil {
		return store.Prefs{}, matching.Interests{}, err
	}
	return s.prefs(username)
}

func (s *Service) prefs(username string) (store.Prefs, matching.Interests, error) {
	var p store.Prefs
	err := s.store.View(func(tx *store.Tx) (err error) {
		p, err = tx.Prefs(username)
		return err
	})
	if err != nil {
		return p, matching.Interests{}, err
	}
	in, err := decodeInterests(p.Interests)
	return p, in, err
}

// SetInterests validates and stores username's interests, updates the
// index and notifies the account of the open calls it now matches.
func (s *Service) SetInterests(ctx context.Context, p Principal, username string, in matching.Interests) error {
	if err := authorizeSelf(p, username, "set the interests"); err != nil {
		return err
	}
	if err := in.Validate(); err != nil {
		return err
	}
	raw, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("set interests: %w", err)
	}
	err = s.changePrefs(username, func(p *store.Prefs) error { p.Interests = raw; return nil })
	if err != nil {
		return fmt.Errorf("set interests of %s: %w", username, err)
	}
	if in.IsEmpty() {
		s.match.ix.Remove(username)
		return nil
	}
	s.match.ix.Set(username, in)
	return s.matchKnown(username, in)
}

// matchKnown notifies username of the known open calls in matches.
func (s *Service) matchKnown(username string, in matching.Interests) error {
	now := s.Now()
	return s.store.Update(func(tx *store.Tx) error {
		objs, err := projectsAndCalls(tx)
		if err != nil {
			return err
		}
		for _, o := range objs {
			if in.Matches(o, now) && s.canSee(tx, username, o) {
				if _, err := tx.AddNotification(username, NoticeMatch, o.ID, now.UTC()); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// changePrefs applies change to the prefs of an existing account.
func (s *Service) changePrefs(username string, change func(p *store.Prefs) error) error {
	return s.store.Update(func(tx *store.Tx) error {
		if _, err := tx.Account(username); err != nil {
			return err
		}
		p, err := tx.Prefs(username)
		if err != nil {
			return err
		}
		if err := change(&p); err != nil {
			return err
		}
		return tx.PutPrefs(username, p)
	})
}

// SetMailSettings sets the address and frequency of username's digest. A
// new or changed address is unconfirmed (no digest goes to it) until its
// owner opens the link SendEmailConfirmation e-mails it, which is tried
// at once: a failure to send leaves the settings saved and is only
// logged, the settings page offering to send the link again.
func (s *Service) SetMailSettings(ctx context.Context, p Principal, username, email, digest string) error {
	if err := authorizeSelf(p, username, "set the mail settings"); err != nil {
		return err
	}
	fields := model.FieldErrors{}
	if email != "" {
		if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
			fields["email"] = model.Problem("validation.email")
		}
	}
	switch digest {
	case "off", "daily", "weekly":
	default:
		fields["digest"] = model.Problem("validation.digest")
	}
	if len(fields) > 0 {
		return &model.ValidationError{Fields: fields}
	}
	changed := false
	err := s.changePrefs(username, func(p *store.Prefs) error {
		if email != p.Email {
			changed = true
			p.ConfirmedEmail, p.ConfirmHash, p.ConfirmFor, p.ConfirmExpires = "", "", "", time.Time{}
		}
		p.Email, p.Digest = email, digest
		return nil
	})
	if err != nil || !changed || email == "" {
		return err
	}
	if err := s.sendEmailConfirmation(ctx, username); errors.Is(err, ErrTooManyMails) {
		s.log.Warn("confirmation e-mail rate limited", "account", username)
	} else if err != nil {
		s.log.Error("confirmation e-mail failed", "account", username, "err", err)
	}
	return nil
}

// NewFeedSecret gives username's Atom feed a new random secret (the old
// URL stops working) and returns it.
func (s *Service) NewFeedSecret(ctx context.Context, p Principal, username string) (string, error) {
	if err := authorizeSelf(p, username, "renew the feed secret"); err != nil {
		return "", err
	}
	token, _ := secret.New()
	err := s.changePrefs(username, func(p *store.Prefs) error { p.FeedSecret = token; return nil })
	return token, err
}

// matchCalls notifies the accounts whose interests match the open calls
// among ids, once per account and call. It runs in the transaction that
// stored the calls, so that a call and its notifications are committed
// together or not at all; ids that are not calls are skipped.
func (s *Service) matchCalls(tx *store.Tx, ids ...string) error {
	now := s.Now()
	for _, id := range ids {
		o, err := tx.Object(id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("match %s: %w", id, err)
		}
		if o.Kind != model.KindCall {
			continue
		}
		names := s.match.ix.Match(o, now)
		if len(names) == 0 {
			continue
		}
		names, err = expandSubscribers(tx, names) // organisations' interests reach their accounts
		if err != nil {
			return fmt.Errorf("match %s: %w", id, err)
		}
		if err := s.notify(tx, names, NoticeMatch, id, now); err != nil {
			return fmt.Errorf("match %s: %w", id, err)
		}
	}
	return nil
}

// notify adds a notification of kind about call for each enabled account
// of names that may see it and has not had one.
func (s *Service) notify(tx *store.Tx, names []string, kind, call string, now time.Time) error {
	o, err := tx.Object(call)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, name := range names {
		a, err := tx.Account(name)
		if errors.Is(err, store.ErrNotFound) || (err == nil && a.Disabled) {
			continue
		}
		if err != nil {
			return err
		}
		if !s.canSee(tx, name, o) {
			continue
		}
		if _, err := tx.AddNotification(name, kind, call, now.UTC()); err != nil {
			return err
		}
	}
	return nil
}

// Notice is a notification with its call, as a page shows it.
type Notice struct {
	store.Notification
	Call     model.Object
	Org      string // the call's organisation
	DaysLeft int    // days to the deadline, -1 without one
}

// Notices returns username's newest notifications (at most limit) whose
// call is still known.
func (s *Service) Notices(ctx context.Context, p Principal, username string, limit int) ([]Notice, error) {
	if err := authorizeSelf(p, username, "read the notifications"); err != nil {
		return nil, err
	}
	return s.notices(username, limit)
}

func (s *Service) notices(username string, limit int) ([]Notice, error) {
	var out []Notice
	now := s.Now()
	err := s.store.View(func(tx *store.Tx) error {
		ns, err := tx.Notifications(username, limit)
		if err != nil {
			return err
		}
		for _, n := range ns {
			o, err := tx.Object(n.Call)
			if err != nil || o.IsDeleted() || !s.canSee(tx, username, o) {
				continue // gone, or no longer visible to the account (an Update, an unfollow)
			}
			out = append(out, Notice{Notification: n, Call: o, Org: orgLabel(tx, o.AttributedTo), DaysLeft: daysLeft(o, now)})
		}
		return nil
	})
	return out, err
}

// MarkAllRead marks all of username's notifications read.
func (s *Service) MarkAllRead(ctx context.Context, p Principal, username string) error {
	if err := authorizeSelf(p, username, "mark the notifications read"); err != nil {
		return err
	}
	return s.store.Update(func(tx *store.Tx) error {
		return tx.UpdateNotifications(username, func(n *store.Notification) bool {
			was := n.Read
			n.Read = true
			return !was
		})
	})
}

// FeedNotices returns the account and its matched calls for an Atom feed
// secret; ErrNotFound when the secret is no account's.
func (s *Service) FeedNotices(ctx context.Context, secret string) (string, []Notice, error) {
	var name string
	err := s.store.View(func(tx *store.Tx) (err error) {
		if name, err = tx.FeedAccount(secret); err != nil {
			return err
		}
		if a, err := tx.Account(name); err != nil || a.Disabled {
			return store.ErrNotFound // a disabled account's feed is closed too
		}
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	ns, err := s.notices(name, 100)
	var calls []Notice
	seen := map[string]bool{}
	for _, n := range ns {
		if !seen[n.Call.ID] {
			seen[n.Call.ID] = true
			calls = append(calls, n)
		}
	}
	return name, calls, err
}

func orgLabel(tx *store.Tx, actor string) string {
	if a, err := tx.Actor(actor); err == nil {
		if a.Name != "" {
			return a.Name
		}
		return a.Username
	}
	if o, err := tx.Org(path.Base(actor)); err == nil {
		if o.DisplayName != "" {
			return o.DisplayName
		}
		return o.Name
	}
	return path.Base(actor)
}

func daysLeft(o model.Object, now time.Time) int {
	if o.Deadline == nil {
		return -1
	}
	return max(int(o.Deadline.Sub(now).Hours()/24), 0)
}
