package delivery

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/federation/safehttp"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// Options configure a Worker.
type Options struct {
	Workers   int           // deliveries in flight at once
	PerHost   int           // deliveries in flight to one host
	MaxAge    time.Duration // give up a delivery this long after it was queued
	UserAgent string
	Now       func() time.Time
	// OnResult, if set, is called after each attempt (metrics, tests).
	OnResult func(d model.Delivery, outcome Outcome)
}

// Outcome of one attempt.
type Outcome string

const (
	Delivered Outcome = "delivered"
	Retry     Outcome = "retry"
	Dropped   Outcome = "dropped"
)

// maxScan bounds the due deliveries one scan looks at, so that a huge
// backlog for capped hosts costs a bounded time per scan.
const maxScan = 10000

// Worker delivers the queue. Run it once per instance.
type Worker struct {
	st     *store.Store
	client *http.Client
	keys   *httpsign.LocalKeys // the local actors' signing keys, read from st
	log    *slog.Logger
	o      Options
	wake   chan struct{}

	// mu guards inflight (delivery IDs being sent) and hosts (in-flight
	// count per host).
	mu       sync.Mutex
	inflight map[uint64]bool
	hosts    map[string]int
}

// New returns a Worker that sends the deliveries queued in st, signed with
// the keys of their local actors.
func New(st *store.Store, client *http.Client, keys *httpsign.LocalKeys, log *slog.Logger, o Options) *Worker {
	if o.Now == nil {
		o.Now = time.Now
	}
	o.Workers, o.PerHost = max(o.Workers, 1), max(o.PerHost, 1)
	if o.MaxAge <= 0 {
		o.MaxAge = 48 * time.Hour
	}
	return &Worker{st: st, client: client, keys: keys, log: log, o: o,
		wake: make(chan struct{}, 1), inflight: map[uint64]bool{}, hosts: map[string]int{}}
}

// Poke tells the worker that new deliveries may be due. It never blocks.
func (w *Worker) Poke() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx is done, then waits for the attempts in flight to
// finish (their outcome is recorded; an interrupted one stays queued).
func (w *Worker) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		next, err := w.dispatch(ctx, &wg)
		if err != nil {
			w.log.Error("delivery queue scan failed", "err", err)
			next = w.o.Now().Add(time.Minute)
		}
		wait := time.Minute // also the safety net if a poke is lost
		if !next.IsZero() {
			wait = min(max(next.Sub(w.o.Now()), time.Millisecond), time.Minute)
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return nil
		case <-w.wake:
		case <-timer.C:
		}
	}
}

// dispatch starts due deliveries within the concurrency caps and returns
// when the next not-yet-due one is.
//
// w.mu is held across the scan: an attempt dequeues its delivery before it
// leaves inflight, so a delivery is seen either in flight or gone, never
// free to start twice. The scan passes over deliveries in flight and hosts
// at their cap, so a slow host at the head of the queue does not hold back
// the others.
func (w *Worker) dispatch(ctx context.Context, wg *sync.WaitGroup) (time.Time, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.inflight) >= w.o.Workers {
		// Every worker is busy. A scan would still start one more (take
		// checks the cap after adding), every millisecond while the queue
		// is due; the end of an attempt pokes the next scan instead.
		return time.Time{}, nil
	}
	var start []model.Delivery
	var next time.Time
	err := w.st.View(func(tx *store.Tx) error {
		var err error
		next, err = tx.EachDue(w.o.Now(), maxScan,
			func(id uint64) bool { return w.inflight[id] },
			func(d model.Delivery) bool {
				if host := hostOf(d.Inbox); w.hosts[host] < w.o.PerHost {
					start = append(start, d)
					w.inflight[d.ID] = true
					w.hosts[host]++
				}
				return len(w.inflight) < w.o.Workers
			})
		return err
	})
	if err != nil {
		return next, fmt.Errorf("delivery: scan: %w", err)
	}
	for _, d := range start {
		host := hostOf(d.Inbox)
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.attempt(ctx, d)
			w.mu.Lock()
			delete(w.inflight, d.ID)
			w.hosts[host]--
			w.mu.Unlock()
			w.Poke()
		}()
	}
	return next, nil
}

