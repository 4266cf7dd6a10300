package delivery_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"codeberg.org/maillage/maillage/federation/delivery"
)

func TestBackoff(t *testing.T) {
	tests := []struct {
		attempt int
		nominal time.Duration // the wait before jitter
	}{
		{1, 30 * time.Second},
		{2, time.Minute},
		{3, 2 * time.Minute},
		{4, 4 * time.Minute},
		{5, 8 * time.Minute},
		{6, 16 * time.Minute},
		{7, 32 * time.Minute},
		{8, 64 * time.Minute},
		{9, 128 * time.Minute},
		{10, 256 * time.Minute},
		{11, 512 * time.Minute},
		{12, 12 * time.Hour}, // 1024 min is over the cap
		{13, 12 * time.Hour},
		{20, 12 * time.Hour},
		{1000, 12 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.attempt), func(t *testing.T) {
			lo, mid, hi := delivery.Backoff(tt.attempt, 0), delivery.Backoff(tt.attempt, 0.5), delivery.Backoff(tt.attempt, 0.999)
			if want := tt.nominal; mid != want {
				t.Errorf("Backoff(%d, 0.5) = %v, want %v", tt.attempt, mid, want)
			}
			// float64 rounding may take a nanosecond off the lower bound.
			if want := tt.nominal * 8 / 10; lo < want-time.Nanosecond || lo > want {
				t.Errorf("Backoff(%d, 0) = %v, want %v (-20 %%)", tt.attempt, lo, want)
			}
			if want := tt.nominal * 12 / 10; hi >= want || hi < tt.nominal*1198/1000 {
				t.Errorf("Backoff(%d, 0.999) = %v, want just under %v (+20 %%)", tt.attempt, hi, want)
			}
		})
	}
}

// attemptsWithin counts the attempts made within maxAge of the first when
// every attempt fails and each wait is Backoff(n, jitter).
func attemptsWithin(maxAge time.Duration, jitter float64) int {
	var elapsed time.Duration
	n := 0
	for elapsed <= maxAge {
		n++
		elapsed += delivery.Backoff(n, jitter)
	}
	return n
}

func TestBackoffTwoDays(t *testing.T) {
	// The nominal schedule reaches 17 h after 12 attempts (30 s·(2^11−1)),
	// then adds 12 h per attempt: attempts at 29 h and 41 h, the next one
	// would be at 53 h. "About 14 attempts" in two days.
	tests := []struct {
		jitter float64
		want   int
	}{
		{0, 15},     // every wait 20 % shorter
		{0.5, 14},   // nominal
		{0.999, 13}, // every wait 20 % longer
	}
	for _, tt := range tests {
		if got := attemptsWithin(48*time.Hour, tt.jitter); got != tt.want {
			t.Errorf("attempts within 48 h at jitter %v = %d, want %d", tt.jitter, got, tt.want)
		}
	}
	var sum time.Duration
	for n := 1; n < 14; n++ {
		sum += delivery.Backoff(n, 0.5)
	}
	if lo, hi := 36*time.Hour, 48*time.Hour; sum < lo || sum > hi {
		t.Errorf("nominal time to the 14th attempt = %v, want between %v and %v", sum, lo, hi)
	}
}

// scriptedTransport is an in-memory peer: it answers 503 to the first
// failures requests (all of them if failures < 0), then 202, and records
// when each request arrived. It opens no socket, so it runs inside a
// synctest bubble on the fake clock.
type scriptedTransport struct {
	failures int

	mu    sync.Mutex // guards times
	times []time.Time
}

func (s *scriptedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	s.mu.Lock()
	s.times = append(s.times, time.Now())
	n := len(s.times)
	s.mu.Unlock()
	status := http.StatusAccepted
	if s.failures < 0 || n <= s.failures {
		status = http.StatusServiceUnavailable
	}
	return &http.Response{StatusCode: status, Status: http.StatusText(status), Proto: "HTTP/1.1", ProtoMajor: 1,
		ProtoMinor: 1, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("")), Request: r}, nil
}

func (s *scriptedTransport) attempts() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.times...)
}

// nextWithin waits up to d (of the bubble's fake time) for an outcome.
func nextWithin(t *testing.T, results <-chan result, d time.Duration) result {
	t.Helper()
	select {
	case r := <-results:
		return r
	case <-time.After(d):
		t.Fatalf("no delivery outcome within %s", d)
		return result{}
	}
}

// checkGaps checks that the wait after the n-th failed attempt (1-based)
// is Backoff(n) within its jitter bounds.
func checkGaps(t *testing.T, times []time.Time) {
	t.Helper()
	for i := 1; i < len(times); i++ {
		gap := times[i].Sub(times[i-1])
		lo, hi := delivery.Backoff(i, 0), delivery.Backoff(i, 1)
		if gap < lo || gap > hi {
			t.Errorf("wait after attempt %d = %v, want between %v and %v", i, gap, lo, hi)
		}
	}
}

