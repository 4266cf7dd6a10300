package federation_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/store"
)

// TestStrangerDeletesDoNotGrowStore: 2,000 Deletes of unknown ids, padded
// to 400 bytes each, from a signed actor nobody here follows, leave the
// store as it was: no tombstone, no seen id, no actor. The measure is the
// bytes the buckets hold (store.InUse) and the file's high-water mark;
// 1 MiB is a margin for bbolt's own pages (meta, freelist), not for
// content. Before the fix the content alone grew by about 2 MB.
func TestStrangerDeletesDoNotGrowStore(t *testing.T) {
	e := newInboxEnv(t)
	a := e.remote.addActor(t, "mastodon", "stranger", nil, keyInActor)
	st := e.local.Server.Store
	inUse, size := st.InUse(), st.Size()
	pad := strings.Repeat("x", 400)
	for i := range 2000 {
		id := fmt.Sprintf("%s/statuses/%s%d", a.ID, pad, i)
		body := mustJSON(t, map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
			"id": id + "#delete", "type": "Delete", "actor": a.ID, "object": id})
		e.mustPost(t, e.sharedInbox, a, body, http.StatusAccepted)
	}
	const margin = 1 << 20
	t.Logf("after 2,000 Deletes: bucket content %d -> %d bytes, file %d -> %d bytes", inUse, st.InUse(), size, st.Size())
	if grown := st.InUse() - inUse; grown >= margin {
		t.Errorf("bucket content grew by %d bytes, want under %d", grown, margin)
	}
	if grown := st.Size() - size; grown >= margin {
		t.Errorf("store file grew by %d bytes, want under %d", grown, margin)
	}
	if _, ok := e.actor(t, a.ID); ok {
		t.Error("the stranger's actor document was stored")
	}
}

// TestKeyFetchedActorNotStored: an actor whose key was fetched to verify
// an activity that is then ignored is not stored, but its key stays cached
// in memory (it verifies again with its document gone); an actor that
// follows is stored.
func TestKeyFetchedActorNotStored(t *testing.T) {
	e := newInboxEnv(t)
	stranger := e.remote.addActor(t, "mastodon", "stranger", nil, keyInActor)
	follower := e.remote.addActor(t, "mastodon", "follower", nil, keyInActor)
	del := func(a *remoteActor, n int) []byte {
		id := fmt.Sprintf("%s/statuses/%d", a.ID, n)
		return mustJSON(t, map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
			"id": id + "#delete", "type": "Delete", "actor": a.ID, "object": id})
	}
	e.mustPost(t, e.sharedInbox, stranger, del(stranger, 1), http.StatusAccepted)
	if _, ok := e.actor(t, stranger.ID); ok {
		t.Error("actor stored after its key was fetched for an ignored Delete")
	}
	e.remote.setDoc("/users/stranger", []byte(`{}`)) // a refetch would now fail
	e.mustPost(t, e.sharedInbox, stranger, del(stranger, 2), http.StatusAccepted)

	e.mustPost(t, e.orgInbox, follower, e.fixture(t, follower, "follow.json", nil), http.StatusAccepted)
	if _, ok := e.follower(t, follower.ID); !ok {
		t.Fatal("follow not recorded")
	}
	if a, ok := e.actor(t, follower.ID); !ok || a.KeyID != follower.KeyID {
		t.Errorf("follower's actor = %+v, stored %v; want it stored with its key", a, ok)
	}
}

// TestPaddedActorStoredCapped: an actor document padded with a long name,
// summary, links and attachments is stored, when it follows, within
// store.MaxActorSize and with its fields cut.
func TestPaddedActorStoredCapped(t *testing.T) {
	e := newInboxEnv(t)
	a := e.remote.addActor(t, "mastodon", "padded", nil, keyInActor)
	_, doc := getDoc(t, e, a.ID)
	padded := edit(t, doc, func(m map[string]any) {
		m["name"] = strings.Repeat("N", 100_000)
		m["summary"] = "<p>" + strings.Repeat("a &amp; b ", 6_000) + "</p>"
		m["url"] = a.ID + "?" + strings.Repeat("u", 100_000)
		var att []any
		for i := range 1000 {
			att = append(att, map[string]any{"type": "PropertyValue", "name": fmt.Sprint("field ", i), "value": strings.Repeat("v", 200)})
		}
		m["attachment"] = att
	})
	if len(padded) > 1<<20 {
		t.Fatalf("padded document is %d bytes, over the fetch limit", len(padded))
	}
	e.remote.setDoc("/users/padded", padded)
	e.mustPost(t, e.orgInbox, a, e.fixture(t, a, "follow.json", nil), http.StatusAccepted)
	got, ok := e.actor(t, a.ID)
	if !ok {
		t.Fatal("padded follower not stored")
	}
	rec, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("padded document of %d bytes stored as a record of %d bytes", len(padded), len(rec))
	if len(rec) > store.MaxActorSize {
		t.Errorf("stored actor record is %d bytes, want at most %d", len(rec), store.MaxActorSize)
	}
	if len(got.Name) > 2048 || len(got.URL) > 2048 {
		t.Errorf("stored name of %d bytes and url of %d bytes, want at most 2048 each", len(got.Name), len(got.URL))
	}
	if got.KeyID != a.KeyID || got.Inbox != a.Inbox {
		t.Errorf("stored actor lost its key or inbox: %+v", got)
	}
}

// getDoc returns a document the fake remote serves.
func getDoc(t *testing.T, e *inboxEnv, url string) (int, []byte) {
	t.Helper()
	path := strings.TrimPrefix(url, e.remote.Base)
	e.remote.mu.Lock()
	defer e.remote.mu.Unlock()
	doc, ok := e.remote.docs[path]
	if !ok {
		t.Fatalf("no document at %s", path)
	}
	return http.StatusOK, doc
}