func hostOf(inbox string) string {
	u, err := url.Parse(inbox)
	if err != nil {
		return inbox
	}
	return u.Host
}

// attempt sends one delivery and records the outcome in the queue.
func (w *Worker) attempt(ctx context.Context, d model.Delivery) {
	var body []byte
	err := w.st.View(func(tx *store.Tx) error {
		var err error
		_, body, err = tx.Activity(d.ActivityID)
		return err
	})
	var outcome Outcome
	if err != nil {
		outcome, err = Dropped, fmt.Errorf("load activity: %w", err)
	} else {
		outcome, err = w.post(ctx, d, body)
	}
	if ctx.Err() != nil && outcome == Retry {
		return // shutting down: leave it queued as it is, tried again at start
	}
	now := w.o.Now()
	if outcome == Retry && now.Sub(d.Created) > w.o.MaxAge {
		outcome = Dropped
	}
	log := w.log.With("inbox", d.Inbox, "activity_id", d.ActivityID, "attempt", d.Attempts+1)
	switch outcome {
	case Delivered:
		log.Debug("delivered")
		err = w.st.Update(func(tx *store.Tx) error { return tx.Dequeue(d) })
	case Dropped:
		log.Warn("delivery dropped", "err", err)
		err = w.st.Update(func(tx *store.Tx) error { return tx.Dequeue(d) })
	case Retry:
		nd := d
		nd.Attempts++
		nd.LastError = err.Error()
		nd.NextAttempt = now.Add(Backoff(nd.Attempts, randomJitter()))
		log.Info("delivery failed, will retry", "err", err, "next_attempt", nd.NextAttempt)
		err = w.st.Update(func(tx *store.Tx) error { return tx.Reschedule(d, nd) })
		if errors.Is(err, store.ErrNotFound) {
			err = nil // dropped while in flight (an administrator, a block): it stays dropped
		}
	}
	if err != nil {
		w.log.Error("delivery queue update failed", "err", err)
	}
	if w.o.OnResult != nil {
		w.o.OnResult(d, outcome)
	}
}

// post signs and sends; it classifies the result as Mastodon does
// (delivery_worker.rb): 2xx done; 4xx other than 401, 408 and 429 permanent;
// 5xx, 401, 408, 429, timeouts and connection errors retried.
func (w *Worker) post(ctx context.Context, d model.Delivery, body []byte) (Outcome, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.Inbox, bytes.NewReader(body))
	if err != nil {
		return Dropped, fmt.Errorf("request: %w", err)
	}
	req.Header.Set("Content-Type", `application/activity+json`)
	if w.o.UserAgent != "" {
		req.Header.Set("User-Agent", w.o.UserAgent)
	}
	keyID, key, err := w.keys.Key(d.Signer)
	if err != nil {
		return Dropped, err
	}
	if err := httpsign.Sign(req, keyID, key, body, w.o.Now()); err != nil {
		return Dropped, fmt.Errorf("sign: %w", err)
	}
	resp, err := w.client.Do(req)
	if err != nil {
		if errors.Is(err, safehttp.ErrForbiddenAddress) {
			return Dropped, err
		}
		var dnsErr *net.DNSError
		if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
			return Retry, err // the host may come back; the max age ends it
		}
		return Retry, err
	}
	_, _ = safehttp.ReadLimited(resp.Body, 64<<10)
	resp.Body.Close()
	switch s := resp.StatusCode; {
	case s >= 200 && s < 300:
		return Delivered, nil
	case s == 401 || s == 408 || s == 429 || s >= 500:
		return Retry, fmt.Errorf("status %d", s)
	default:
		return Dropped, fmt.Errorf("status %d", s)
	}
}
