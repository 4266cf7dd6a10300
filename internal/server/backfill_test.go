package server_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/testenv"
)

// hostedNetwork gives A three organisations (coop, second, third), each
// with a project and a call published before anyone follows A, and
// returns the ids B must end up listing: the organisations and their
// objects.
func hostedNetwork(t *testing.T, a *testenv.Instance) []string {
	t.Helper()
	for _, name := range []string{"second", "third"} {
		if s := a.API("POST", "/api/v1/orgs", map[string]any{"name": name, "display_name": "Coop " + name}, nil); s != http.StatusCreated {
			t.Fatalf("create org %s: status %d", name, s)
		}
	}
	var want []string
	for _, org := range []string{"coop", "second", "third"} {
		profile := map[string]any{"display_name": "Coop " + org, "sectors": []string{"mobility"}, "country": "FR"}
		if s := a.API("PUT", "/api/v1/orgs/"+org, profile, nil); s != http.StatusOK {
			t.Fatalf("profile of %s: status %d", org, s)
		}
		want = append(want, a.Actor(org), publish(t, a, org, projectInput()).ID, publish(t, a, org, callInput()).ID)
	}
	return want
}

// missing returns the ids of want that in's directory does not list.
func missing(t *testing.T, in *testenv.Instance, want []string) []string {
	t.Helper()
	ids := directoryIDs(t, in)
	var out []string
	for _, id := range want {
		if !slices.Contains(ids, id) {
			out = append(out, id)
		}
	}
	return out
}

// TestFollowInstanceBackfill: B follows A's instance after A's three
// organisations published; B's directory lists them all, with their
// projects and calls (issue #11: two of three organisations were missing).
func TestFollowInstanceBackfill(t *testing.T) {
	a := testenv.Start(t, "127.0.0.110", testenv.Options{})
	b := testenv.Start(t, "127.0.0.111", testenv.Options{})
	want := hostedNetwork(t, a)

	// A's instance actor links to the organisations it hosts.
	link, _ := getJSON(t, a, a.Actor("instance"), asAccept, http.StatusOK)["organisations"].(string)
	if link != a.Actor("instance")+"/organisations" {
		t.Fatalf("instance actor: organisations = %q", link)
	}
	if col := getJSON(t, a, link, asAccept, http.StatusOK); col["type"] != "OrderedCollection" || col["totalItems"] != 3.0 {
		t.Errorf("organisations collection = %v", col)
	}
	p := getJSON(t, a, link+"?page=1", asAccept, http.StatusOK)
	if items, _ := p["orderedItems"].([]any); len(items) != 3 || items[0] != want[0] || items[1] != want[3] || items[2] != want[6] {
		t.Errorf("organisations page = %v, want %s, %s and %s", p["orderedItems"], want[0], want[3], want[6])
	}

	start := time.Now()
	follow(t, b, "instance", a.Host)
	waitAccepted(t, b, "instance", a.Actor("instance"))
	testenv.WaitFor(t, wait, "B to list A's organisations, projects and calls", func() bool {
		return len(missing(t, b, want)) == 0
	})
	t.Logf("B listed A's %d entries %v after the follow", len(want), time.Since(start).Round(time.Millisecond))
	if m := missing(t, b, want); len(m) > 0 {
		t.Errorf("B's directory misses %v", m)
	}

	// Then B keeps up through the deliveries to A's instance's followers.
	later := publish(t, a, "third", callInput())
	testenv.WaitFor(t, wait, "B to list a call published after the follow", func() bool {
		return len(missing(t, b, []string{later.ID})) == 0
	})
}

// TestBackfillRestart holds B's backfill of A's instance before the third
// organisation, restarts B there, and checks that the backfill resumes
// where it stopped (nothing read again) and completes (nothing lost), each
// entry listed once.
func TestBackfillRestart(t *testing.T) {
	a := testenv.Start(t, "127.0.0.112", testenv.Options{})
	want := hostedNetwork(t, a)
	third := a.Actor("third")

	var mu sync.Mutex
	hold, restarted := true, false
	var after []string // documents fetched after the restart (guarded by mu)
	reached := make(chan struct{}, 1)
	b := testenv.Start(t, "127.0.0.113", testenv.Options{BeforeBackfillPage: func(ctx context.Context, url string) {
		mu.Lock()
		if restarted {
			after = append(after, url)
		}
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

	follow(t, b, "instance", a.Host)
	select {
	case <-reached:
	case <-time.After(wait):
		t.Fatalf("B's backfill never reached %s", third)
	}
	// Held before the third organisation: the first two are in.
	if m := missing(t, b, want[:6]); len(m) > 0 {
		t.Errorf("before the restart, B misses %v", m)
	}
	if m := missing(t, b, want[6:]); len(m) != 3 {
		t.Errorf("before the restart, B already lists %d of the third organisation's entries", 3-len(m))
	}
	mu.Lock()
	hold, restarted = false, true
	mu.Unlock()
	b.Restart(false)

	testenv.WaitFor(t, wait, "B to list every entry of A after its restart", func() bool {
		return len(missing(t, b, want)) == 0
	})
	ids := directoryIDs(t, b)
	for _, id := range want {
		if n := count(ids, id); n != 1 {
			t.Errorf("B lists %s %d times, want once", id, n)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, url := range after {
		if strings.HasPrefix(url, a.Actor("coop")) || strings.HasPrefix(url, a.Actor("second")) || strings.Contains(url, "/organisations") {
			t.Errorf("after the restart, B read %s again", url)
		}
	}
	if !slices.Contains(after, third) {
		t.Errorf("after the restart, B did not resume at %s: read %v", third, after)
	}
}

func count(ids []string, id string) int {
	n := 0
	for _, x := range ids {
		if x == id {
			n++
		}
	}
	return n
}
