package server_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/config"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/testenv/testrelay"
	"codeberg.org/maillage/maillage/internal/wire"
	"codeberg.org/maillage/maillage/store"
)

// discoverWait bounds how long a newcomer takes to list the network: a
// few NodeInfo checks (every 200 ms here, a minute by default) and the
// reading of each server.
const discoverWait = 60 * time.Second

// fastPeers checks the network page's servers often, as the tests cannot
// wait a minute per step.
func fastPeers(c *config.Config) { c.NetworkCheck = 200 * time.Millisecond }

// followsOf lists what in's local actors follow.
func followsOf(t *testing.T, in *testenv.Instance) []string {
	t.Helper()
	var out []string
	err := in.Server.Store.View(func(tx *store.Tx) error {
		orgs, err := tx.Orgs()
		for _, o := range orgs {
			fs, err := tx.FollowingList(o.Name)
			if err != nil {
				return err
			}
			for _, f := range fs {
				out = append(out, o.Name+" → "+f.Target)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRelayNewcomer (issue #11, "Done when"): A (three organisations,
// Mastodon's protocol) and B (LitePub) published before anyone joined the
// relay; a new instance N joins it and, following no one, lists all of
// A's and B's organisations, projects and calls, while A and B list N's
// organisation. N is restarted in the middle of reading A: nothing is
// lost, nothing listed twice. M, which blocked B's server, reads A but
// nothing of B. L, whose relay stores 4 entries at most, lists no more.
func TestRelayNewcomer(t *testing.T) {
	relay := testrelay.Start(t, "127.0.6.1")
	a := testenv.Start(t, "127.0.6.2", testenv.Options{Configure: fastPeers})
	wantA := hostedNetwork(t, a)
	b := testenv.Start(t, "127.0.6.3", testenv.Options{Configure: fastPeers})
	setProfile(t, b, "coop")
	wantB := []string{b.Actor("coop"), publish(t, b, "coop", projectInput()).ID, publish(t, b, "coop", callInput()).ID}
	joinRelay(t, relay.Inbox, a)
	joinRelay(t, relay.Actor, b)

	third := a.Actor("third")
	var mu sync.Mutex
	hold := true
	reached := make(chan struct{}, 1)
	n := testenv.Start(t, "127.0.6.4", testenv.Options{Configure: fastPeers, BeforeBackfillPage: func(ctx context.Context, url string) {
		mu.Lock()
		stop := hold && url == third
		mu.Unlock()
		if stop {
			select {
			case reached <- struct{}{}:
			default:
			}
			<-ctx.Done()
		}
	}})
	setProfile(t, n, "coop")
	start := time.Now()
	joinRelay(t, relay.Actor, n)

	select {
	case <-reached:
	case <-time.After(discoverWait):
		t.Fatalf("N never read A's organisations (lists %v)", directoryIDs(t, n))
	}
	if m := missing(t, n, wantA[6:]); len(m) != 3 {
		t.Errorf("N lists the third organisation's entries before reading it: missing only %v", m)
	}
	mu.Lock()
	hold = false
	mu.Unlock()
	n.Restart(false)

	want := append(slices.Clone(wantA), wantB...)
	testenv.WaitFor(t, discoverWait, "N to list A's and B's organisations, projects and calls", func() bool {
		return len(missing(t, n, want)) == 0
	})
	t.Logf("N listed the network's %d entries %v after joining", len(want), time.Since(start).Round(time.Millisecond))
	ids := directoryIDs(t, n)
	for _, id := range want {
		if c := count(ids, id); c != 1 {
			t.Errorf("N lists %s %d times, want once", id, c)
		}
	}
	if fs := followsOf(t, n); len(fs) != 0 {
		t.Errorf("N follows %v, want no one", fs)
	}
	for _, in := range []*testenv.Instance{a, b} {
		testenv.WaitFor(t, discoverWait, in.Host+" to list N's organisation", func() bool {
			return len(missing(t, in, []string{n.Actor("coop")})) == 0
		})
	}
	if r := relayOf(t, n, relay.Actor); r.Stored < int64(len(want)) {
		t.Errorf("N's relay counters %+v: want the %d entries stored through it", r, len(want))
	}

	// M blocked B's server before joining: it reads A, and nothing of B
	// is fetched or listed.
	m := testenv.Start(t, "127.0.6.5", testenv.Options{Configure: fastPeers})
	if s := m.API("POST", "/api/v1/blocks", map[string]any{"target": b.Host}, nil); s != http.StatusCreated && s != http.StatusOK {
		t.Fatalf("block B: status %d", s)
	}
	setProfile(t, m, "coop") // an organisation without a profile is not listed elsewhere, nor makes M known
	joinRelay(t, relay.Inbox, m)
	testenv.WaitFor(t, discoverWait, "M to list A's entries", func() bool { return len(missing(t, m, wantA)) == 0 })
	if got := missing(t, m, wantB); len(got) != len(wantB) {
		t.Errorf("M, blocking B, lists %d of B's entries", len(wantB)-len(got))
	}
	var bs []model.Backfill
	_ = m.Server.Store.View(func(tx *store.Tx) error { bs, _ = tx.Backfills(); return nil })
	for _, bf := range bs {
		if bf.Actor == b.Actor("instance") {
			t.Errorf("M reads B: %+v", bf)
		}
	}

	// L's relay stores 4 entries at most: what it reads of A and B stops
	// there.
	l := testenv.Start(t, "127.0.6.6", testenv.Options{Configure: fastPeers})
	setProfile(t, l, "coop")
	if s := l.API("POST", "/api/v1/relays", wire.RelayInput{URL: relay.Inbox}, nil); s != http.StatusCreated {
		t.Fatalf("L: add relay: status %d", s)
	}
	four := 4
	if s := l.API("PATCH", "/api/v1/relays", wire.RelayInput{URL: relay.Inbox, MaxStored: &four}, nil); s != http.StatusOK {
		t.Fatalf("L: relay total: status %d", s)
	}
	testenv.WaitFor(t, discoverWait, "L's relay over its total", func() bool {
		r := relayOf(t, l, relay.Inbox)
		return r.Stored == 4 && r.Limited > 0
	})
	if got := len(want) - len(missing(t, l, want)); got > 4 {
		t.Errorf("L lists %d of the network's entries, over its relay's total of 4", got)
	}
}

// TestRelayNewcomerSimulation measures what a newcomer costs: 10 instances
// (5 under -race), each with a profiled organisation and a project, join a
// Mastodon-protocol relay and learn of one another; then a new instance
// joins and the test waits until it lists them all. It prints the time
// and the deliveries made meanwhile, by the relay and to the newcomer.
func TestRelayNewcomerSimulation(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped under -short")
	}
	size := 10
	if raceEnabled {
		size = 5
	}
	relay := testrelay.Start(t, "127.0.6.40")
	ins := make([]*testenv.Instance, size)
	var want []string
	for i := range ins {
		ins[i] = testenv.Start(t, fmt.Sprintf("127.0.6.%d", 41+i), testenv.Options{Configure: fastPeers})
		setProfile(t, ins[i], "coop")
		want = append(want, ins[i].Actor("coop"), publish(t, ins[i], "coop", projectInput()).ID)
	}
	joinRelay(t, relay.Inbox, ins...)
	// Those that joined first learn of the later ones, and the later ones
	// of them through their introductions.
	for _, in := range ins {
		testenv.WaitFor(t, discoverWait, in.Host+" to list the others", func() bool {
			var others []string
			for i := 0; i < len(want); i += 2 {
				if want[i] != in.Actor("coop") {
					others = append(others, want[i], want[i+1])
				}
			}
			return len(missing(t, in, others)) == 0
		})
	}
	sent0, inbound0 := relay.Sent.Load(), relay.Inbound.Load()

	n := testenv.Start(t, "127.0.6.60", testenv.Options{Configure: fastPeers})
	setProfile(t, n, "coop")
	start := time.Now()
	joinRelay(t, relay.Inbox, n)
	testenv.WaitFor(t, discoverWait, "the newcomer to list every organisation and project", func() bool {
		return len(missing(t, n, want)) == 0
	})
	took := time.Since(start)
	for _, in := range ins {
		testenv.WaitFor(t, discoverWait, in.Host+" to list the newcomer", func() bool {
			return len(missing(t, in, []string{n.Actor("coop")})) == 0
		})
	}
	for _, in := range ins {
		waitDelivered(t, in, n.Host)
	}
	r := relayOf(t, n, relay.Inbox)
	t.Logf("newcomer listed the %d instances' %d entries after %s; relay: %d POSTs received, %d sent; newcomer's relay counters: received %d, stored %d, limited %d",
		size, len(want), took.Round(time.Millisecond), relay.Inbound.Load()-inbound0, relay.Sent.Load()-sent0, r.Received, r.Stored, r.Limited)
	if r.Stored < int64(len(want)) {
		t.Errorf("newcomer stored %d through the relay, want at least %d", r.Stored, len(want))
	}
}
