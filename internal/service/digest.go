package service

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// Mailer sends one plain-text e-mail. The server implements it over SMTP.
type Mailer interface {
	Send(ctx context.Context, to, subject, body string) error
}

// SendReminders notifies, once, the accounts a call matched, and those
// whose Person actor follows (accepted) the organisation that published
// it, when its deadline is at most ReminderDays away; filled, closed and
// expired calls get none. It returns how many reminders it added. Run
// daily and at start.
func (s *Service) SendReminders(ctx context.Context) (int, error) {
	now := s.Now()
	horizon := now.Add(time.Duration(s.reminderDays) * 24 * time.Hour)
	count := 0
	err := s.store.Update(func(tx *store.Tx) error {
		objs, err := projectsAndCalls(tx)
		if err != nil {
			return err
		}
		var followers map[string][]string // built on the first call due
		for _, o := range objs {
			if o.IsDeleted() || o.Kind != model.KindCall || o.Deadline == nil || !o.CallState().IsOpen(now) || o.Deadline.After(horizon) {
				continue
			}
			names, err := tx.WasNotified(o.ID, NoticeMatch)
			if err != nil {
				return err
			}
			if followers == nil {
				if followers, err = memberFollowers(tx); err != nil {
					return err
				}
			}
			names = append(names, followers[o.AttributedTo]...)
			before, _ := tx.WasNotified(o.ID, NoticeReminder)
			if err := s.notify(tx, names, NoticeReminder, o.ID, now); err != nil {
				return err
			}
			after, _ := tx.WasNotified(o.ID, NoticeReminder)
			count += len(after) - len(before)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("send reminders: %w", err)
	}
	return count, nil
}

// memberFollowers maps each actor IRI to the accounts whose Person actor
// follows it with an accepted follow; blocked actors are left out.
func memberFollowers(tx *store.Tx) (map[string][]string, error) {
	accounts, err := tx.Accounts()
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, a := range accounts {
		fs, err := tx.FollowingList(model.PersonName(a.Username))
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			if f.State == model.FollowAccepted && !tx.IsBlocked(f.Target) {
				out[f.Target] = append(out[f.Target], a.Username)
			}
		}
	}
	return out, nil
}

// digestDue reports whether an account with settings p gets a digest at now.
func digestDue(p store.Prefs, now time.Time) bool {
	if !p.EmailConfirmed() {
		return false
	}
	var every time.Duration
	switch p.Digest {
	case "daily":
		every = 24 * time.Hour
	case "weekly":
		every = 7 * 24 * time.Hour
	default:
		return false
	}
	// An hour's slack keeps a daily pass from slipping a day.
	return p.LastDigest.IsZero() || now.Sub(p.LastDigest) >= every-time.Hour
}

// SendDigests e-mails each account whose digest is due, at its confirmed
// address only (an unconfirmed one gets nothing), the unread
// notifications it has not been e-mailed yet, then marks them digested.
// Nothing is sent without a Mailer or to accounts with nothing new. It
// returns how many e-mails went out; one account's failure does not stop
// the others.
func (s *Service) SendDigests(ctx context.Context) (int, error) {
	if s.mail == nil {
		return 0, nil
	}
	now := s.Now()
	var due []string
	err := s.store.View(func(tx *store.Tx) error {
		return tx.EachPrefs(func(name string, p store.Prefs) error {
			if a, err := tx.Account(name); err == nil && !a.Disabled && digestDue(p, now) {
				due = append(due, name)
			}
			return nil
		})
	})
	if err != nil {
		return 0, fmt.Errorf("send digests: %w", err)
	}
	sent := 0
	var errs []error
	for _, name := range due {
		ok, err := s.sendDigest(ctx, name, now)
		if err != nil {
			s.log.Error("digest failed", "account", name, "err", err)
			errs = append(errs, err)
		} else if ok {
			sent++
		}
	}
	if len(errs) > 0 {
		return sent, fmt.Errorf("send digests: %w", errs[0])
	}
	return sent, nil
}

func (s *Service) sendDigest(ctx context.Context, name string, now time.Time) (bool, error) {
	p, _, err := s.prefs(name)
	if err != nil {
		return false, err
	}
	all, err := s.notices(name, 0)
	if err != nil {
		return false, err
	}
	var news []Notice
	for _, n := range all {
		if !n.Read && !n.Digested {
			news = append(news, n)
		}
	}
	if len(news) == 0 || !p.EmailConfirmed() { // the address may have changed since digestDue
		return false, nil
	}
	if err := s.mail.Send(ctx, p.Email, digestSubject(s, len(news)), digestBody(s, news)); err != nil {
		return false, err
	}
	ids := map[uint64]bool{}
	for _, n := range news {
		ids[n.ID] = true
	}
	err = s.store.Update(func(tx *store.Tx) error {
		if err := tx.UpdateNotifications(name, func(n *store.Notification) bool {
			if ids[n.ID] {
				n.Digested = true
				return true
			}
			return false
		}); err != nil {
			return err
		}
		p, err := tx.Prefs(name)
		if err != nil {
			return err
		}
		p.LastDigest = now.UTC()
		return tx.PutPrefs(name, p)
	})
	return true, err
}

func digestSubject(s *Service, n int) string {
	return fmt.Sprintf("%s: %d call(s) for you", s.uris.Host(), n)
}

// digestBody lists the calls in plain text, reminders first.
func digestBody(s *Service, news []Notice) string {
	var b strings.Builder
	for _, kind := range []string{NoticeReminder, NoticeMatch} {
		for _, n := range news {
			if n.Kind != kind {
				continue
			}
			if kind == NoticeReminder {
				b.WriteString("Deadline soon: ")
			}
			fmt.Fprintf(&b, "%s (%s)\n", oneLine(n.Call.Title), oneLine(n.Org))
			if n.Call.Deadline != nil {
				fmt.Fprintf(&b, "  deadline %s, %d day(s) left\n", n.Call.Deadline.UTC().Format("2006-01-02"), n.DaysLeft)
			}
			fmt.Fprintf(&b, "  %s\n", n.Call.ID)
			// Where the member is signed in: this instance's page of the
			// call and its answer form (issue #12).
			fmt.Fprintf(&b, "  Answer: %s/answer?call=%s\n\n", s.uris.Base, url.QueryEscape(n.Call.ID))
		}
	}
	fmt.Fprintf(&b, "Your settings: %s/me/settings\n", s.uris.Base)
	return b.String()
}

func oneLine(v string) string { return strings.Join(strings.Fields(v), " ") }

// projectsAndCalls lists the live projects and calls, without decoding
// the received Notes (store.Tx.ProjectsAndCalls): matching and reminders
// are about calls only.
func projectsAndCalls(tx *store.Tx) ([]model.Object, error) {
	var out []model.Object
	err := tx.ProjectsAndCalls(func(o model.Object) error {
		out = append(out, o)
		return nil
	})
	return out, err
}
