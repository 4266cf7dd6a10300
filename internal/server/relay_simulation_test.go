package server_test

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/testenv/testrelay"
	"codeberg.org/maillage/maillage/internal/wire"
)

// simulationSize is the number of instances of TestRelaySimulation:
// 30, or 10 under the race detector (the property is the same; 30 take
// about 80 s there).
func simulationSize() int {
	if raceEnabled {
		return 10
	}
	return 30
}

// TestRelaySimulation (issue #11, item 4): 30 instances in this process
// (10 under -race), on 127.0.3.1 to 127.0.3.30, none following another, join one relay
// speaking Mastodon's protocol; each publishes a call, and every call must
// reach every directory, through the relay alone. It prints the time that
// took and the deliveries made: by the instances to the relay, and by the
// relay to the instances. Each instance also fetches every relayed call
// from its origin (and its author, once).
func TestRelaySimulation(t *testing.T) {
	if testing.Short() {
		t.Skip("30 instances: skipped under -short")
	}
	start := time.Now()
	relay := testrelay.Start(t, "127.0.3.100")
	ins := make([]*testenv.Instance, simulationSize())
	for i := range ins {
		ins[i] = testenv.Start(t, fmt.Sprintf("127.0.3.%d", i+1), testenv.Options{})
	}
	joinRelay(t, relay.Inbox, ins...)
	joined := time.Since(start)
	inbound0, sent0 := relay.Inbound.Load(), relay.Sent.Load()

	published := time.Now()
	calls := make([]string, len(ins))
	var wg sync.WaitGroup
	for i, in := range ins {
		wg.Go(func() { calls[i] = publish(t, in, "coop", callInput()).ID })
	}
	wg.Wait()
	for _, in := range ins {
		testenv.WaitFor(t, 2*time.Minute, in.Host+" to list every call", func() bool {
			ids := directoryIDs(t, in)
			for _, c := range calls {
				if !slices.Contains(ids, c) {
					return false
				}
			}
			return true
		})
	}
	spread := time.Since(published)

	var stored, received int64
	for _, in := range ins {
		var rs wire.Relays
		if s := in.API("GET", "/api/v1/relays", nil, &rs); s != http.StatusOK || len(rs.Relays) != 1 {
			t.Fatalf("%s: relays %+v, status %d", in.Host, rs, s)
		}
		stored += rs.Relays[0].Stored
		received += rs.Relays[0].Received
	}
	toRelay, fromRelay := relay.Inbound.Load()-inbound0, relay.Sent.Load()-sent0
	n := int64(len(ins))
	if stored != n*(n-1) {
		t.Errorf("calls stored through the relay: %d, want %d", stored, n*(n-1))
	}
	t.Logf("%d instances joined the relay in %s (with their start)", n, joined.Round(time.Millisecond))
	t.Logf("%d calls published, in every directory after %s", n, spread.Round(time.Millisecond))
	t.Logf("deliveries: %d to the relay (%.1f per publish), %d from the relay (%.1f per publish), %d in all; relayed objects received %d, stored %d; relay POSTs retried %d, failed %d",
		toRelay, float64(toRelay)/float64(n), fromRelay, float64(fromRelay)/float64(n), toRelay+fromRelay, received, stored,
		relay.Retried.Load(), relay.Failed.Load())
}
