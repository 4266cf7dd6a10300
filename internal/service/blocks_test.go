package service

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// changes records what the service reports as changed.
type changes struct {
	mu  sync.Mutex // guards ids
	ids []string
}

func (c *changes) record(ids ...string) {
	c.mu.Lock()
	c.ids = append(c.ids, ids...)
	c.mu.Unlock()
}

func (c *changes) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.ids
	c.ids = nil
	return out
}

func TestBlockDomain(t *testing.T) {
	ch := &changes{}
	e := newTestEnv(t, withObserver(ch.record))
	ctx := context.Background()
	e.addFollower(t, "acme", bob, false)
	e.addFollower(t, "acme", carol, true)
	e.addFollower(t, "acme", dave, false)
	e.addFollowing(t, "acme", peerOrg, model.FollowAccepted)
	obj := remoteObject(peerOrg, 1, t0)
	if err := e.svc.ReceiveObject(ctx, "https://p.example/activities/1", peerOrg.ID, "", obj); err != nil {
		t.Fatal(err)
	}
	e.publish(t, "acme", projectInput()) // queues deliveries to b.example and d.example
	ch.take()

	b, err := e.svc.Block(ctx, asAdmin, "B.example")
	if err != nil {
		t.Fatalf("Block: %v", err)
	}
	if b.Target != "b.example" || b.Kind != model.BlockDomain || !b.Created.Equal(t0) {
		t.Errorf("Block = %+v", b)
	}
	fs, _ := e.svc.Followers(ctx, "acme")
	if len(fs) != 1 || fs[0].Actor != dave.ID {
		t.Errorf("followers after block = %+v, want dave only", fs)
	}
	for _, d := range e.queue(t) {
		if uris.HostOf(d.Inbox) == "b.example" {
			t.Errorf("delivery to %s still queued", d.Inbox)
		}
	}
	if got := ch.take(); !slices.Contains(got, bob.ID) || !slices.Contains(got, carol.ID) {
		t.Errorf("Changed(%q), want bob and carol", got)
	}
	// Nothing new goes to b.example, even to an actor that was not a follower.
	e.clearQueue(t)
	e.addFollower(t, "acme", bob, false) // a follower stored behind the block's back
	e.publish(t, "acme", callInput())
	checkSent(t, e.sent(t), []sent{{"Create", "acme", dave.SharedInbox}})
	if err := e.svc.ReceiveFollow(ctx, "https://b.example/follows/9", "acme", carol); !errors.Is(err, ErrForbidden) {
		t.Errorf("ReceiveFollow from a blocked server: err = %v, want ErrForbidden", err)
	}
	if _, err := e.svc.Follow(ctx, asAdmin, "acme", "carol@b.example"); validationFields(t, err)[0] != "target" {
		t.Errorf("Follow of a blocked server: err = %v", err)
	}
	if len(e.resolve.calls) != 0 {
		t.Errorf("resolver asked %q about a blocked server", e.resolve.calls)
	}
	// Blocking twice changes nothing.
	if again, err := e.svc.Block(ctx, asAdmin, "b.example"); err != nil || !again.Created.Equal(b.Created) {
		t.Errorf("second Block = %+v, %v", again, err)
	}

	// Blocking the peer's server hides its object; unblocking shows it again.
	if _, err := e.svc.Block(ctx, asAdmin, "https://p.example/"); err != nil {
		t.Fatal(err)
	}
	if got := ch.take(); !slices.Contains(got, obj.ID) || !slices.Contains(got, peerOrg.ID) {
		t.Errorf("Changed(%q), want the peer and its object", got)
	}
	if objs, _ := e.svc.ObjectsBy(ctx, peerOrg.ID); len(objs) != 0 {
		t.Errorf("ObjectsBy(blocked peer) = %d objects, want none", len(objs))
	}
	if _, err := e.svc.Reply(ctx, asAdmin, "acme", obj.ID, "hello"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Reply to hidden object: err = %v, want ErrNotFound", err)
	}
	obj2 := remoteObject(peerOrg, 2, t0)
	if err := e.svc.ReceiveObject(ctx, "https://p.example/activities/2", peerOrg.ID, "", obj2); err != nil {
		t.Fatal(err)
	}
	if e.hasObject(t, obj2.ID) {
		t.Error("an object from a blocked server was stored")
	}
	if err := e.svc.Unblock(ctx, asAdmin, "p.example"); err != nil {
		t.Fatalf("Unblock: %v", err)
	}
	if objs, _ := e.svc.ObjectsBy(ctx, peerOrg.ID); len(objs) != 1 || objs[0].ID != obj.ID {
		t.Errorf("ObjectsBy after unblock = %+v, want the first object back", objs)
	}
	if got := ch.take(); !slices.Contains(got, obj.ID) {
		t.Errorf("Unblock: Changed(%q), want the object", got)
	}
	if err := e.svc.Unblock(ctx, asAdmin, "p.example"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Unblock: err = %v, want ErrNotFound", err)
	}
	bs, _ := e.svc.Blocks(ctx, asAdmin)
	if len(bs) != 1 || bs[0].Target != "b.example" {
		t.Errorf("Blocks = %+v", bs)
	}
}

