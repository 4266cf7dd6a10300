package federation_test

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/store"
)

// hostileRemote is a fakeRemote behind a handler that serves endless
// paginated collections and counts every GET by path.
type hostileRemote struct {
	*fakeRemote
	mu   sync.Mutex
	gets map[string]int // GETs by path (guarded by mu)
	// pages serves the documents of path?page=N, for any N.
	pages map[string]func(n int) map[string]any
}

func startHostileRemote(t *testing.T, ip string) *hostileRemote {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Fatalf("listen on %s: %v", ip, err)
	}
	h := &hostileRemote{fakeRemote: &fakeRemote{docs: map[string][]byte{}}, gets: map[string]int{},
		pages: map[string]func(int) map[string]any{}}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		if r.Method == http.MethodGet {
			h.gets[r.URL.Path]++
		}
		page := h.pages[r.URL.Path]
		h.mu.Unlock()
		n, err := strconv.Atoi(r.URL.Query().Get("page"))
		if page == nil || err != nil {
			h.serve(w, r)
			return
		}
		doc := page(n)
		doc["@context"] = "https://www.w3.org/ns/activitystreams"
		w.Header().Set("Content-Type", contentAS)
		_ = json.NewEncoder(w).Encode(doc)
	}))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	h.Base, h.Host = srv.URL, ln.Addr().String()
	return h
}

func (h *hostileRemote) count(path string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.gets[path]
}

// endless serves path as a collection whose pages never end: page N
// holds items(N) and names page N+1 as next.
func (h *hostileRemote) endless(t *testing.T, path string, items func(n int) []any) {
	t.Helper()
	id := h.Base + path
	h.setDoc(path, mustJSON(t, map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
		"id": id, "type": "OrderedCollection", "first": id + "?page=1"}))
	h.mu.Lock()
	h.pages[path] = func(n int) map[string]any {
		return map[string]any{"id": id + "?page=" + strconv.Itoa(n), "type": "OrderedCollectionPage", "partOf": id,
			"orderedItems": items(n), "next": id + "?page=" + strconv.Itoa(n+1)}
	}
	h.mu.Unlock()
}

// paged serves path as a collection of the given pages, the last with no
// next.
func (h *hostileRemote) paged(t *testing.T, path string, pages ...[]any) {
	t.Helper()
	h.endless(t, path, func(n int) []any {
		if n < 1 || n > len(pages) {
			return []any{}
		}
		return pages[n-1]
	})
	h.mu.Lock()
	endless := h.pages[path]
	h.pages[path] = func(n int) map[string]any {
		doc := endless(n)
		if n >= len(pages) {
			delete(doc, "next")
		}
		return doc
	}
	h.mu.Unlock()
}

// editDoc changes the document served at path.
func (h *hostileRemote) editDoc(t *testing.T, path string, fn func(m map[string]any)) {
	t.Helper()
	h.mu.Lock()
	doc := h.docs[path]
	h.mu.Unlock()
	h.setDoc(path, edit(t, doc, fn))
}

