package testenv

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/federation/delivery"
	"codeberg.org/maillage/maillage/internal/model"
)

// Receivers are in-process inboxes on 127.0.0.1, one per port and so one
// host each, for fan-out benchmarks. They answer 202, count requests, and
// keep the first request to receiver 0 (with its body) so that its
// signature can be checked.
type Receivers struct {
	servers []*httptest.Server
	counts  []atomic.Int64

	sampleOnce sync.Once
	sample     *http.Request // set by sampleOnce
	sampleBody []byte
}

// StartReceivers starts n receivers, closed when tb ends. It skips tb when
// the open-file limit is too low for them.
func StartReceivers(tb testing.TB, n int) *Receivers {
	tb.Helper()
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err == nil && lim.Cur < uint64(4*n) {
		tb.Skipf("open file limit %d is too low for %d receivers (want %d)", lim.Cur, n, 4*n)
	}
	rs := &Receivers{servers: make([]*httptest.Server, n), counts: make([]atomic.Int64, n)}
	for i := range n {
		rs.servers[i] = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			if i == 0 {
				rs.sampleOnce.Do(func() {
					rs.sample = httptest.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), bytes.NewReader(body))
					rs.sample.Header = r.Header.Clone()
					rs.sampleBody = body
				})
			}
			rs.counts[i].Add(1)
			w.WriteHeader(http.StatusAccepted)
		}))
	}
	tb.Cleanup(func() {
		for _, s := range rs.servers {
			s.Close()
		}
	})
	return rs
}

// URL is the base URL of receiver i.
func (rs *Receivers) URL(i int) string { return rs.servers[i].URL }

// Inboxes lists one inbox URL per receiver.
func (rs *Receivers) Inboxes() []string {
	out := make([]string, len(rs.servers))
	for i, s := range rs.servers {
		out[i] = s.URL + "/inbox"
	}
	return out
}

// Sample is the first request receiver 0 got, and its body (nil if none).
func (rs *Receivers) Sample() (*http.Request, []byte) { return rs.sample, rs.sampleBody }

// Reset sets every count back to zero.
func (rs *Receivers) Reset() {
	for i := range rs.counts {
		rs.counts[i].Store(0)
	}
}

// Check reports receivers that got fewer than want requests, and returns
// how many requests came beyond want (duplicates).
func (rs *Receivers) Check(tb testing.TB, want int64) (duplicates int64) {
	tb.Helper()
	missing := 0
	for i := range rs.counts {
		switch n := rs.counts[i].Load(); {
		case n < want:
			missing++
		case n > want:
			duplicates += n - want
		}
	}
	if missing > 0 {
		tb.Errorf("%d receivers got fewer than %d requests", missing, want)
	}
	return duplicates
}

// Delivered tracks the distinct deliveries that succeeded, through a
// delivery worker's OnResult hook.
type Delivered struct {
	mu     sync.Mutex // guards ids and failed; cond uses it
	cond   *sync.Cond
	ids    map[uint64]bool
	failed []string
}

// NewDelivered returns an empty tracker.
func NewDelivered() *Delivered {
	d := &Delivered{ids: map[uint64]bool{}}
	d.cond = sync.NewCond(&d.mu)
	return d
}

// OnResult is the hook to pass as delivery.Options.OnResult.
func (d *Delivered) OnResult(del model.Delivery, o delivery.Outcome) {
	d.mu.Lock()
	if o == delivery.Delivered {
		d.ids[del.ID] = true
	} else {
		d.failed = append(d.failed, fmt.Sprintf("%s: %s", del.Inbox, o))
	}
	d.cond.Broadcast()
	d.mu.Unlock()
}

// Wait blocks until n distinct deliveries succeeded; a failed one or the
// timeout ends tb.
func (d *Delivered) Wait(tb testing.TB, n int, timeout time.Duration) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	stop := context.AfterFunc(ctx, func() { d.mu.Lock(); d.cond.Broadcast(); d.mu.Unlock() })
	defer stop()
	d.mu.Lock()
	defer d.mu.Unlock()
	for len(d.ids) < n && len(d.failed) == 0 && ctx.Err() == nil {
		d.cond.Wait()
	}
	switch {
	case len(d.failed) > 0:
		tb.Fatalf("delivery failed: %s", d.failed[0])
	case len(d.ids) < n:
		tb.Fatalf("%d of %d deliveries done after %s", len(d.ids), n, timeout)
	}
}

// PeakRSSMB is the process's peak resident set size (VmHWM) in MB, or 0
// where /proc is not available.
func PeakRSSMB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}
