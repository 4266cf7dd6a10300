package service

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"codeberg.org/maillage/maillage/internal/uris"
)

// VerifyOptions tune RunVerifications; the zero value is the default.
type VerifyOptions struct {
	Workers int           // checks at once (0: 2)
	Spacing time.Duration // between two requests to one host (0: 10 s; negative: none)
	Sweep   time.Duration // how often due websites are looked for (0: an hour)
}

// RunVerifications checks websites in the background until ctx ends: those
// a commit changed (a profile saved, a remote actor received), at once and
// without blocking the commit, and every VerifyEvery the others, with at
// most Workers checks at once and Spacing between two requests to one host
// (the page's, and the HEAD of its first rel="me" link). A check whose host
// was asked too recently is put off until its turn, never waited for in a
// worker: many organisations on one host do not hold up the others.
// It returns at once when the Service has no SiteChecker.
func (s *Service) RunVerifications(ctx context.Context, o VerifyOptions) {
	if s.sites == nil {
		return
	}
	if o.Workers <= 0 {
		o.Workers = 2
	}
	if o.Spacing == 0 {
		o.Spacing = 10 * time.Second
	}
	if o.Sweep <= 0 {
		o.Sweep = time.Hour
	}
	gate := &hostGate{spacing: o.Spacing, next: map[string]time.Time{}}
	var mu sync.Mutex // guards queued
	queued := map[string]bool{}
	work := make(chan *verifyJob)
	later := make(chan *verifyJob)
	var wg sync.WaitGroup
	for range o.Workers {
		wg.Go(func() {
			for j := range work {
				_, err := s.checkWebsite(ctx, j.iri, j.gate(gate))
				var busy *hostBusy
				if errors.As(err, &busy) {
					// Its turn is booked: back then, still queued.
					time.AfterFunc(time.Until(busy.at), func() {
						select {
						case later <- j:
						case <-ctx.Done():
						}
					})
					continue
				}
				if err != nil && ctx.Err() == nil {
					s.log.Warn("website check failed", "actor", j.iri, "err", err)
				}
				mu.Lock()
				delete(queued, j.iri)
				mu.Unlock()
			}
		})
	}
	defer wg.Wait()
	defer close(work)
	send := func(j *verifyJob) bool {
		select {
		case work <- j:
			return true
		case <-ctx.Done():
			return false
		}
	}
	enqueue := func(iri string) bool {
		mu.Lock()
		dup := queued[iri]
		queued[iri] = true
		mu.Unlock()
		return dup || send(&verifyJob{iri: iri})
	}
	sweep := func() {
		due, err := s.dueWebsites(s.Now())
		if err != nil {
			s.log.Error("website sweep failed", "err", err)
		}
		for _, iri := range due {
			if !enqueue(iri) {
				return
			}
		}
	}
	sweep()
	tick := time.NewTicker(o.Sweep)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			sweep()
		case iri := <-s.verifyQ:
			enqueue(iri)
		case j := <-later:
			send(j)
		}
	}
}

// verifyJob is one website check, with the turns it booked on hosts it
// could not ask yet: a check put off keeps them, so that it gets each
// host in turn instead of losing it to newer checks.
type verifyJob struct {
	iri  string
	held map[string]time.Time // host key -> its booked turn
}

// hostBusy puts a check off: host was asked less than the spacing ago,
// and the check's turn on it is at.
type hostBusy struct {
	host string
	at   time.Time
}

func (e *hostBusy) Error() string {
	return fmt.Sprintf("website check: %s asked recently, next turn %s", e.host, e.at.Format(time.RFC3339))
}

// gate returns the function the check asks before each request: a host
// is asked at its booked turn, or now when it is free (the turn after is
// then booked for others); asked once, the same check may ask it again
// (the page, then a HEAD on the same host).
func (j *verifyJob) gate(g *hostGate) func(*url.URL) error {
	passed := map[string]bool{}
	return func(u *url.URL) error {
		key := hostKey(u)
		if g.spacing <= 0 || passed[key] {
			return nil
		}
		now := time.Now()
		at, ok := j.held[key]
		if !ok {
			at = g.book(key, now)
		}
		if at.After(now) {
			if j.held == nil {
				j.held = map[string]time.Time{}
			}
			j.held[key] = at
			return &hostBusy{host: key, at: at}
		}
		delete(j.held, key)
		passed[key] = true
		return nil
	}
}

// hostKey is the server a URL names, one key however it is written:
// lower case, IDNA, without a trailing dot, "www." or the scheme's
// default port, so that "Site.Example.", "site.example:443" and
// "www.site.example" share their spacing.
func hostKey(u *url.URL) string {
	name := strings.TrimPrefix(uris.HostOf(u.Hostname()), "www.")
	switch port := u.Port(); {
	case port == "", port == "443" && u.Scheme == "https", port == "80" && u.Scheme == "http":
		return name
	default:
		return name + ":" + port
	}
}

// hostGate spaces the requests to each host: a server hosting many
// organisations' websites gets one check every spacing, not a burst.
type hostGate struct {
	spacing time.Duration

	mu   sync.Mutex // guards next
	next map[string]time.Time
}

// book returns host's next free turn, now or later, and books it.
func (g *hostGate) book(host string, now time.Time) time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	slot := now
	if n, ok := g.next[host]; ok && n.After(now) {
		slot = n
	}
	g.next[host] = slot.Add(g.spacing)
	if len(g.next) > 4096 {
		for h, n := range g.next {
			if n.Before(now) {
				delete(g.next, h)
			}
		}
	}
	return slot
}