// TestBackfillHostile follows the instance actor of a hostile server: its
// organisations collection lists an organisation on another origin and
// never ends; of its organisations, one has an endless outbox, one a page
// too large, one an outbox whose id is on another origin. The backfill
// stores what is valid and same-origin, reads at most its page limits,
// and ends.
func TestBackfillHostile(t *testing.T) {
	e := newInboxEnv(t)
	h := startHostileRemote(t, "127.0.0.114")
	e.remote = h.fakeRemote
	inst := h.addActor(t, "mastodon", "inst", nil, keyInActor)
	h.editDoc(t, "/users/inst", func(m map[string]any) {
		m["type"], m["organisations"] = "Application", inst.ID+"/organisations"
	})
	var orgs []*remoteActor
	for _, name := range []string{"good", "huge", "liar"} {
		a := h.addActor(t, "mastodon", name, nil, keyInActor)
		h.editDoc(t, "/users/"+name, func(m map[string]any) {
			m["type"], m["sector"] = "Organization", []any{"energy"}
		})
		orgs = append(orgs, a)
	}
	good, huge, liar := orgs[0], orgs[1], orgs[2]
	h.endless(t, "/users/inst/organisations", func(n int) []any {
		if n > 1 {
			return []any{}
		}
		return []any{otherOrigin + "/users/elsewhere", good.ID, huge.ID, liar.ID, inst.ID}
	})

	// good: an endless outbox whose first page holds a call, and an
	// activity whose id is on another origin.
	goodCall := activityMap(t, asCall(t, e.fixture(t, good, "create_note_public.json", nil), "-call", "A good call"))
	forged := activityMap(t, asCall(t, e.fixture(t, good, "create_note_public.json", nil), "-forged", "A forged call"))
	forged["id"] = otherOrigin + "/activities/forged"
	h.endless(t, "/users/good/outbox", func(n int) []any {
		if n > 1 {
			return []any{}
		}
		return []any{forged, goodCall}
	})
	// huge: a first page past the 1 MiB a fetched document may have.
	hugeCall := activityMap(t, asCall(t, e.fixture(t, huge, "create_note_public.json", nil), "-call", "A huge call"))
	object(hugeCall)["content"] = strings.Repeat("x", 2<<20)
	h.setDoc("/users/huge/outbox", mustJSON(t, map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
		"id": huge.ID + "/outbox", "type": "OrderedCollection", "first": map[string]any{"type": "OrderedCollectionPage",
			"orderedItems": []any{hugeCall}}}))
	// liar: its outbox claims an id on another origin.
	liarCall := activityMap(t, asCall(t, e.fixture(t, liar, "create_note_public.json", nil), "-call", "A liar's call"))
	h.setDoc("/users/liar/outbox", mustJSON(t, map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
		"id": otherOrigin + "/users/liar/outbox", "type": "OrderedCollection",
		"first": map[string]any{"type": "OrderedCollectionPage", "orderedItems": []any{liarCall}}}))

	e.followAccepted(t, inst)
	testenv.WaitFor(t, waitTimeout, "the backfill to end", func() bool {
		ended := false
		e.view(t, func(tx *store.Tx) error {
			_, err := tx.Backfill(inst.ID)
			ended = errors.Is(err, store.ErrNotFound)
			return nil
		})
		return ended
	})

	if _, ok := e.object(t, object(goodCall)["id"].(string)); !ok {
		t.Errorf("the good organisation's call was not backfilled")
	}
	for what, m := range map[string]map[string]any{"forged": forged, "huge": hugeCall, "liar's": liarCall} {
		if _, ok := e.object(t, object(m)["id"].(string)); ok {
			t.Errorf("the %s call was stored", what)
		}
	}
	for _, a := range orgs {
		if stored, ok := e.actor(t, a.ID); !ok || stored.Type != "Organization" {
			t.Errorf("hosted organisation %s not stored: %+v", a.ID, stored)
		}
	}
	if _, ok := e.actor(t, otherOrigin+"/users/elsewhere"); ok {
		t.Errorf("the organisation on another origin was stored")
	}
	if n := h.count("/users/inst/organisations"); n > 40 {
		t.Errorf("the endless organisations collection was read %d times, want at most 40", n)
	}
	if n := h.count("/users/good/outbox"); n > 20 || n < 2 {
		t.Errorf("the endless outbox was read %d times, want 2 to 20", n)
	}
	if n := h.count("/users/huge/outbox") + h.count("/users/liar/outbox"); n != 2 {
		t.Errorf("the refused outboxes were read %d times, want once each", n)
	}
	if n := h.count("/users/inst/outbox"); n != 0 {
		t.Errorf("the instance actor listed itself: its outbox was read %d times", n)
	}
}

// activityMap decodes an activity for an outbox page.
func activityMap(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "@context")
	delete(m, "signature")
	return m
}

// TestBackfillAllPages follows an organisation whose outbox spans two
// pages: the older call, on the second page, arrives too (before #11 only
// the first page was read).
func TestBackfillAllPages(t *testing.T) {
	e := newInboxEnv(t)
	h := startHostileRemote(t, "127.0.0.115")
	e.remote = h.fakeRemote
	a := h.addActor(t, "mastodon", "Gargron", nil, keyInActor)
	newer := activityMap(t, asCall(t, e.fixture(t, a, "create_note_public.json", nil), "-newer", "The newer call"))
	older := activityMap(t, asCall(t, e.fixture(t, a, "create_note_public.json", nil), "-older", "The older call"))
	h.paged(t, "/users/Gargron/outbox", []any{newer}, []any{older})
	e.followAccepted(t, a)
	for _, m := range []map[string]any{newer, older} {
		id := object(m)["id"].(string)
		testenv.WaitFor(t, waitTimeout, "the backfilled "+id, func() bool { _, ok := e.object(t, id); return ok })
	}
}

// TestBackfillPausedResumes: the organisations collection of a followed
// instance cannot be read (404); the backfill is kept, and read at the
// next start, once the collection is there.
func TestBackfillPausedResumes(t *testing.T) {
	e := newInboxEnv(t)
	h := startHostileRemote(t, "127.0.0.116")
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
	testenv.WaitFor(t, waitTimeout, "the backfill to pause", func() bool { b, ok := backfill(); return ok && b.Errors == 1 })

	h.paged(t, "/users/inst/organisations", []any{good.ID})
	e.local.Restart(false)
	id := object(call)["id"].(string)
	testenv.WaitFor(t, waitTimeout, "the call read after the restart", func() bool { _, ok := e.object(t, id); return ok })
	testenv.WaitFor(t, waitTimeout, "the backfill to end", func() bool { _, ok := backfill(); return !ok })
}
