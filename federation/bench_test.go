package federation_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto"
	"fmt"
	"io"
	"log/slog"
	"net"
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
	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/internal/config"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/server"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/store"
)

const (
	fanOutFollowers = 10000
	fanOutHosts     = 1000
)

// fanOutReceivers are in-process inboxes on loopback, one per port (so one
// host each), that count requests and keep the first one to receiver 0.
type fanOutReceivers struct {
	servers []*httptest.Server
	counts  []atomic.Int64

	sampleOnce sync.Once
	sample     *http.Request // set by sampleOnce, with its body read into sampleBody
	sampleBody []byte
}

func startFanOutReceivers(b *testing.B, n int) *fanOutReceivers {
	b.Helper()
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err == nil && lim.Cur < uint64(4*n) {
		b.Skipf("open file limit %d is too low for %d receivers (want %d)", lim.Cur, n, 4*n)
	}
	rs := &fanOutReceivers{servers: make([]*httptest.Server, n), counts: make([]atomic.Int64, n)}
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
	b.Cleanup(func() {
		for _, s := range rs.servers {
			s.Close()
		}
	})
	return rs
}

// distinctDelivered tracks the distinct deliveries that succeeded.
type distinctDelivered struct {
	mu     sync.Mutex // guards ids and failed; cond uses it
	cond   *sync.Cond
	ids    map[uint64]bool
	failed []string
}

func newDistinctDelivered() *distinctDelivered {
	d := &distinctDelivered{ids: map[uint64]bool{}}
	d.cond = sync.NewCond(&d.mu)
	return d
}

func (d *distinctDelivered) onResult(del model.Delivery, o delivery.Outcome) {
	d.mu.Lock()
	if o == delivery.Delivered {
		d.ids[del.ID] = true
	} else {
		d.failed = append(d.failed, fmt.Sprintf("%s: %s", del.Inbox, o))
	}
	d.cond.Broadcast()
	d.mu.Unlock()
}

func (d *distinctDelivered) wait(b *testing.B, n int, timeout time.Duration) {
	b.Helper()
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
		b.Fatalf("delivery failed: %s", d.failed[0])
	case len(d.ids) < n:
		b.Fatalf("%d of %d deliveries done after %s", len(d.ids), n, timeout)
	}
}

func vmHWMMB() float64 {
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

func projectInput(n int) service.ObjectInput {
	text := strings.Repeat("Nous cherchons des partenaires pour une coopérative de mobilité partagée en milieu rural. ", 14)
	return service.ObjectInput{Kind: model.KindProject, Title: "Autopartage rural " + strconv.Itoa(n),
		Summary: "Une flotte de véhicules partagés pour trois communes.", Text: text,
		Sectors: []string{"mobility", "energy"}, Location: &model.Place{Name: "Die", Country: "FR"}}
}

// BenchmarkFanOutPublish measures the whole publishing path of a real
// instance: service.Publish of a project by an org with 10,000 followers on
// 1,000 servers (10 per shared inbox) writes the object, the Create and one
// delivery per shared inbox in one transaction; the instance's delivery
// worker (default config: 16 workers, 2 per host) then signs and POSTs them
// to 1,000 in-process inboxes on loopback. ns/op is the time until every
// delivery succeeded.
func BenchmarkFanOutPublish(b *testing.B) {
	rs := startFanOutReceivers(b, fanOutHosts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	cfg := config.Default()
	cfg.DataDir = b.TempDir()
	cfg.Listen = ln.Addr().String()
	cfg.BaseURL = "http://" + cfg.Listen
	cfg.OrgName = benchOrg
	cfg.AllowPrivate = true
	done := newDistinctDelivered()
	log := slog.New(slog.NewTextHandler(b.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := server.New(cfg, log, server.Options{Version: "bench", OnResult: done.onResult})
	if err != nil {
		ln.Close()
		b.Fatal(err)
	}
	ctx := context.Background()

	now := time.Now().UTC()
	err = srv.Store.Update(func(tx *store.Tx) error {
		for j := range fanOutFollowers {
			host := rs.servers[j%fanOutHosts].URL
			actor := host + "/users/u" + strconv.Itoa(j)
			err := tx.PutFollower(benchOrg, model.Follower{Actor: actor, Inbox: actor + "/inbox",
				SharedInbox: host + "/inbox", FollowID: host + "/follows/" + strconv.Itoa(j), Since: now})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}

	// The worker is not running yet (it starts with Run): count what one
	// Publish queues.
	if _, err := srv.Service.Publish(ctx, benchOrg, projectInput(0)); err != nil {
		b.Fatal(err)
	}
	var q []model.Delivery
	if err := srv.Store.View(func(tx *store.Tx) error { q, _, err = tx.Queue(); return err }); err != nil {
		b.Fatal(err)
	}
	inboxes := map[string]bool{}
	for _, d := range q {
		inboxes[d.Inbox] = true
	}
	if len(q) != fanOutHosts || len(inboxes) != fanOutHosts {
		b.Fatalf("one Publish to %d followers queued %d deliveries to %d inboxes, want %d shared inboxes",
			fanOutFollowers, len(q), len(inboxes), fanOutHosts)
	}

	runCtx, stop := context.WithCancel(ctx)
	stopped := make(chan error, 1)
	go func() { stopped <- srv.Run(runCtx, ln) }() // Run closes the store when it returns
	done.wait(b, fanOutHosts, time.Minute)

	n := 1
	for b.Loop() {
		n++
		if _, err := srv.Service.Publish(ctx, benchOrg, projectInput(n)); err != nil {
			b.Fatal(err)
		}
		done.wait(b, n*fanOutHosts, time.Minute)
	}
	elapsed := b.Elapsed()

	var org model.Org
	err = srv.Store.View(func(tx *store.Tx) error { org, err = tx.Org(benchOrg); return err })
	if err != nil {
		b.Fatal(err)
	}
	stop()
	if err := <-stopped; err != nil {
		b.Errorf("Run: %v", err)
	}

	pub, err := httpsign.DecodePublicKey(org.PublicKeyPEM)
	if err != nil {
		b.Fatal(err)
	}
	keyFn := func(context.Context, string, bool) (string, crypto.PublicKey, error) {
		return cfg.BaseURL + "/orgs/" + benchOrg, pub, nil
	}
	if rs.sample == nil {
		b.Fatal("receiver 0 got no request")
	}
	// The sample was signed when received; verify it as of then.
	if _, err := httpsign.Verify(ctx, rs.sample, rs.sampleBody, time.Now(), keyFn); err != nil {
		b.Errorf("sample delivery signature: %v", err)
	}
	var dups int64
	missing := 0
	for i := range rs.counts {
		switch c := rs.counts[i].Load(); {
		case c < int64(n):
			missing++
		case c > int64(n):
			dups += c - int64(n)
		}
	}
	if missing > 0 {
		b.Errorf("%d receivers got fewer than %d requests", missing, n)
	}
	b.ReportMetric(float64((n-1)*fanOutHosts)/elapsed.Seconds(), "deliveries/s")
	b.ReportMetric(float64(dups)/float64(n), "duplicate-POSTs/op")
	b.ReportMetric(vmHWMMB(), "peak-RSS-MB")
}
