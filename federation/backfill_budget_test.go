package federation_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/config"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/store"
)

// newInboxEnvOpts is newInboxEnv with options for the local instance.
func newInboxEnvOpts(t *testing.T, o testenv.Options) *inboxEnv {
	t.Helper()
	local := testenv.Start(t, localIP, o)
	org := local.Actor("coop")
	return &inboxEnv{local: local, remote: startFakeRemote(t, remoteIP), org: org, orgInbox: org + "/inbox",
		sharedInbox: local.Base + "/inbox", client: &http.Client{Timeout: waitTimeout}}
}

// shortBackfillRuns gives backfills a budget of one document per run and
// retries paused ones every 50 ms.
func shortBackfillRuns(c *config.Config) {
	c.BackfillBudget, c.BackfillRetry = time.Nanosecond, 50*time.Millisecond
}

// TestBackfillBudgetAndCursor follows an instance that lists 300
// organisations with long IRIs (none of which can be read). Each run of
// the backfill reads one document, within its budget, and the retry timer
// resumes it, with no restart, until it ends; the progress saved after
// each document stays small, as the list is stored once, apart (before,
// the whole list was rewritten after every page: 300 KB here).
func TestBackfillBudgetAndCursor(t *testing.T) {
	var (
		mu       sync.Mutex
		local    *testenv.Instance
		inst     string
		maxBytes int
		maxRuns  int
	)
	hook := func(_ context.Context, _ string) {
		mu.Lock()
		defer mu.Unlock()
		if local == nil || inst == "" {
			return
		}
		_ = local.Server.Store.View(func(tx *store.Tx) error {
			b, err := tx.Backfill(inst)
			if err != nil {
				return nil
			}
			data, _ := json.Marshal(b)
			maxBytes, maxRuns = max(maxBytes, len(data)), max(maxRuns, b.Runs)
			return nil
		})
	}
	e := newInboxEnvOpts(t, testenv.Options{Configure: shortBackfillRuns, BeforeBackfillPage: hook})
	h := startHostileRemote(t, "127.0.0.117")
	e.remote = h.fakeRemote
	a := h.addActor(t, "mastodon", "inst", nil, keyInActor)
	h.editDoc(t, "/users/inst", func(m map[string]any) {
		m["type"], m["organisations"] = "Application", a.ID+"/organisations"
	})
	var orgs []any
	for i := range 300 {
		orgs = append(orgs, a.ID+"/orgs/"+strings.Repeat("x", 1000)+"-"+string(rune('a'+i%26))+strconv.Itoa(i))
	}
	h.paged(t, "/users/inst/organisations", orgs[:150], orgs[150:])
	mu.Lock()
	local, inst = e.local, a.ID
	mu.Unlock()

	e.followAccepted(t, a)
	testenv.WaitFor(t, waitTimeout, "the backfill to end", func() bool {
		ended := false
		e.view(t, func(tx *store.Tx) error {
			_, err := tx.Backfill(a.ID)
			ended = errors.Is(err, store.ErrNotFound)
			return nil
		})
		return ended
	})
	mu.Lock()
	defer mu.Unlock()
	if maxBytes > 2<<10 {
		t.Errorf("saved progress up to %d bytes, want at most 2 KiB whatever the organisations listed", maxBytes)
	}
	// 3 documents of the collection, then 20 failed organisations: one
	// document per run, each run started by the timer.
	if maxRuns < 20 {
		t.Errorf("the backfill took %d runs, want one per document (23)", maxRuns)
	}
	e.view(t, func(tx *store.Tx) error {
		if _, err := tx.BackfillOrg(a.ID, 0); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the organisations of an ended backfill are kept: %v", err)
		}
		return nil
	})
}

// TestBackfillRetriedWithoutRestart: the organisations collection of a
// followed instance cannot be read at first (404); the backfill pauses,
// and the retry timer reads it once it is there, with no restart (before,
// it waited for the next start).
func TestBackfillRetriedWithoutRestart(t *testing.T) {
	e := newInboxEnvOpts(t, testenv.Options{Configure: func(c *config.Config) { c.BackfillRetry = 50 * time.Millisecond }})
	h := startHostileRemote(t, "127.0.0.118")
	e.remote = h.fakeRemote
	inst := h.addActor(t, "mastodon", "inst", nil, keyInActor)
	h.editDoc(t, "/users/inst", func(m map[string]any) {
		m["type"], m["organisations"] = "Application", inst.ID+"/organisations"
	})
	good := h.addActor(t, "mastodon", "good", nil, keyInActor)
	h.editDoc(t, "/users/good", func(m map[string]any) { m["type"] = "Organization" })
	call := activityMap(t, asCall(t, e.fixture(t, good, "create_note_public.json", nil), "-call", "A call read later"))
	h.paged(t, "/users/good/outbox", []any{call})

	e.followAccepted(t, inst)
	backfill := func() (b model.Backfill, ok bool) {
		e.view(t, func(tx *store.Tx) error {
			var err error
			b, err = tx.Backfill(inst.ID)
			ok = err == nil
			return nil
		})
		return b, ok
	}
	testenv.WaitFor(t, waitTimeout, "the backfill to pause", func() bool { b, ok := backfill(); return ok && b.Errors >= 1 })

	h.paged(t, "/users/inst/organisations", []any{good.ID})
	id := object(call)["id"].(string)
	testenv.WaitFor(t, waitTimeout, "the call read without a restart", func() bool { _, ok := e.object(t, id); return ok })
	testenv.WaitFor(t, waitTimeout, "the backfill to end", func() bool { _, ok := backfill(); return !ok })
}
