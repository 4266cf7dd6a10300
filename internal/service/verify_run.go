package service

import (
	"context"
	"sync"
	"time"
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
// most Workers checks at once and Spacing between two requests to one host.
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
	work := make(chan string)
	var wg sync.WaitGroup
	for range o.Workers {
		wg.Go(func() {
			for iri := range work {
				if _, err := s.checkWebsite(ctx, iri, func(host string) error { return gate.wait(ctx, host) }); err != nil && ctx.Err() == nil {
					s.log.Warn("website check failed", "actor", iri, "err", err)
				}
				mu.Lock()
				delete(queued, iri)
				mu.Unlock()
			}
		})
	}
	defer wg.Wait()
	defer close(work)
	enqueue := func(iri string) bool {
		mu.Lock()
		dup := queued[iri]
		queued[iri] = true
		mu.Unlock()
		if dup {
			return true
		}
		select {
		case work <- iri:
			return true
		case <-ctx.Done():
			return false
		}
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
		}
	}
}

// hostGate spaces the requests to each host: a server hosting many
// organisations' websites gets one check every spacing, not a burst.
type hostGate struct {
	spacing time.Duration

	mu   sync.Mutex // guards next
	next map[string]time.Time
}

// wait blocks until host may be asked again (or ctx ends).
func (g *hostGate) wait(ctx context.Context, host string) error {
	if g.spacing <= 0 {
		return nil
	}
	g.mu.Lock()
	now := time.Now()
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
	g.mu.Unlock()
	d := slot.Sub(now)
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
