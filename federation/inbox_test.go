package federation_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// sentToSharedInbox are the fixtures Mastodon delivers to our shared inbox
// rather than the organisation's own (Mastodon app/models/account.rb,
// preferred_inbox_url: the shared inbox when the actor has one). GoToSocial
// always uses the personal inbox.
var sentToSharedInbox = map[string]bool{
	"create_note_reply.json": true, "update_note.json": true, "delete_note.json": true,
	"announce.json": true, "update_actor.json": true, "delete_actor.json": true,
}

func (e *inboxEnv) inboxFor(a *remoteActor, fixture string) string {
	if a.Flavor == "mastodon" && sentToSharedInbox[fixture] {
		return e.sharedInbox
	}
	return e.orgInbox
}

// TestInbox replays the recorded Mastodon and GoToSocial payloads against
// a real instance and checks what each one changes in the store.
func TestInbox(t *testing.T) {
	e := newInboxEnv(t)
	servers := []struct {
		flavor    string
		actor     *remoteActor
		replyText string // a phrase of create_note_reply.json's content
	}{
		{"mastodon", e.remote.addActor(t, "mastodon", "Gargron", nil, keyInActor), "bo ancora non so"},
		{"gotosocial", e.remote.addActor(t, "gotosocial", "the_mighty_zork", nil, keyObject), "welcome to the instance!"},
	}
	for _, s := range servers {
		t.Run(s.flavor, func(t *testing.T) {
			a := s.actor
			obj := e.publish(t, "Shared tools library for "+s.flavor)
			vars := map[string]string{"{{LOCAL_OBJECT}}": obj}
			send := func(t *testing.T, fixture string, body []byte) {
				t.Helper()
				e.mustPost(t, e.inboxFor(a, fixture), a, body, http.StatusAccepted)
			}

			t.Run("follow", func(t *testing.T) {
				body := e.fixture(t, a, "follow.json", nil)
				followID := field(t, body, "id")
				send(t, "follow.json", body)
				f, ok := e.follower(t, a.ID)
				if !ok {
					t.Fatalf("follower %s not stored", a.ID)
				}
				if f.FollowID != followID || f.Inbox != a.Inbox || f.Pending {
					t.Errorf("follower = %+v, want follow id %s, inbox %s, not pending", f, followID, a.Inbox)
				}

				accept := e.remote.waitPost(t, "Accept at "+a.Inbox, func(p received) bool {
					return p.Path == strings.TrimPrefix(a.Inbox, e.remote.Base) && p.JSON["type"] == "Accept"
				})
				if got := accept.JSON["actor"]; got != e.org {
					t.Errorf("Accept actor = %v, want %s", got, e.org)
				}
				embedded := object(accept.JSON)
				want := map[string]any{"id": followID, "type": "Follow", "actor": a.ID, "object": e.org}
				for k, v := range want {
					if embedded[k] != v {
						t.Errorf("Accept object %s = %v, want %v (object %v)", k, embedded[k], v, accept.JSON["object"])
					}
				}
				e.verifySignedByOrg(t, accept)

				send(t, "follow.json", body) // redelivery
				var n int
				e.view(t, func(tx *store.Tx) error {
					fs, err := tx.Followers("coop")
					for _, f := range fs {
						if f.Actor == a.ID {
							n++
						}
					}
					return err
				})
				if n != 1 {
					t.Errorf("after redelivery %d follower records for %s, want 1", n, a.ID)
				}
			})

			t.Run("undo_follow", func(t *testing.T) {
				send(t, "undo_follow.json", e.fixture(t, a, "undo_follow.json", nil))
				if f, ok := e.follower(t, a.ID); ok {
					t.Errorf("follower still stored after Undo: %+v", f)
				}
			})

			var noteID string
			t.Run("create_note_reply", func(t *testing.T) {
				body := e.fixture(t, a, "create_note_reply.json", vars)
				noteID = field(t, body, "object", "id")
				send(t, "create_note_reply.json", body)
				r, ok := e.reply(t, noteID)
				if !ok {
					t.Fatalf("reply %s not stored", noteID)
				}
				if r.InReplyTo != obj || r.Actor != a.ID || !strings.Contains(r.Content, s.replyText) {
					t.Errorf("reply = %+v, want in reply to %s by %s containing %q", r, obj, a.ID, s.replyText)
				}
				if got, want := e.replyIDs(t, obj), []string{noteID}; !slices.Equal(got, want) {
					t.Errorf("replies page orderedItems = %q, want %q", got, want)
				}
				if got := e.counts(t, obj).Replies; got != 1 {
					t.Errorf("Counts.Replies = %d, want 1", got)
				}
			})

			t.Run("update_note", func(t *testing.T) {
				const edited = "<p>edited: see you at the assembly</p>"
				body := edit(t, e.fixture(t, a, "update_note.json", vars), func(m map[string]any) {
					o := object(m)
					o["content"] = edited
					for lang := range o["contentMap"].(map[string]any) {
						o["contentMap"].(map[string]any)[lang] = edited
					}
				})
				send(t, "update_note.json", body)
				r, ok := e.reply(t, noteID)
				if !ok {
					t.Fatalf("reply %s gone after Update", noteID)
				}
				if r.Content != edited {
					t.Errorf("reply content = %q, want %q", r.Content, edited)
				}
				if got := e.counts(t, obj).Replies; got != 1 {
					t.Errorf("Counts.Replies = %d, want 1", got)
				}
			})

			t.Run("delete_note", func(t *testing.T) {
				send(t, "delete_note.json", e.fixture(t, a, "delete_note.json", vars))
				if r, ok := e.reply(t, noteID); ok {
					t.Errorf("reply still stored after Delete: %+v", r)
				}
				if got := e.replyIDs(t, obj); len(got) != 0 {
					t.Errorf("replies page orderedItems = %q, want none", got)
				}
			})

			reactions := []struct {
				fixture string
				count   func(model.Counts) int
			}{
				{"like.json", func(c model.Counts) int { return c.Likes }},
				{"announce.json", func(c model.Counts) int { return c.Announces }},
			}
			for _, rc := range reactions {
				t.Run(strings.TrimSuffix(rc.fixture, ".json"), func(t *testing.T) {
					body := e.fixture(t, a, rc.fixture, vars)
					for i := 1; i <= 2; i++ { // the second delivery must not count again
						send(t, rc.fixture, body)
						if got := rc.count(e.counts(t, obj)); got != 1 {
							t.Errorf("after delivery %d: count = %d, want 1", i, got)
						}
					}
					// Both servers undo with the activity embedded (Mastodon
					// undo_like/undo_announce serializers, GoToSocial federate.go).
					undo := edit(t, body, func(m map[string]any) {
						inner := map[string]any{}
						for k, v := range m {
							if k != "@context" && k != "signature" {
								inner[k] = v
							}
						}
						for k := range m {
							delete(m, k)
						}
						m["@context"], m["id"], m["type"], m["actor"], m["object"] = "https://www.w3.org/ns/activitystreams",
							a.ID+"#undo/"+rc.fixture, "Undo", a.ID, inner
					})
					e.mustPost(t, e.orgInbox, a, undo, http.StatusAccepted)
					if got := rc.count(e.counts(t, obj)); got != 0 {
						t.Errorf("after Undo: count = %d, want 0", got)
					}
				})
			}

			t.Run("accept_follow", func(t *testing.T) {
				followID := e.follow(t, a)
				if got := e.followingState(t, a.ID); got != model.FollowPending {
					t.Fatalf("state before Accept = %q, want %q", got, model.FollowPending)
				}
				send(t, "accept_follow.json", e.fixture(t, a, "accept_follow.json", map[string]string{"{{LOCAL_FOLLOW_ID}}": followID}))
				if got := e.followingState(t, a.ID); got != model.FollowAccepted {
					t.Errorf("state after Accept = %q, want %q", got, model.FollowAccepted)
				}
			})

			if a.Flavor != "mastodon" { // GoToSocial actor fixtures are not recorded
				return
			}

			t.Run("update_actor", func(t *testing.T) {
				const name = "Eugen Rochko"
				body := edit(t, e.fixture(t, a, "update_actor.json", nil), func(m map[string]any) {
					object(m)["name"] = name
				})
				send(t, "update_actor.json", body)
				got, ok := e.actor(t, a.ID)
				if !ok {
					t.Fatalf("actor %s not stored", a.ID)
				}
				if got.Name != name {
					t.Errorf("actor name = %q, want %q", got.Name, name)
				}
			})

			t.Run("delete_actor", func(t *testing.T) {
				// Follow again and reply again (new ids), so that there is
				// something for the Delete to remove.
				refollow := edit(t, e.fixture(t, a, "follow.json", nil), func(m map[string]any) {
					m["id"] = a.ID + "#follows/again"
				})
				send(t, "follow.json", refollow)
				noteID := a.ID + "/statuses/2"
				reply := edit(t, e.fixture(t, a, "create_note_reply.json", vars), func(m map[string]any) {
					m["id"] = noteID + "/activity"
					object(m)["id"] = noteID
				})
				send(t, "create_note_reply.json", reply)
				if _, ok := e.follower(t, a.ID); !ok {
					t.Fatalf("setup: follower %s not stored", a.ID)
				}
				if _, ok := e.reply(t, noteID); !ok {
					t.Fatalf("setup: reply %s not stored", noteID)
				}

				send(t, "delete_actor.json", e.fixture(t, a, "delete_actor.json", nil))
				if got, ok := e.actor(t, a.ID); ok {
					t.Errorf("actor still stored after Delete: %+v", got)
				}
				if f, ok := e.follower(t, a.ID); ok {
					t.Errorf("follower still stored after actor Delete: %+v", f)
				}
				if r, ok := e.reply(t, noteID); ok {
					t.Errorf("reply still stored after actor Delete: %+v", r)
				}
			})
		})
	}

	t.Run("content types", func(t *testing.T) {
		key := newKey(t)
		for i, ct := range []string{
			"application/activity+json",
			"application/activity+json; charset=utf-8",
			`application/ld+json; profile="https://www.w3.org/ns/activitystreams"`,
		} {
			a := e.remote.addActor(t, "mastodon", fmt.Sprintf("ct%d", i), key, keyInActor)
			body := edit(t, e.fixture(t, a, "follow.json", nil), func(m map[string]any) { m["id"] = a.ID + "#follows/1" })
			if got := e.send(t, request{url: e.orgInbox, body: body, contentType: ct, keyID: a.KeyID, key: a.Key}); got != http.StatusAccepted {
				t.Errorf("Content-Type %s: status %d, want %d", ct, got, http.StatusAccepted)
			}
			if _, ok := e.follower(t, a.ID); !ok {
				t.Errorf("Content-Type %s: follower not stored", ct)
			}
		}
	})

	t.Run("peer rules", func(t *testing.T) {
		testInboxPeerRules(t, e)
	})
}
