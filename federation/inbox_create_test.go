package federation_test

import (
	"net/http"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/store"
)

// TestInboxCreateOnce checks what makes a received Create idempotent now
// that it leaves no seen record: the stored object. A Create sent again,
// or another Create of the same object (an edit must come as an Update),
// changes nothing; an Update still does.
func TestInboxCreateOnce(t *testing.T) {
	e := newInboxEnv(t)
	a := e.remote.addActor(t, "mastodon", "Gargron", nil, keyInActor)
	e.followAccepted(t, a)
	seen := func() (n int) {
		e.view(t, func(tx *store.Tx) error { n = tx.SeenCount(); return nil })
		return n
	}
	before := seen()

	first := e.fixture(t, a, "create_note_public.json", nil)
	id := field(t, first, "object", "id")
	e.mustPost(t, e.sharedInbox, a, first, http.StatusAccepted)
	o, ok := e.object(t, id)
	if !ok {
		t.Fatalf("object %s not stored", id)
	}
	if got := seen(); got != before {
		t.Errorf("seen records after a Create: %d, want %d (the object is the record)", got, before)
	}
	content := o.Content
	if _, ok := e.actor(t, a.ID); !ok {
		t.Errorf("author %s of a kept object not stored", a.ID)
	}

	e.mustPost(t, e.sharedInbox, a, first, http.StatusAccepted) // redelivery
	other := edit(t, first, func(m map[string]any) {
		m["id"] = m["id"].(string) + "-again"
		object(m)["content"] = "<p>Another text under the same id</p>"
		delete(object(m), "contentMap")
		object(m)["published"] = "2098-01-01T00:00:00Z" // not taken as a newer version either
	})
	e.mustPost(t, e.sharedInbox, a, other, http.StatusAccepted)
	if o, _ := e.object(t, id); o.Content != content {
		t.Errorf("content after a second Create of %s = %q, want the first one %q", id, o.Content, content)
	}

	update := edit(t, other, func(m map[string]any) {
		m["type"] = "Update"
		m["id"] = m["id"].(string) + "-update"
		object(m)["updated"] = "2099-01-01T00:00:00Z"
	})
	e.mustPost(t, e.sharedInbox, a, update, http.StatusAccepted)
	if o, _ := e.object(t, id); !strings.Contains(o.Content, "Another text") {
		t.Errorf("content after an Update = %q, want the Update's", o.Content)
	}
	if got := seen(); got != before+1 {
		t.Errorf("seen records after an Update: %d, want %d", got, before+1)
	}
}
