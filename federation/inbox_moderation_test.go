package federation_test

import (
	"context"
	"crypto"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/testenv"
)

// newModerationEnv is an inboxEnv on the moderation tests' own addresses.
func newModerationEnv(t *testing.T) *inboxEnv {
	t.Helper()
	local := testenv.Start(t, "127.0.0.92", testenv.Options{})
	org := local.Actor("coop")
	return &inboxEnv{local: local, remote: startFakeRemote(t, "127.0.0.93"), org: org, orgInbox: org + "/inbox",
		sharedInbox: local.Base + "/inbox", client: &http.Client{Timeout: waitTimeout}}
}

func (e *inboxEnv) block(t *testing.T, method, target string, want int) {
	t.Helper()
	if got := e.local.API(method, "/api/v1/blocks", map[string]string{"target": target}, nil); got != want {
		t.Fatalf("%s block %s: status %d, want %d", method, target, got, want)
	}
}

func (e *inboxEnv) reports(t *testing.T) []model.Report {
	t.Helper()
	var rs []model.Report
	if got := e.local.API(http.MethodGet, "/api/v1/reports", nil, &rs); got != http.StatusOK {
		t.Fatalf("GET reports: status %d", got)
	}
	return rs
}

// flagBy is a Flag as Mastodon's flag_serializer.rb writes it: the actor
// (Mastodon uses its instance actor), the reported account then statuses
// as object, the comment as content.
func flagBy(t *testing.T, a *remoteActor, n int, comment string, objects ...string) []byte {
	return mustJSON(t, map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
		"id": fmt.Sprintf("%s/flags/%d", a.ID, n), "type": "Flag", "actor": a.ID, "content": comment, "object": objects})
}

// TestInboxBlocks: blocked actors and servers get 403, before any key
// fetch for a server, and nothing they send is stored; unblocking lets
// them in again.
func TestInboxBlocks(t *testing.T) {
	e := newModerationEnv(t)
	obj := e.publish(t, "Shared tool library")
	vars := map[string]string{"{{LOCAL_OBJECT}}": obj}
	key := newKey(t)
	gargron := e.remote.addActor(t, "mastodon", "Gargron", key, keyInActor)
	troll := e.remote.addActor(t, "mastodon", "troll", key, keyInActor)
	followBy := func(a *remoteActor, n int) []byte {
		return edit(t, e.fixture(t, a, "follow.json", nil), func(m map[string]any) { m["id"] = fmt.Sprintf("%s#follows/%d", a.ID, n) })
	}
	replyBy := func(a *remoteActor) ([]byte, string) {
		body := e.fixture(t, a, "create_note_reply.json", vars)
		return body, field(t, body, "object", "id")
	}

	// An actor block: the troll is refused, its neighbour is not.
	e.block(t, http.MethodPost, troll.ID, http.StatusCreated)
	body, note := replyBy(troll)
	e.mustPost(t, e.sharedInbox, troll, body, http.StatusForbidden)
	e.mustPost(t, e.orgInbox, troll, followBy(troll, 1), http.StatusForbidden)
	if _, ok := e.reply(t, note); ok {
		t.Error("a blocked actor's reply was stored")
	}
	if _, ok := e.follower(t, troll.ID); ok {
		t.Error("a blocked actor became a follower")
	}
	body, note = replyBy(gargron)
	e.mustPost(t, e.sharedInbox, gargron, body, http.StatusAccepted)
	if _, ok := e.reply(t, note); !ok {
		t.Error("the reply of an actor on the same server was not stored")
	}
	e.block(t, http.MethodDelete, troll.ID, http.StatusNoContent)
	e.mustPost(t, e.orgInbox, troll, followBy(troll, 1), http.StatusAccepted)
	if _, ok := e.follower(t, troll.ID); !ok {
		t.Error("the unblocked actor's Follow was not applied")
	}

	// A server block: refused before the signature is checked, so the key
	// of an actor never seen is not fetched (its profile is not stored).
	newcomer := e.remote.addActor(t, "mastodon", "newcomer", key, keyInActor)
	e.block(t, http.MethodPost, e.remote.Host, http.StatusCreated)
	if _, ok := e.follower(t, troll.ID); ok {
		t.Error("a follower on a blocked server is still a follower")
	}
	e.mustPost(t, e.orgInbox, newcomer, followBy(newcomer, 1), http.StatusForbidden)
	if _, ok := e.actor(t, newcomer.ID); ok {
		t.Error("the key of an actor on a blocked server was fetched")
	}
	e.mustPost(t, e.sharedInbox, gargron, flagBy(t, gargron, 1, "blocked", e.org), http.StatusForbidden)
	if rs := e.reports(t); len(rs) != 0 {
		t.Errorf("a Flag from a blocked server was recorded: %+v", rs)
	}
	// The same activities are applied once the block is lifted.
	e.block(t, http.MethodDelete, e.remote.Host, http.StatusNoContent)
	e.mustPost(t, e.orgInbox, newcomer, followBy(newcomer, 1), http.StatusAccepted)
	if _, ok := e.follower(t, newcomer.ID); !ok {
		t.Error("the newcomer's Follow was not applied after unblocking")
	}
}

