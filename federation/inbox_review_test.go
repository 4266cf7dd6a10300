package federation_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestInboxOriginRules covers attacks found in review: an activity id on
// another server (which would let one server pre-empt another's activity
// ids), and Announces that wrap an unsigned inner activity.
func TestInboxOriginRules(t *testing.T) {
	e := newInboxEnv(t)
	mallory := e.remote.addActor(t, "mastodon", "mallory", nil, keyInActor)
	victim := e.remote.addActor(t, "mastodon", "victim", nil, keyInActor)
	obj := e.publish(t, "Origin rules target")

	t.Run("activity id on another server", func(t *testing.T) {
		like := edit(t, e.fixture(t, mallory, "like.json", map[string]string{"{{LOCAL_OBJECT}}": obj}), func(m map[string]any) {
			m["id"] = "https://elsewhere.example/users/honest/statuses/1#delete"
		})
		if got := e.post(t, e.sharedInbox, mallory, like); got != http.StatusBadRequest {
			t.Errorf("status = %d, want 400", got)
		}
		if c := e.counts(t, obj); c.Likes != 0 {
			t.Errorf("likes = %d, want 0", c.Likes)
		}
	})

	t.Run("overlong activity id", func(t *testing.T) {
		like := edit(t, e.fixture(t, mallory, "like.json", map[string]string{"{{LOCAL_OBJECT}}": obj}), func(m map[string]any) {
			m["id"] = mallory.ID + "/likes/" + strings.Repeat("x", 40000) // past bbolt's 32 KiB key limit
		})
		if got := e.post(t, e.sharedInbox, mallory, like); got != http.StatusBadRequest {
			t.Errorf("status = %d, want 400", got)
		}
	})

	// Make the victim known: actors are stored once they follow us (one
	// that merely signed a request is not).
	e.mustPost(t, e.sharedInbox, victim, e.fixture(t, victim, "like.json", map[string]string{"{{LOCAL_OBJECT}}": obj}), http.StatusAccepted)
	e.mustPost(t, e.orgInbox, victim, e.fixture(t, victim, "follow.json", nil), http.StatusAccepted)
	before, ok := e.actor(t, victim.ID)
	if !ok {
		t.Fatal("victim not stored")
	}

	t.Run("announced actor update is not applied", func(t *testing.T) {
		update := edit(t, e.fixture(t, victim, "update_actor.json", nil), func(m map[string]any) {
			object(m)["name"] = "Hacked"
			delete(m, "@context")
		})
		ann := mustJSON(t, map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
			"id": mallory.ID + "/announces/1", "type": "Announce", "actor": mallory.ID, "object": jsonMap(t, update)})
		e.post(t, e.sharedInbox, mallory, ann)
		after, _ := e.actor(t, victim.ID)
		if after.Name != before.Name || after.KeyID != before.KeyID || after.PublicKeyPEM != before.PublicKeyPEM {
			t.Errorf("victim changed through mallory's Announce: name %q -> %q, key %s -> %s", before.Name, after.Name, before.KeyID, after.KeyID)
		}
	})

	t.Run("announced delete of another actor is not applied", func(t *testing.T) {
		del := mustJSON(t, map[string]any{"id": victim.ID + "#delete", "type": "Delete", "actor": victim.ID, "object": victim.ID})
		ann := mustJSON(t, map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
			"id": mallory.ID + "/announces/2", "type": "Announce", "actor": mallory.ID, "object": jsonMap(t, del)})
		e.post(t, e.sharedInbox, mallory, ann)
		if _, ok := e.actor(t, victim.ID); !ok {
			t.Error("victim deleted through mallory's Announce")
		}
	})
}

func jsonMap(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	edit(t, body, func(x map[string]any) { m = x })
	return m
}