func TestBlockActor(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.addFollower(t, "acme", bob, false)
	e.addFollower(t, "acme", carol, false)
	e.addFollower(t, "acme", erin, false) // no shared inbox
	e.addFollowing(t, "acme", erin, model.FollowAccepted)
	o := e.publish(t, "acme", callInput())
	e.clearQueue(t)
	for _, a := range []model.Actor{bob, carol} {
		r := model.Reply{ID: a.ID + "/notes/1", InReplyTo: o.ID, Actor: a.ID, Content: "<p>hi</p>", Published: t0}
		if err := e.svc.ReceiveReply(ctx, a.ID+"/activities/1", r.Actor, r, testActor(r.Actor)); err != nil {
			t.Fatal(err)
		}
	}
	e.update(t, func(tx *store.Tx) error {
		_, err := tx.Enqueue(model.Delivery{ActivityID: "x", Inbox: erin.Inbox, NextAttempt: t0})
		return err
	})

	b, err := e.svc.Block(ctx, asAdmin, "@carol@b.example")
	if err != nil {
		t.Fatalf("Block by handle: %v", err)
	}
	if rs, _ := e.svc.Replies(ctx, o.ID); len(rs) != 1 || rs[0].Actor != bob.ID {
		t.Errorf("Replies = %+v, want bob's only", rs)
	}
	if b.Target != carol.ID || b.Kind != model.BlockActor || b.Handle != "carol@b.example" {
		t.Errorf("Block = %+v", b)
	}
	if _, err := e.svc.Block(ctx, asAdmin, erin.ID); err != nil {
		t.Fatal(err)
	}
	if q := e.queue(t); len(q) != 0 {
		t.Errorf("queue after blocking erin = %+v, want her delivery dropped", q)
	}
	fs, _ := e.svc.Followers(ctx, "acme")
	if len(fs) != 1 || fs[0].Actor != bob.ID {
		t.Errorf("followers = %+v, want bob only", fs)
	}
	// bob, on carol's server, still gets content; erin gets not even an Undo.
	e.publish(t, "acme", projectInput())
	checkSent(t, e.sent(t), []sent{{"Create", "acme", bob.SharedInbox}})
	e.clearQueue(t)
	if err := e.svc.Unfollow(ctx, asAdmin, "acme", erin.ID); err != nil {
		t.Fatal(err)
	}
	if got := e.sent(t); len(got) != 0 {
		t.Errorf("unfollowing a blocked actor sent %+v", got)
	}
	if !e.svc.IsBlocked(ctx, carol.ID) || e.svc.IsBlocked(ctx, bob.ID) {
		t.Error("IsBlocked: want carol only")
	}
	if err := e.svc.Unblock(ctx, asAdmin, "carol@b.example"); err != nil {
		t.Fatalf("Unblock by handle: %v", err)
	}
	if e.svc.IsBlocked(ctx, carol.ID) {
		t.Error("carol still blocked")
	}
}

func TestBlockTargets(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	for _, target := range []string{"", "  ", "https://local.example/orgs/acme", "local.example", "https://local.example",
		"ftp://spam.example/x", "nobody@nowhere.example", "spam.example/path", "two words", "https://"} {
		if _, err := e.svc.Block(ctx, asAdmin, target); validationFields(t, err)[0] != "target" {
			t.Errorf("Block(%q): err = %v, want a target error", target, err)
		}
	}
	tests := []struct{ in, target, kind string }{
		{"https://Spam.Example/", "spam.example", model.BlockDomain},
		{"Spam.Example:8443", "spam.example:8443", model.BlockDomain},
		{"https://spam.example/users/x", "https://spam.example/users/x", model.BlockActor},
	}
	for _, tt := range tests {
		b, err := e.svc.Block(ctx, asAdmin, tt.in)
		if err != nil || b.Target != tt.target || b.Kind != tt.kind {
			t.Errorf("Block(%q) = %+v, %v; want %s %s", tt.in, b, err, tt.kind, tt.target)
		}
	}
}
