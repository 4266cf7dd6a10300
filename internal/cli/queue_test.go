package cli_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/wire"
	"codeberg.org/maillage/maillage/store"
)

// TestQueueCommand follows one delivery to a failing host through the
// queue view, then retries one delivery and drops another.
func TestQueueCommand(t *testing.T) {
	var failing atomic.Bool
	failing.Store(true)
	var got atomic.Int32
	peer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failing.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		got.Add(1)
		w.WriteHeader(http.StatusAccepted)
	}))
	defer peer.Close()
	peerHost := strings.TrimPrefix(peer.URL, "http://")

	in := testenv.Start(t, "127.0.0.83", testenv.Options{})
	err := in.Server.Store.Update(func(tx *store.Tx) error {
		return tx.PutFollower("coop", model.Follower{Actor: peer.URL + "/users/a", Inbox: peer.URL + "/users/a/inbox",
			SharedInbox: peer.URL + "/inbox", FollowID: peer.URL + "/follows/1", Since: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	if out := mustRun(t, in, "queue"); out != "The delivery queue is empty." {
		t.Errorf("queue on an empty queue printed %q", out)
	}

	mustRun(t, in, "publish", "-org", "coop", "-title", "First", "-sectors", "energy")
	var v wire.QueueView
	testenv.WaitFor(t, 20*time.Second, "a failed attempt", func() bool {
		v = queueJSON(t, in)
		return len(v.Deliveries) == 1 && v.Deliveries[0].Attempts == 1
	})
	d := v.Deliveries[0]
	if d.Host != peerHost || d.Inbox != peer.URL+"/inbox" || d.LastError != "status 503" || !d.NextAttempt.After(time.Now()) {
		t.Errorf("delivery = %+v, want one to %s, failed with status 503, retried later", d, peerHost)
	}
	if len(v.Hosts) != 1 || v.Hosts[0].Host != peerHost || v.Hosts[0].Failing != 1 || v.Hosts[0].Queued != 1 {
		t.Errorf("failing hosts = %+v, want %s with one failing delivery", v.Hosts, peerHost)
	}
	out := mustRun(t, in, "queue")
	t.Logf("maillage queue:\n%s", out)
	for _, want := range []string{"1 delivery queued", "Failing hosts:", peerHost, "status 503", d.ActivityID} {
		if !strings.Contains(out, want) {
			t.Errorf("queue output lacks %q:\n%s", want, out)
		}
	}
	if out := mustRun(t, in, "queue", "-host", "127.0.0.1:1"); out != "The delivery queue is empty." {
		t.Errorf("queue -host of another host printed %q", out)
	}

	// The host is back: a retry sends it at once instead of in minutes.
	failing.Store(false)
	runSettled(t, in, "queue", "-retry", strconv.FormatUint(d.ID, 10))
	testenv.WaitFor(t, 20*time.Second, "the retried delivery", func() bool {
		return got.Load() == 1 && queueJSON(t, in).Total == 0
	})

	// A second publish fails again and is dropped by hand.
	failing.Store(true)
	mustRun(t, in, "publish", "-org", "coop", "-title", "Second", "-sectors", "energy")
	testenv.WaitFor(t, 20*time.Second, "a failed attempt", func() bool {
		v = queueJSON(t, in)
		return len(v.Deliveries) == 1 && v.Deliveries[0].Attempts == 1
	})
	runSettled(t, in, "queue", "-drop", strconv.FormatUint(v.Deliveries[0].ID, 10))
	if v := queueJSON(t, in); v.Total != 0 {
		t.Errorf("queue after drop = %+v, want empty", v)
	}
	for _, args := range [][]string{{"-drop", "999999"}, {"-retry", "999999"}} {
		if _, err := run(t, in, append([]string{"queue"}, args...)...); err == nil || !strings.Contains(err.Error(), "404") {
			t.Errorf("queue %s: err = %v, want a 404", args, err)
		}
	}
	if _, err := run(t, in, "queue", "-drop", "1", "-retry", "2"); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("queue -drop -retry: err = %v, want usage", err)
	}
	if got.Load() != 1 {
		t.Errorf("the peer got %d deliveries, want 1", got.Load())
	}
}

// runSettled runs a command on a delivery, again while the answer is 409:
// the failed attempt is recorded a moment before the worker lets it go.
func runSettled(t *testing.T, in *testenv.Instance, args ...string) {
	t.Helper()
	var err error
	testenv.WaitFor(t, 10*time.Second, "the delivery to leave the worker", func() bool {
		_, err = run(t, in, args...)
		return err == nil || !strings.Contains(err.Error(), "409")
	})
	if err != nil {
		t.Fatalf("maillage %s: %v", strings.Join(args, " "), err)
	}
}

func queueJSON(t *testing.T, in *testenv.Instance) wire.QueueView {
	t.Helper()
	var v wire.QueueView
	if err := json.Unmarshal([]byte(mustRun(t, in, "queue", "-json")), &v); err != nil {
		t.Fatalf("queue -json: %v", err)
	}
	return v
}