// TestInboxBlocksGoToSocialKey: an actor blocked by its IRI is refused
// when its key id is a document of its own (GoToSocial's …/main-key),
// which the check made before verifying the signature does not name.
func TestInboxBlocksGoToSocialKey(t *testing.T) {
	e := newModerationEnv(t)
	gts := e.remote.addActor(t, "gotosocial", "blocked", newKey(t), keyGTSStub)
	if strings.HasPrefix(gts.KeyID, gts.ID+"#") {
		t.Fatalf("key id %s is the actor's own, want a document of its own", gts.KeyID)
	}
	follow := func(n int) []byte {
		return edit(t, e.fixture(t, gts, "follow.json", nil), func(m map[string]any) { m["id"] = fmt.Sprintf("%s/follows/%d", gts.ID, n) })
	}
	obj := e.publish(t, "Shared tool library")
	like := e.fixture(t, gts, "like.json", map[string]string{"{{LOCAL_OBJECT}}": obj})
	e.block(t, http.MethodPost, gts.ID, http.StatusCreated)
	e.mustPost(t, e.orgInbox, gts, follow(1), http.StatusForbidden)
	if _, ok := e.follower(t, gts.ID); ok {
		t.Error("a blocked actor signing with a separate key became a follower")
	}
	// A Like is checked by the inbox alone: the service counts it.
	e.mustPost(t, e.sharedInbox, gts, like, http.StatusForbidden)
	if c := e.counts(t, obj); c.Likes != 0 {
		t.Errorf("a blocked actor's Like was counted: %+v", c)
	}
	e.block(t, http.MethodDelete, gts.ID, http.StatusNoContent)
	e.mustPost(t, e.orgInbox, gts, follow(2), http.StatusAccepted)
	if _, ok := e.follower(t, gts.ID); !ok {
		t.Error("the unblocked actor's Follow was not applied")
	}
}

// TestInboxFlag: a Mastodon-shaped Flag is recorded with its reporter,
// targets and comment; an outgoing report reaches the reported actor's
// inbox as a Flag signed by the instance actor, and is not served.
func TestInboxFlag(t *testing.T) {
	e := newModerationEnv(t)
	obj := e.publish(t, "Seed exchange")
	reporter := e.remote.addActor(t, "mastodon", "Gargron", nil, keyInActor)
	e.mustPost(t, e.orgInbox, reporter, flagBy(t, reporter, 1, "Looks like spam", e.org, obj, reporter.ID+"/statuses/1"), http.StatusAccepted)
	e.mustPost(t, e.orgInbox, reporter, flagBy(t, reporter, 2, "not ours", reporter.ID), http.StatusAccepted)
	rs := e.reports(t)
	if len(rs) != 1 {
		t.Fatalf("reports = %+v, want one", rs)
	}
	if r := rs[0]; r.Actor != reporter.ID || r.Target != e.org || !slices.Equal(r.Objects, []string{obj}) || r.Comment != "Looks like spam" || r.Local {
		t.Errorf("report = %+v", r)
	}

	in := map[string]any{"actor": reporter.ID, "objects": []string{reporter.ID + "/statuses/1"}, "comment": "Spam.", "forward": true}
	var sent model.Report
	if got := e.local.API(http.MethodPost, "/api/v1/reports", in, &sent); got != http.StatusCreated {
		t.Fatalf("POST report: status %d", got)
	}
	p := e.remote.waitPost(t, "the Flag", func(p received) bool { return p.JSON["type"] == "Flag" })
	if p.Path != "/users/Gargron/inbox" || p.JSON["id"] != sent.Activity || p.JSON["content"] != "Spam." {
		t.Errorf("Flag to %s = %s", p.Path, p.Body)
	}
	if got, _ := p.JSON["object"].([]any); len(got) != 2 || got[0] != reporter.ID || got[1] != reporter.ID+"/statuses/1" {
		t.Errorf("Flag object = %v, want [actor, status]", p.JSON["object"])
	}
	instance := e.local.Actor(model.InstanceName)
	if p.JSON["actor"] != instance {
		t.Errorf("Flag actor = %v, want the instance actor", p.JSON["actor"])
	}
	verifySignedBy(t, e, p, instance)
	if status, _ := e.local.Get(sent.Activity, contentAS); status != http.StatusNotFound {
		t.Errorf("GET the Flag: status %d, want 404", status)
	}
	if rs := e.reports(t); len(rs) != 2 || !rs[0].Local || !rs[0].Sent {
		t.Errorf("reports after sending = %+v", rs)
	}
}

// verifySignedBy checks that a delivery verifies with the key published
// in the local actor document actorIRI.
func verifySignedBy(t *testing.T, e *inboxEnv, p received, actorIRI string) {
	t.Helper()
	status, body := e.local.Get(actorIRI, contentAS)
	if status != http.StatusOK {
		t.Fatalf("GET %s: status %d", actorIRI, status)
	}
	var doc struct {
		PublicKey struct{ ID, Owner, PublicKeyPem string } `json:"publicKey"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	pub, err := httpsign.DecodePublicKey(doc.PublicKey.PublicKeyPem)
	if err != nil {
		t.Fatal(err)
	}
	keyFn := func(_ context.Context, keyID string, _ bool) (string, crypto.PublicKey, error) {
		if keyID != doc.PublicKey.ID {
			return "", nil, fmt.Errorf("keyId %q is not %q", keyID, doc.PublicKey.ID)
		}
		return doc.PublicKey.Owner, pub, nil
	}
	if v, err := httpsign.Verify(context.Background(), p.Req, p.Body, p.Req.Host, time.Now(), keyFn); err != nil || v.Owner != actorIRI {
		t.Errorf("signature of the %v: owner %q, %v", p.JSON["type"], v.Owner, err)
	}
}