func TestWorkerRetriesOnSchedule(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const failures = 6
		tr := &scriptedTransport{failures: failures}
		st := newStore(t)
		created := time.Now()
		enqueue(t, st, "http://127.0.0.1:9/activities/1", []byte(noteJSON), created, "http://127.0.0.1:9/inbox")
		results := startWorker(t, st, &http.Client{Transport: tr},
			delivery.Options{Workers: 4, PerHost: 2, MaxAge: 48 * time.Hour, Now: time.Now})

		for i := range failures {
			r := nextWithin(t, results, 100*time.Hour)
			if r.outcome != delivery.Retry {
				t.Fatalf("attempt %d: outcome %s, want %s", i+1, r.outcome, delivery.Retry)
			}
			if r.d.Attempts != i {
				t.Errorf("attempt %d: delivery had Attempts %d, want %d", i+1, r.d.Attempts, i)
			}
		}
		if r := nextWithin(t, results, 100*time.Hour); r.outcome != delivery.Delivered {
			t.Fatalf("attempt %d: outcome %s, want %s", failures+1, r.outcome, delivery.Delivered)
		}
		times := tr.attempts()
		if len(times) != failures+1 {
			t.Fatalf("requests = %d, want %d", len(times), failures+1)
		}
		if !times[0].Equal(created) {
			t.Errorf("first attempt at %v, want at once (%v)", times[0], created)
		}
		checkGaps(t, times)
		if q := queued(t, st); len(q) != 0 {
			t.Errorf("queue after delivery = %+v, want empty", q)
		}
	})
}

func TestWorkerGivesUpAfterMaxAge(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const maxAge = 48 * time.Hour
		tr := &scriptedTransport{failures: -1}
		st := newStore(t)
		created := time.Now()
		enqueue(t, st, "http://127.0.0.1:9/activities/1", []byte(noteJSON), created, "http://127.0.0.1:9/inbox")
		results := startWorker(t, st, &http.Client{Transport: tr},
			delivery.Options{MaxAge: maxAge, Now: time.Now})

		var outcomes []delivery.Outcome
		for len(outcomes) < 100 {
			r := nextWithin(t, results, 100*time.Hour)
			outcomes = append(outcomes, r.outcome)
			if r.outcome != delivery.Retry {
				break
			}
		}
		if got := outcomes[len(outcomes)-1]; got != delivery.Dropped {
			t.Fatalf("last outcome = %s, want %s", got, delivery.Dropped)
		}
		times := tr.attempts()
		if len(times) != len(outcomes) {
			t.Fatalf("requests = %d, outcomes = %d, want equal", len(times), len(outcomes))
		}
		// 13 to 15 attempts within two days depending on jitter (see
		// TestBackoffTwoDays), plus the one after them that gives up.
		if n := len(times); n < 14 || n > 16 {
			t.Errorf("attempts = %d, want 14 to 16", n)
		}
		for i, at := range times[:len(times)-1] {
			if age := at.Sub(created); age > maxAge {
				t.Errorf("attempt %d at age %v was retried, want dropped after %v", i+1, age, maxAge)
			}
		}
		last := times[len(times)-1].Sub(created)
		t.Logf("%d attempts, the last (giving up) at age %v", len(times), last)
		if last <= maxAge || last > maxAge+delivery.Backoff(100, 1) {
			t.Errorf("giving-up attempt at age %v, want after %v and within one maximal wait", last, maxAge)
		}
		checkGaps(t, times)
		if q := queued(t, st); len(q) != 0 {
			t.Errorf("queue after giving up = %+v, want empty", q)
		}
	})
}

func TestWorkerDropsExpired(t *testing.T) {
	tests := []struct {
		age  time.Duration // of the delivery at its failing attempt
		want delivery.Outcome
	}{
		{time.Minute, delivery.Retry},
		{47 * time.Hour, delivery.Retry},
		{48*time.Hour + time.Second, delivery.Dropped},
		{30 * 24 * time.Hour, delivery.Dropped},
	}
	for _, tt := range tests {
		t.Run(tt.age.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				tr := &scriptedTransport{failures: -1}
				st := newStore(t)
				enqueue(t, st, "http://127.0.0.1:9/activities/1", []byte(noteJSON), time.Now().Add(-tt.age),
					"http://127.0.0.1:9/inbox")
				results := startWorker(t, st, &http.Client{Transport: tr},
					delivery.Options{MaxAge: 48 * time.Hour, Now: time.Now})

				if r := nextWithin(t, results, time.Minute); r.outcome != tt.want {
					t.Errorf("outcome = %s, want %s", r.outcome, tt.want)
				}
				if n := len(tr.attempts()); n != 1 {
					t.Errorf("requests = %d, want 1", n)
				}
				wantQueued := 0
				if tt.want == delivery.Retry {
					wantQueued = 1
				}
				if q := queued(t, st); len(q) != wantQueued {
					t.Errorf("queue = %+v, want %d deliveries", q, wantQueued)
				}
			})
		})
	}
}
