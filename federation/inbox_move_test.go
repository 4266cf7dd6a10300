package federation_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// alias makes a's served document list aliases in alsoKnownAs, as
// Mastodon's actor_serializer.rb writes them.
func (r *fakeRemote) alias(t *testing.T, a *remoteActor, aliases ...string) {
	t.Helper()
	path := strings.TrimPrefix(a.ID, r.Base)
	r.mu.Lock()
	doc := r.docs[path]
	r.mu.Unlock()
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	list := make([]any, len(aliases))
	for i, s := range aliases {
		list[i] = s
	}
	m["alsoKnownAs"] = list
	r.setDoc(path, mustJSON(t, m))
}

// moveOf is Mastodon's Move of a to target (testdata/mastodon/move.json),
// with its id ending in n.
func (e *inboxEnv) moveOf(t *testing.T, a *remoteActor, target, n string) []byte {
	t.Helper()
	body := e.fixture(t, a, "move.json", map[string]string{"{{MOVE_TARGET}}": target})
	return edit(t, body, func(m map[string]any) { m["id"] = a.ID + "#moves/" + n })
}

// TestInboxMoveMastodon: a Mastodon account that coop follows moves to a
// new account listing it in alsoKnownAs; coop follows the new account and
// withdraws its follow of the old one. A Move sent by another actor than
// its object, to a target that does not list the old account, to a
// blocked target, or too soon after another move, is refused and changes
// nothing.
func TestInboxMoveMastodon(t *testing.T) {
	e := newInboxEnv(t)
	old := e.remote.addActor(t, "mastodon", "oldacct", nil, keyInActor)
	other := e.remote.addActor(t, "mastodon", "otheracct", nil, keyInActor)
	next := e.remote.addActor(t, "mastodon", "newacct", nil, keyInActor)
	stranger := e.remote.addActor(t, "mastodon", "stranger", nil, keyInActor)
	e.remote.alias(t, next, old.ID)
	e.followAccepted(t, old)
	e.followAccepted(t, other)

	// Sent by someone else than the account that moves: refused before
	// anything is fetched.
	forged := edit(t, e.moveOf(t, old, next.ID, "forged"), func(m map[string]any) {
		m["actor"], m["id"] = other.ID, other.ID+"#moves/forged"
	})
	e.mustPost(t, e.sharedInbox, other, forged, http.StatusForbidden)
	// Without a target, or with one too long: malformed.
	for i, target := range []any{nil, next.ID + "/" + strings.Repeat("x", 2100)} {
		bad := edit(t, e.moveOf(t, old, next.ID, "bad"+string(rune('0'+i))), func(m map[string]any) { m["target"] = target })
		e.mustPost(t, e.sharedInbox, old, bad, http.StatusBadRequest)
	}
	// To a target that does not list the account moving: refused.
	e.mustPost(t, e.sharedInbox, other, e.moveOf(t, other, stranger.ID, "1"), http.StatusForbidden)
	if got := e.followingState(t, other.ID); got != model.FollowAccepted {
		t.Fatalf("after a refused Move, follow of %s is %q, want accepted", other.ID, got)
	}
	if got := e.followingState(t, stranger.ID); got != "" {
		t.Fatalf("after a refused Move, follow of %s is %q, want none", stranger.ID, got)
	}

	// To a blocked target: refused, the blocked actor is not followed.
	fourth := e.remote.addActor(t, "mastodon", "fourthacct", nil, keyInActor)
	blocked := e.remote.addActor(t, "mastodon", "blockedacct", nil, keyInActor)
	e.remote.alias(t, blocked, fourth.ID)
	e.followAccepted(t, fourth)
	e.block(t, http.MethodPost, blocked.ID, http.StatusCreated)
	e.mustPost(t, e.sharedInbox, fourth, e.moveOf(t, fourth, blocked.ID, "1"), http.StatusForbidden)
	if got := e.followingState(t, fourth.ID); got != model.FollowAccepted {
		t.Fatalf("after a Move to a blocked actor, follow of %s is %q, want accepted", fourth.ID, got)
	}

	// The real one.
	e.mustPost(t, e.sharedInbox, old, e.moveOf(t, old, next.ID, "1"), http.StatusAccepted)
	f := e.remote.waitPost(t, "Follow of the new account", func(p received) bool {
		return p.Path == "/users/newacct/inbox" && p.JSON["type"] == "Follow"
	})
	if f.JSON["actor"] != e.org || f.JSON["object"] != next.ID {
		t.Errorf("Follow = actor %v object %v, want %s and %s", f.JSON["actor"], f.JSON["object"], e.org, next.ID)
	}
	e.verifySignedByOrg(t, f)
	u := e.remote.waitPost(t, "Undo of the follow of the old account", func(p received) bool {
		return p.Path == "/users/oldacct/inbox" && p.JSON["type"] == "Undo"
	})
	if inner, _ := u.JSON["object"].(map[string]any); inner["object"] != old.ID || inner["type"] != "Follow" {
		t.Errorf("Undo object = %v, want the Follow of %s", u.JSON["object"], old.ID)
	}
	if got := e.followingState(t, old.ID); got != "" {
		t.Errorf("follow of the old account: %q, want none", got)
	}
	if got := e.followingState(t, next.ID); got != model.FollowPending {
		t.Errorf("follow of the new account: %q, want pending", got)
	}
	err := e.local.Server.Store.View(func(tx *store.Tx) error {
		a, err := tx.Actor(old.ID)
		if err == nil && a.MovedTo != next.ID {
			t.Errorf("old account's movedTo = %q, want %s", a.MovedTo, next.ID)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Replayed: the same id changes nothing (202, no second Follow).
	e.mustPost(t, e.sharedInbox, old, e.moveOf(t, old, next.ID, "1"), http.StatusAccepted)

	// The new account moves on at once: refused, it moved here less
	// than a week ago.
	third := e.remote.addActor(t, "mastodon", "thirdacct", nil, keyInActor)
	e.remote.alias(t, third, next.ID)
	e.mustPost(t, e.sharedInbox, next, e.moveOf(t, next, third.ID, "2"), http.StatusForbidden)
	if got := e.followingState(t, third.ID); got != "" {
		t.Errorf("follow of %s after a Move too soon: %q, want none", third.ID, got)
	}
}

// TestInboxMoveGoToSocial: GoToSocial's Move (testdata/gotosocial/move.json,
// with `to` the followers) of an account coop follows, to an account that
// lists it, is applied the same way.
func TestInboxMoveGoToSocial(t *testing.T) {
	e := newInboxEnv(t)
	old := e.remote.addActor(t, "gotosocial", "the_mighty_zork", nil, keyGTSStub)
	next := e.remote.addActor(t, "gotosocial", "zork_again", nil, keyGTSStub)
	e.remote.alias(t, next, old.ID)
	e.followAccepted(t, old)
	body := e.fixture(t, old, "move.json", map[string]string{"{{MOVE_TARGET}}": next.ID})
	e.mustPost(t, e.orgInbox, old, body, http.StatusAccepted)
	e.remote.waitPost(t, "Follow of the new account", func(p received) bool {
		return p.Path == "/users/zork_again/inbox" && p.JSON["type"] == "Follow" && p.JSON["object"] == next.ID
	})
	if got := e.followingState(t, old.ID); got != "" {
		t.Errorf("follow of the old account: %q, want none", got)
	}
}
