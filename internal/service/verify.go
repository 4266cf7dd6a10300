package service

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// SiteChecker reads websites for proofs (package sitecheck implements it
// with the guarded client).
type SiteChecker interface {
	// LinksBack reports whether the page at pageURL links to one of
	// targets with rel="me".
	LinksBack(ctx context.Context, pageURL string, targets ...string) (bool, error)
	// ClaimsPage is LinksBack that also wants the claim's token in a
	// <meta name="maillage-claim"> of the page.
	ClaimsPage(ctx context.Context, pageURL, token string, targets ...string) (bool, error)
	// ServesToken reports whether the website's origin serves token at
	// its well-known claim path.
	ServesToken(ctx context.Context, website, token string) (bool, error)
}

// Website verification (issue #10, item 4). A website is verified when the
// page links back to the actor with rel="me", as Mastodon verifies profile
// links (app/services/verify_link_service.rb); this instance checks every
// organisation's website itself, its own and remote ones, and never takes
// another server's word for it.
const (
	// VerifyEvery is how often a website is checked again.
	VerifyEvery = 24 * time.Hour
	// verifyGrace is how long a verified website that cannot be read
	// (down, timing out) keeps its mark; a page read without the link
	// loses it at once.
	verifyGrace = 7 * 24 * time.Hour
	// verifyQueueLen bounds the websites waiting for a check after a
	// change; past it, changes wait for the next sweep.
	verifyQueueLen = 256
)

// WebsiteOf returns the website of the organisation iri (local or remote)
// and the IRIs a rel="me" link may name to prove it: the actor's IRI, and
// its profile page when that is on the same host (a remote actor chooses
// its url; another host's page would let it borrow someone else's link).
// "" when it has none.
func (s *Service) websiteOf(tx *store.Tx, iri string) (string, []string, error) {
	if name, ok := s.uris.LocalActorName(iri); ok {
		o, err := tx.Org(name)
		if err != nil || !o.IsOrganisation() {
			return "", nil, err
		}
		return o.Website, []string{iri}, nil
	}
	a, err := tx.Actor(iri)
	if err != nil || a.Profile == nil {
		return "", nil, err
	}
	targets := []string{a.ID}
	if a.URL != "" && a.URL != a.ID && sameHost(a.URL, a.ID) {
		targets = append(targets, a.URL)
	}
	return a.Profile.Website, targets, nil
}

func sameHost(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && ua.Host != "" && strings.EqualFold(ua.Host, ub.Host)
}

// CheckWebsite checks now whether the website of the organisation iri
// (local or remote) links back to it, and records the outcome. An
// organisation with no website has its record dropped. The fetch happens
// outside any transaction; a website changed meanwhile is not recorded.
func (s *Service) CheckWebsite(ctx context.Context, iri string) (model.Verification, error) {
	return s.checkWebsite(ctx, iri, nil)
}

func (s *Service) checkWebsite(ctx context.Context, iri string, before func(host string) error) (model.Verification, error) {
	var v model.Verification
	if s.sites == nil {
		return v, errors.New("service: no website checker")
	}
	var website string
	var targets []string
	recorded := false
	err := s.store.View(func(tx *store.Tx) error {
		_, verr := tx.Verification(iri)
		recorded = verr == nil
		var err error
		website, targets, err = s.websiteOf(tx, iri)
		return err
	})
	if errors.Is(err, store.ErrNotFound) || (err == nil && website == "") {
		if !recorded {
			return v, nil // not an organisation with a website (an object, say): nothing to write
		}
		return v, s.store.Update(func(tx *store.Tx) error { return tx.DeleteVerification(iri) })
	}
	if err != nil {
		return v, fmt.Errorf("check website of %s: %w", iri, err)
	}
	if before != nil {
		if u, perr := url.Parse(website); perr == nil {
			if err := before(u.Host); err != nil {
				return v, err
			}
		}
	}
	found, cerr := s.sites.LinksBack(ctx, website, targets...)
	now := s.Now().UTC()
	err = s.store.Update(func(tx *store.Tx) error {
		current, _, err := s.websiteOf(tx, iri)
		if err != nil || current != website {
			return err // changed or gone meanwhile: its own check follows
		}
		prev, err := tx.Verification(iri)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		v = model.Verification{Website: website, Checked: now}
		switch {
		case found:
			v.Verified = now
		case cerr != nil:
			v.Problem = "unreachable"
			if prev.IsVerified(website) && now.Sub(prev.Verified) < verifyGrace {
				v.Verified = prev.Verified // a website down for a while keeps its mark
			}
		default:
			v.Problem = "no link back"
		}
		return tx.PutVerification(iri, v)
	})
	if err != nil {
		return v, fmt.Errorf("check website of %s: %w", iri, err)
	}
	if cerr != nil {
		s.log.Debug("website check failed", "actor", iri, "err", cerr)
	}
	s.log.Debug("website checked", "actor", iri, "verified", v.IsVerified(website))
	return v, nil
}

