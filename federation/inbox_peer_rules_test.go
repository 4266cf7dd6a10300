package federation_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
)

// testInboxPeerRules checks behaviours the inbox takes from Mastodon and
// GoToSocial, each with its evidence: key stubs, private replies, Accepts
// without a Follow id, one Like per actor, and activities that arrive out
// of order.
func testInboxPeerRules(t *testing.T, e *inboxEnv) {
	// GoToSocial answers a fetch of its /main-key keyId with a stub actor
	// whose id is the actor's, not the key's
	// (docs/federation/federating_with_gotosocial/http_signatures.md).
	t.Run("gotosocial main-key stub", func(t *testing.T) {
		a := e.remote.addActor(t, "gotosocial", "stub_zork", nil, keyGTSStub)
		body := e.fixture(t, a, "follow.json", nil)
		if got := e.post(t, e.orgInbox, a, body); got != http.StatusAccepted {
			t.Fatalf("Follow signed with keyId %s (served as GoToSocial's stub actor): status %d, want %d",
				a.KeyID, got, http.StatusAccepted)
		}
		if _, ok := e.follower(t, a.ID); !ok {
			t.Errorf("follower %s not stored", a.ID)
		}
	})

	// A reply addressed only to the organisation (a Mastodon direct
	// message) must not be published in the object's replies.
	t.Run("direct reply stays private", func(t *testing.T) {
		a := e.remote.addActor(t, "mastodon", "dm_sender", nil, keyInActor)
		obj := e.publish(t, "Direct reply target")
		const secret = "my phone number is 555-0100"
		noteID := a.ID + "/statuses/1"
		body := edit(t, e.fixture(t, a, "create_note_reply.json", map[string]string{"{{LOCAL_OBJECT}}": obj}), func(m map[string]any) {
			m["id"], m["to"], m["cc"] = noteID+"/activity", []any{e.org}, []any{}
			o := object(m)
			o["id"], o["to"], o["cc"] = noteID, []any{e.org}, []any{}
			o["content"], o["contentMap"] = "<p>"+secret+"</p>", map[string]any{"en": "<p>" + secret + "</p>"}
		})
		e.mustPost(t, e.sharedInbox, a, body, http.StatusAccepted)
		if got := e.replyIDs(t, obj); slices.Contains(got, noteID) {
			t.Errorf("public replies collection lists the direct reply %s", noteID)
		}
		if status, page := e.local.Get(obj, "text/html"); status != http.StatusOK || strings.Contains(string(page), secret) {
			t.Errorf("public page of %s (status %d) shows the direct reply's text", obj, status)
		}
	})

	// Mastodon applies an edit only when its `updated` is newer than the
	// stored one (process_status_update_service.rb); redelivered or
	// reordered Updates must not bring back old text.
	t.Run("older Update does not overwrite a newer one", func(t *testing.T) {
		a := e.remote.addActor(t, "mastodon", "editor", nil, keyInActor)
		vars := map[string]string{"{{LOCAL_OBJECT}}": e.publish(t, "Edited reply target")}
		e.mustPost(t, e.sharedInbox, a, e.fixture(t, a, "create_note_reply.json", vars), http.StatusAccepted)
		update := func(suffix, updated, content string) []byte {
			return edit(t, e.fixture(t, a, "update_note.json", vars), func(m map[string]any) {
				m["id"] = m["id"].(string) + suffix
				o := object(m)
				o["updated"], o["content"], o["contentMap"] = updated, content, map[string]any{"it": content}
			})
		}
		e.mustPost(t, e.sharedInbox, a, update("-2", "2026-08-07T15:00:00Z", "<p>second edit</p>"), http.StatusAccepted)
		e.mustPost(t, e.sharedInbox, a, update("-1", "2026-08-07T14:50:00Z", "<p>first edit</p>"), http.StatusAccepted)
		noteID := a.ID + "/statuses/117054747363739171"
		if r, _ := e.reply(t, noteID); r.Content != "<p>second edit</p>" {
			t.Errorf("reply content = %q, want the newest edit %q", r.Content, "<p>second edit</p>")
		}
	})

	// Mastodon accepts an Accept whose embedded Follow has no id and
	// matches it by actor and object (activity.rb#follow_request_from_object);
	// service.ReceiveFollowAnswer is written for that case (followID "").
	t.Run("Accept of an embedded Follow without id", func(t *testing.T) {
		a := e.remote.addActor(t, "mastodon", "no_id_acceptor", nil, keyInActor)
		e.follow(t, a)
		body := edit(t, e.fixture(t, a, "accept_follow.json", map[string]string{"{{LOCAL_FOLLOW_ID}}": "unused"}), func(m map[string]any) {
			delete(object(m), "id")
		})
		if got := e.post(t, e.orgInbox, a, body); got != http.StatusAccepted {
			t.Errorf("status = %d, want %d", got, http.StatusAccepted)
		}
		if got := e.followingState(t, a.ID); got != model.FollowAccepted {
			t.Errorf("state = %q, want %q", got, model.FollowAccepted)
		}
	})

	// Mastodon keeps one favourite per account and status (unique index
	// on favourites account_id, status_id); an actor cannot like twice.
	t.Run("one Like per actor", func(t *testing.T) {
		a := e.remote.addActor(t, "mastodon", "liker", nil, keyInActor)
		obj := e.publish(t, "Liked twice")
		for _, id := range []string{"#likes/1", "#likes/2"} {
			e.mustPost(t, e.orgInbox, a, edit(t, e.fixture(t, a, "like.json", map[string]string{"{{LOCAL_OBJECT}}": obj}),
				func(m map[string]any) { m["id"] = a.ID + id }), http.StatusAccepted)
		}
		if got := e.counts(t, obj).Likes; got != 1 {
			t.Errorf("Likes = %d, want 1", got)
		}
	})

	// Mastodon keeps a Tombstone for a deleted remote status and ignores a
	// later Create or Update of it (delete.rb#delete_note, create.rb
	// tombstone_exists?); an edit delivered after the Delete, for instance
	// on a retry, must not bring the reply back.
	t.Run("Update after Delete does not revive a reply", func(t *testing.T) {
		a := e.remote.addActor(t, "mastodon", "late_editor", nil, keyInActor)
		obj := e.publish(t, "Deleted reply target")
		vars := map[string]string{"{{LOCAL_OBJECT}}": obj}
		noteID := a.ID + "/statuses/117054747363739171"
		for _, fixture := range []string{"create_note_reply.json", "delete_note.json", "update_note.json"} {
			e.mustPost(t, e.sharedInbox, a, e.fixture(t, a, fixture, vars), http.StatusAccepted)
		}
		if r, ok := e.reply(t, noteID); ok {
			t.Errorf("deleted reply stored again by a late Update: %+v", r)
		}
		if got := e.replyIDs(t, obj); slices.Contains(got, noteID) {
			t.Errorf("replies collection lists the deleted reply %s", noteID)
		}
	})

	// Mastodon remembers a Delete that arrives before its Create
	// (delete.rb#delete_later!, create.rb#delete_arrived_first?).
	t.Run("Delete before Create", func(t *testing.T) {
		a := e.remote.addActor(t, "gotosocial", "hasty_zork", nil, keyObject)
		vars := map[string]string{"{{LOCAL_OBJECT}}": e.publish(t, "Reordered reply target")}
		// The recorded Delete's id is not derived from the actor, and another
		// test already delivered it: give this one its own id.
		del := edit(t, e.fixture(t, a, "delete_note.json", vars), func(m map[string]any) { m["id"] = a.ID + "/deletes/1" })
		e.mustPost(t, e.orgInbox, a, del, http.StatusAccepted)
		e.mustPost(t, e.orgInbox, a, e.fixture(t, a, "create_note_reply.json", vars), http.StatusAccepted)
		noteID := a.ID + "/statuses/01FF25D5Q0DH7CHD57CTRS6WK0"
		if r, ok := e.reply(t, noteID); ok {
			t.Errorf("reply stored although its Delete arrived first: %+v", r)
		}
	})
}
