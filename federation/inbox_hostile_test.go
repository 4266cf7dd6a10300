package federation_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

const publicIRI = "https://www.w3.org/ns/activitystreams#Public"

// TestInboxHostile sends what a broken or malicious peer could send. Each
// case checks the status and that nothing was stored.
func TestInboxHostile(t *testing.T) {
	e := newInboxEnv(t)
	obj := e.publish(t, "Repair café network")
	vars := map[string]string{"{{LOCAL_OBJECT}}": obj}
	shared := newKey(t) // the honest actors share a key: key generation is slow under -race
	mallory := e.remote.addActor(t, "mastodon", "mallory", nil, keyInActor)
	n := 0
	newActor := func(t *testing.T) *remoteActor {
		n++
		return e.remote.addActor(t, "mastodon", fmt.Sprintf("honest%d", n), shared, keyInActor)
	}
	followBy := func(t *testing.T, a *remoteActor) []byte {
		return edit(t, e.fixture(t, a, "follow.json", nil), func(m map[string]any) { m["id"] = a.ID + "#follows/1" })
	}
	// replyBy is a's Create of a reply to obj; noteID may be on any host.
	replyBy := func(t *testing.T, a *remoteActor, noteID, content string) []byte {
		return edit(t, e.fixture(t, a, "create_note_reply.json", vars), func(m map[string]any) {
			m["id"] = noteID + "/activity"
			o := object(m)
			o["id"], o["content"], o["contentMap"] = noteID, content, map[string]any{"en": content}
		})
	}

	t.Run("request", func(t *testing.T) {
		tests := []struct {
			name string
			req  func(t *testing.T, a *remoteActor, body []byte) request
			want int
			// retry: the genuine activity, sent afterwards with the same
			// id, must still be applied. A forged request must not use up
			// the id of an activity it imitates.
			retry bool
		}{
			{name: "unsigned", want: http.StatusUnauthorized, retry: true,
				req: func(t *testing.T, a *remoteActor, body []byte) request { return request{url: e.orgInbox, body: body} }},
			{name: "forged signature", want: http.StatusUnauthorized, retry: true,
				req: func(t *testing.T, a *remoteActor, body []byte) request {
					return request{url: e.orgInbox, body: body, keyID: a.KeyID, key: mallory.Key}
				}},
			{name: "key owner is not the actor", want: http.StatusUnauthorized, retry: true,
				req: func(t *testing.T, a *remoteActor, body []byte) request {
					return request{url: e.orgInbox, body: body, keyID: mallory.KeyID, key: mallory.Key}
				}},
			{name: "unknown keyId", want: http.StatusUnauthorized, retry: true,
				req: func(t *testing.T, a *remoteActor, body []byte) request {
					return request{url: e.orgInbox, body: body, keyID: e.remote.Base + "/users/nobody#main-key", key: mallory.Key}
				}},
			{name: "date 2 hours old", want: http.StatusUnauthorized, retry: true,
				req: func(t *testing.T, a *remoteActor, body []byte) request {
					return request{url: e.orgInbox, body: body, keyID: a.KeyID, key: a.Key, date: time.Now().Add(-2 * time.Hour)}
				}},
			{name: "date 2 hours ahead", want: http.StatusUnauthorized, retry: true,
				req: func(t *testing.T, a *remoteActor, body []byte) request {
					return request{url: e.orgInbox, body: body, keyID: a.KeyID, key: a.Key, date: time.Now().Add(2 * time.Hour)}
				}},
			{name: "body changed after signing", want: http.StatusUnauthorized, retry: true,
				req: func(t *testing.T, a *remoteActor, body []byte) request {
					changed := []byte(strings.Replace(string(body), "#follows/1", "#follows/2", 1))
					return request{url: e.orgInbox, body: body, sent: changed, keyID: a.KeyID, key: a.Key}
				}},
			{name: "content type text/plain", want: http.StatusUnsupportedMediaType, retry: true,
				req: func(t *testing.T, a *remoteActor, body []byte) request {
					return request{url: e.orgInbox, body: body, contentType: "text/plain", keyID: a.KeyID, key: a.Key}
				}},
			{name: "malformed JSON", want: http.StatusBadRequest,
				req: func(t *testing.T, a *remoteActor, _ []byte) request {
					return request{url: e.orgInbox, body: []byte(`{"type":`), keyID: a.KeyID, key: a.Key}
				}},
			{name: "Follow without actor", want: http.StatusBadRequest,
				req: func(t *testing.T, a *remoteActor, body []byte) request {
					return request{url: e.orgInbox, body: edit(t, body, func(m map[string]any) { delete(m, "actor") }),
						keyID: a.KeyID, key: a.Key}
				}},
			{name: "2 MiB body", want: http.StatusRequestEntityTooLarge,
				req: func(t *testing.T, a *remoteActor, body []byte) request {
					big := edit(t, body, func(m map[string]any) { m["padding"] = strings.Repeat("x", 2<<20) })
					return request{url: e.orgInbox, body: big, keyID: a.KeyID, key: a.Key}
				}},
			{name: "2 MiB body to the shared inbox", want: http.StatusRequestEntityTooLarge,
				req: func(t *testing.T, a *remoteActor, body []byte) request {
					big := edit(t, body, func(m map[string]any) { m["padding"] = strings.Repeat("x", 2<<20) })
					return request{url: e.sharedInbox, body: big, keyID: a.KeyID, key: a.Key}
				}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				a := newActor(t)
				body := followBy(t, a)
				before := e.snapshot(t, obj)
				if got := e.send(t, tt.req(t, a, body)); got != tt.want {
					t.Errorf("status = %d, want %d", got, tt.want)
				}
				if after := e.snapshot(t, obj); after != before {
					t.Errorf("store changed:\nbefore %s\nafter  %s", before, after)
				}
				if !tt.retry {
					return
				}
				e.mustPost(t, e.orgInbox, a, body, http.StatusAccepted)
				if _, ok := e.follower(t, a.ID); !ok {
					t.Errorf("the genuine Follow sent after the rejected one was not applied")
				}
			})
		}
	})

	t.Run("activity", func(t *testing.T) {
		// What the hostile activities target: an honest actor's follow,
		// reply and profile, and a follow of ours still pending.
		honest := newActor(t)
		e.mustPost(t, e.orgInbox, honest, followBy(t, honest), http.StatusAccepted)
		honestNote := honest.ID + "/statuses/1"
		e.mustPost(t, e.sharedInbox, honest, replyBy(t, honest, honestNote, "<p>count me in</p>"), http.StatusAccepted)
		if _, ok := e.reply(t, honestNote); !ok {
			t.Fatalf("setup: reply %s not stored", honestNote)
		}
		honestProfile, _ := e.actor(t, honest.ID)
		pending := newActor(t)
		pendingFollow := e.follow(t, pending)
		stranger := otherOrigin + "/users/stranger"

		tests := []struct {
			name string
			body []byte // signed by mallory
			want int
		}{
			{name: "unknown activity type", want: http.StatusAccepted, body: mustJSON(t, map[string]any{
				"@context": []any{"https://www.w3.org/ns/activitystreams",
					map[string]any{"QuoteRequest": "https://w3id.org/fep/044f#QuoteRequest"}},
				"id": mallory.ID + "/quote_requests/1", "type": "QuoteRequest", "actor": mallory.ID, "object": obj,
				"instrument": map[string]any{"id": mallory.ID + "/statuses/5", "type": "Note", "attributedTo": mallory.ID,
					"content": "<p>quoting</p>", "quote": obj}})},
			{name: "reply whose note is on another host", want: http.StatusForbidden,
				body: edit(t, replyBy(t, mallory, stranger+"/statuses/1", "<p>impersonated</p>"), func(m map[string]any) {
					m["id"] = mallory.ID + "/statuses/1/activity" // only the note is elsewhere
				})},
			{name: "reply attributed to another actor", want: http.StatusForbidden,
				body: edit(t, replyBy(t, mallory, mallory.ID+"/statuses/2", "<p>impersonated</p>"), func(m map[string]any) {
					object(m)["attributedTo"] = honest.ID
				})},
			{name: "Update of another actor's reply", want: http.StatusForbidden,
				body: edit(t, e.fixture(t, mallory, "update_note.json", vars), func(m map[string]any) {
					o := object(m)
					o["id"], o["content"], o["contentMap"] = honestNote, "<p>defaced</p>", map[string]any{"en": "<p>defaced</p>"}
				})},
			{name: "Delete of another actor's reply", want: http.StatusForbidden,
				body: edit(t, e.fixture(t, mallory, "delete_note.json", nil), func(m map[string]any) {
					object(m)["id"] = honestNote
				})},
			{name: "Undo of another actor's Follow", want: http.StatusForbidden,
				body: edit(t, e.fixture(t, mallory, "undo_follow.json", nil), func(m map[string]any) {
					o := object(m)
					o["id"], o["actor"] = honest.ID+"#follows/1", honest.ID
				})},
			{name: "Update of another actor's profile", want: http.StatusForbidden,
				body: edit(t, e.fixture(t, honest, "update_actor.json", nil), func(m map[string]any) {
					m["id"], m["actor"] = mallory.ID+"#updates/1", mallory.ID
					object(m)["name"] = "Hacked"
				})},
			{name: "Accept of our follow of someone else", want: http.StatusAccepted,
				body: edit(t, e.fixture(t, mallory, "accept_follow.json", map[string]string{"{{LOCAL_FOLLOW_ID}}": pendingFollow}),
					func(m map[string]any) { object(m)["object"] = pending.ID })},
			{name: "Announce relaying another server's Create", want: http.StatusForbidden, body: mustJSON(t, map[string]any{
				"@context": "https://www.w3.org/ns/activitystreams",
				"id":       mallory.ID + "/statuses/6/activity", "type": "Announce", "actor": mallory.ID, "to": []any{publicIRI},
				"object": map[string]any{"id": stranger + "/statuses/6/activity", "type": "Create", "actor": stranger,
					"object": map[string]any{"id": stranger + "/statuses/6", "type": "Note", "attributedTo": stranger,
						"inReplyTo": obj, "content": "<p>relayed</p>", "to": []any{publicIRI}}}})},
			{name: "Like of another server's object", want: http.StatusAccepted,
				body: edit(t, e.fixture(t, mallory, "like.json", vars), func(m map[string]any) {
					m["object"] = stranger + "/statuses/7"
				})},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := e.snapshot(t, obj)
				if got := e.post(t, e.inboxFor(mallory, "create_note_reply.json"), mallory, tt.body); got != tt.want {
					t.Errorf("status = %d, want %d", got, tt.want)
				}
				if after := e.snapshot(t, obj); after != before {
					t.Errorf("store changed:\nbefore %s\nafter  %s", before, after)
				}
				if got, _ := e.actor(t, honest.ID); got.Name != honestProfile.Name {
					t.Errorf("honest actor's name = %q, want %q", got.Name, honestProfile.Name)
				}
			})
		}
		if got := e.followingState(t, pending.ID); got != model.FollowPending {
			t.Errorf("our follow of %s: state %q, want %q", pending.ID, got, model.FollowPending)
		}
		if r, _ := e.reply(t, honestNote); r.Content != "<p>count me in</p>" {
			t.Errorf("honest reply content = %q, want it unchanged", r.Content)
		}
	})

	t.Run("actor Delete", func(t *testing.T) {
		// An actor its server no longer serves deletes itself: Mastodon
		// answers 202 without a usable key, and there is nothing to remove.
		ghost := &remoteActor{Flavor: "mastodon", Name: "ghost", ID: e.remote.Base + "/users/ghost", Key: mallory.Key}
		ghost.KeyID = ghost.ID + "#main-key"
		before := e.snapshot(t, obj)
		if got := e.post(t, e.sharedInbox, ghost, e.fixture(t, ghost, "delete_actor.json", nil)); got != http.StatusAccepted {
			t.Errorf("self-Delete of an unknown, gone actor: status %d, want %d", got, http.StatusAccepted)
		}
		if after := e.snapshot(t, obj); after != before {
			t.Errorf("store changed:\nbefore %s\nafter  %s", before, after)
		}
		if _, ok := e.actor(t, ghost.ID); ok {
			t.Errorf("gone actor %s stored", ghost.ID)
		}

		// That shortcut must not let anyone delete a known actor.
		a := newActor(t)
		e.mustPost(t, e.orgInbox, a, followBy(t, a), http.StatusAccepted)
		forged := request{url: e.sharedInbox, body: e.fixture(t, a, "delete_actor.json", nil), keyID: a.KeyID, key: mallory.Key}
		if got := e.send(t, forged); got != http.StatusUnauthorized {
			t.Errorf("forged self-Delete of a known actor: status %d, want %d", got, http.StatusUnauthorized)
		}
		if _, ok := e.actor(t, a.ID); !ok {
			t.Errorf("actor %s removed by a forged Delete", a.ID)
		}
		if _, ok := e.follower(t, a.ID); !ok {
			t.Errorf("follower %s removed by a forged Delete", a.ID)
		}
	})

	t.Run("hostile HTML in a reply", func(t *testing.T) {
		a := newActor(t)
		noteID := a.ID + "/statuses/1"
		const content = `<p>hello <script>alert(1)</script><a href="javascript:alert(2)" onclick="alert(3)">click</a> ` +
			`<img src="x" onerror="alert(4)"><span onmouseover="alert(5)" style="color:red">hover</span>` +
			`<iframe src="http://127.0.0.10:9/"></iframe></p>`
		e.mustPost(t, e.sharedInbox, a, replyBy(t, a, noteID, content), http.StatusAccepted)
		r, ok := e.reply(t, noteID)
		if !ok {
			t.Fatalf("reply %s not stored", noteID)
		}
		for _, bad := range []string{"<script", "alert(", "javascript:", "onclick", "onerror", "onmouseover", "<img", "style=", "<iframe"} {
			if strings.Contains(r.Content, bad) {
				t.Errorf("stored content %q contains %q", r.Content, bad)
			}
		}
		for _, good := range []string{"hello", "click", "hover"} {
			if !strings.Contains(r.Content, good) {
				t.Errorf("stored content %q lost the text %q", r.Content, good)
			}
		}
	})

	t.Run("remote project", func(t *testing.T) {
		// A maillage peer's organisation, followed by coop: only then are
		// its projects and calls stored (service.ReceiveObject).
		peer := e.remote.addActor(t, "mastodon", "coop_b", shared, keyInActor)
		e.followAccepted(t, peer)
		n := 0
		create := func(a *remoteActor, id string, change func(o map[string]any)) []byte {
			n++
			o := map[string]any{
				"id": id, "type": "Note", "attributedTo": a.ID, "url": id, "to": []any{publicIRI},
				"published": "2026-05-04T10:00:00Z", "content": "<p><strong>Bike repair workshop</strong></p>",
				"kind": "project", "title": "Bike repair workshop", "pitch": "Repair bikes together",
				"sector": []any{"mobility"}, "status": "active",
				"location": map[string]any{"type": "Place", "name": "Lyon", "country": "FR", "latitude": 45.76, "longitude": 4.83},
			}
			if change != nil {
				change(o)
			}
			return mustJSON(t, map[string]any{
				"@context": []any{"https://www.w3.org/ns/activitystreams", map[string]any{"mai": "https://w3id.org/maillage/ns#",
					"kind": "mai:kind", "title": "mai:title", "pitch": "mai:pitch", "sector": "mai:sector", "status": "mai:status"}},
				"id": fmt.Sprintf("%s/activities/%d", a.ID, n), "type": "Create", "actor": a.ID, "to": []any{publicIRI}, "object": o})
		}
		asCall := func(o map[string]any) {
			o["kind"], o["status"], o["partnerRole"] = "call", "open", []any{"pilot-user"}
		}
		tests := []struct {
			name   string
			from   *remoteActor
			id     string
			change func(o map[string]any)
			want   int
			stored bool
		}{
			{name: "valid project", from: peer, id: peer.ID + "/projects/1", want: http.StatusAccepted, stored: true},
			{name: "valid call", from: peer, id: peer.ID + "/calls/1", change: asCall, want: http.StatusAccepted, stored: true},
			{name: "call with an unknown sector", from: peer, id: peer.ID + "/calls/2", want: http.StatusAccepted,
				change: func(o map[string]any) { asCall(o); o["sector"] = []any{"space-mining"} }},
			{name: "call at latitude 999", from: peer, id: peer.ID + "/calls/3", want: http.StatusAccepted,
				change: func(o map[string]any) { asCall(o); o["location"].(map[string]any)["latitude"] = 999 }},
			{name: "project from an actor nobody follows", from: mallory, id: mallory.ID + "/projects/1", want: http.StatusAccepted},
			{name: "project whose id is on another host", from: peer, id: otherOrigin + "/projects/1", want: http.StatusForbidden},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if got := e.post(t, e.sharedInbox, tt.from, create(tt.from, tt.id, tt.change)); got != tt.want {
					t.Errorf("status = %d, want %d", got, tt.want)
				}
				o, ok := e.object(t, tt.id)
				if ok != tt.stored {
					t.Fatalf("object %s stored = %t, want %t (%+v)", tt.id, ok, tt.stored, o)
				}
				if ok && (o.AttributedTo != tt.from.ID || o.Local || len(o.Sectors) != 1 || o.Sectors[0] != "mobility") {
					t.Errorf("stored object = %+v, want attributed to %s, remote, sector mobility", o, tt.from.ID)
				}
			})
		}
	})
}