// VerifiedWebsites reports, for each of iris (organisations, local or
// remote), whether this instance verified its current website.
func (s *Service) VerifiedWebsites(ctx context.Context, iris ...string) (map[string]bool, error) {
	out := make(map[string]bool, len(iris))
	err := s.store.View(func(tx *store.Tx) error {
		for _, iri := range iris {
			v, err := tx.Verification(iri)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			website, _, err := s.websiteOf(tx, iri)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			out[iri] = v.IsVerified(website)
		}
		return nil
	})
	return out, err
}

// dueWebsites lists the organisations whose website was never checked, has
// changed since, or was last checked VerifyEvery ago or more, and drops
// the records of those that no longer have one.
func (s *Service) dueWebsites(now time.Time) ([]string, error) {
	var due, stale []string
	err := s.store.View(func(tx *store.Tx) error {
		checks, err := tx.Verifications()
		if err != nil {
			return err
		}
		sites := map[string]string{}
		orgs, err := tx.Orgs()
		if err != nil {
			return err
		}
		for _, o := range orgs {
			if o.IsOrganisation() && o.Website != "" {
				sites[s.uris.Actor(o.Name)] = o.Website
			}
		}
		actors, err := tx.Actors()
		if err != nil {
			return err
		}
		for _, a := range actors {
			if a.Profile != nil && a.Profile.Website != "" {
				sites[a.ID] = a.Profile.Website
			}
		}
		for iri, website := range sites {
			v, ok := checks[iri]
			if !ok || v.Website != website || now.Sub(v.Checked) >= VerifyEvery {
				due = append(due, iri)
			}
		}
		for iri := range checks {
			if _, ok := sites[iri]; !ok {
				stale = append(stale, iri)
			}
		}
		return nil
	})
	if err != nil || len(stale) == 0 {
		return due, err
	}
	return due, s.store.Update(func(tx *store.Tx) error {
		for _, iri := range stale {
			if err := tx.DeleteVerification(iri); err != nil {
				return err
			}
		}
		return nil
	})
}

// VerifyDue checks, one after the other, every website that is due (see
// RunVerifications for the background loop), and returns how many it
// checked.
func (s *Service) VerifyDue(ctx context.Context) (int, error) {
	due, err := s.dueWebsites(s.Now())
	if err != nil {
		return 0, err
	}
	for i, iri := range due {
		if _, err := s.CheckWebsite(ctx, iri); err != nil {
			return i, err
		}
	}
	return len(due), nil
}

// noticeWebsites queues a check of the websites of the organisations among
// ids that a commit changed (a profile saved here, an actor received); it
// never blocks: when the queue is full, the next sweep finds them.
func (s *Service) noticeWebsites(ids []string) {
	if s.sites == nil {
		return
	}
	for _, id := range ids {
		select {
		case s.verifyQ <- id:
		default:
			return
		}
	}
}
