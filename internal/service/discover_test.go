package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

const discoRelay = "https://mrelay.example/inbox"

// TestAnnounceOnRelayAccept: when a relay accepts us, each local
// organisation's Update goes to the relay's inbox, once: a repeated Accept
// sends nothing more.
func TestAnnounceOnRelayAccept(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	r, err := e.svc.AddRelay(ctx, asAdmin, discoRelay)
	if err != nil {
		t.Fatal(err)
	}
	e.clearQueue(t)
	if ok, err := e.svc.ReceiveRelayAnswer(ctx, "https://mrelay.example/a/1", "https://mrelay.example/actor", r.FollowID, true); !ok || err != nil {
		t.Fatalf("accept: %t, %v", ok, err)
	}
	var orgs []model.Org
	e.view(t, func(tx *store.Tx) error { orgs, err = tx.Orgs(); return err })
	var want []sent
	for _, o := range orgs {
		if o.Kind() == model.ActorInstance {
			continue // an Application: receivers keep only organisations
		}
		want = append(want, sent{"Update", o.Name, discoRelay})
	}
	if len(want) == 0 {
		t.Fatal("no local organisation to announce")
	}
	checkSent(t, e.sent(t), want)
	for _, d := range e.queue(t) {
		if a := e.activity(t, d.ActivityID); a.ObjectID != e.u.Actor(d.Signer) || !slices.Contains(a.To, PublicIRI) {
			t.Errorf("announcement %+v: want the public Update of the signer's actor", a)
		}
	}
	e.clearQueue(t)
	if ok, err := e.svc.ReceiveRelayAnswer(ctx, "https://mrelay.example/a/2", "https://mrelay.example/actor", r.FollowID, true); !ok || err != nil {
		t.Fatalf("second accept: %t, %v", ok, err)
	}
	checkSent(t, e.sent(t), nil)
}

// TestPublishSkipsMaillageAnnounce: the instance actor's boost of a new
// project does not go to a follower whose server is a maillage peer (it
// ignores it and gets the Create), and still goes to the others.
func TestPublishSkipsMaillageAnnounce(t *testing.T) {
	e := newTestEnv(t)
	e.addFollower(t, model.InstanceName, peer, false)
	e.addFollower(t, model.InstanceName, bob, false)
	e.update(t, func(tx *store.Tx) error {
		if err := tx.PutPeer(model.Peer{Host: "p.example", Origin: "https://p.example", Software: "maillage", Maillage: true}); err != nil {
			return err
		}
		return tx.PutPeer(model.Peer{Host: "b.example", Origin: "https://b.example", Software: "mastodon"})
	})
	e.clearQueue(t)
	e.publish(t, "acme", projectInput())
	checkSent(t, e.sent(t), []sent{{"Announce", model.InstanceName, bob.SharedInbox},
		{"Create", "acme", bob.SharedInbox}, {"Create", "acme", peer.SharedInbox}})
}

// discoverable stores a maillage peer on host whose organisation came
// through the relay.
func discoverable(t *testing.T, e *testEnv, host string) string {
	t.Helper()
	origin := "https://" + host
	e.update(t, func(tx *store.Tx) error {
		if err := tx.PutPeer(model.Peer{Host: host, Origin: origin, Software: "maillage", Maillage: true,
			InstanceActor: origin + "/actor", Read: t0}); err != nil {
			return err
		}
		if err := tx.PutActor(model.Actor{ID: origin + "/orgs/zed", Type: "Organization", Username: "zed", Host: host,
			Inbox: origin + "/orgs/zed/inbox", SharedInbox: origin + "/inbox", KeyID: origin + "/orgs/zed#main-key"}); err != nil {
			return err
		}
		return tx.PutRelayedActor(origin+"/orgs/zed", discoRelay)
	})
	return origin + "/actor"
}

// TestDiscover: a maillage server whose organisation came through a relay
// is read once (a backfill marked with the relay), not again within the
// period; not when its NodeInfo does not say maillage, when it is
// blocked, followed, or known through no relay, or when the relay's
// discovery is off (which also ends a reading in progress); at most
// DiscoverPerHour an hour.
func TestDiscover(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.joinRelay(t, discoRelay, "https://mrelay.example/actor")
	discover := func() []string {
		t.Helper()
		got, err := e.svc.Discover(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}

	inst := discoverable(t, e, "p.example")
	e.clearQueue(t)
	if got := discover(); !slices.Equal(got, []string{inst}) {
		t.Fatalf("Discover = %v, want %s", got, inst)
	}
	// It introduces itself to the newcomer (one organisation's Update, to
	// its shared inbox only), so that the newcomer hears of it in turn.
	checkSent(t, e.sent(t), []sent{{"Update", "acme", "https://p.example/inbox"}})
	b, err := e.svc.Backfill(ctx, inst)
	if err != nil || b.Relay != discoRelay {
		t.Fatalf("backfill %+v, %v: want one through the relay", b, err)
	}
	b.Pages = 1
	if _, keep, err := e.svc.SaveBackfill(ctx, b); !keep || err != nil {
		t.Fatalf("SaveBackfill of a discovery: %t, %v", keep, err)
	}
	if err := e.svc.EndBackfill(ctx, inst); err != nil {
		t.Fatal(err)
	}
	if got := discover(); len(got) != 0 {
		t.Errorf("read again at once: %v", got)
	}
	e.clock.Advance(DiscoverEvery + time.Minute)
	if got := discover(); !slices.Equal(got, []string{inst}) {
		t.Errorf("after the period: %v, want %s again", got, inst)
	}
	_ = e.svc.EndBackfill(ctx, inst)

	// Not a maillage server, not through a relay, blocked, followed.
	e.update(t, func(tx *store.Tx) error {
		if err := tx.PutPeer(model.Peer{Host: "m.example", Origin: "https://m.example", Software: "mastodon",
			InstanceActor: "https://m.example/actor"}); err != nil {
			return err
		}
		if err := tx.PutRelayedActor("https://m.example/users/x", discoRelay); err != nil {
			return err
		}
		return tx.PutPeer(model.Peer{Host: "n.example", Origin: "https://n.example", Maillage: true, InstanceActor: "https://n.example/actor"})
	})
	discoverable(t, e, "blocked.example")
	if _, err := e.svc.Block(ctx, asAdmin, "blocked.example"); err != nil {
		t.Fatal(err)
	}
	followed := discoverable(t, e, "f.example")
	e.addFollowing(t, model.InstanceName, model.Actor{ID: followed, Type: "Application", Username: "instance", Host: "f.example",
		Inbox: "https://f.example/actor/inbox"}, model.FollowAccepted)
	if got := discover(); len(got) != 0 {
		t.Errorf("Discover = %v, want none", got)
	}

	// The relay's discovery off: nothing is read, and a reading in
	// progress stops at its next save.
	e.clock.Advance(DiscoverEvery + time.Minute)
	if got := discover(); !slices.Equal(got, []string{inst}) {
		t.Fatalf("Discover = %v, want %s", got, inst)
	}
	off := false
	if _, err := e.svc.UpdateRelay(ctx, asAdmin, discoRelay, RelaySettings{Discovery: &off}); err != nil {
		t.Fatal(err)
	}
	b, _ = e.svc.Backfill(ctx, inst)
	if _, keep, err := e.svc.SaveBackfill(ctx, b); keep || err != nil {
		t.Errorf("SaveBackfill with discovery off: %t, %v; want dropped", keep, err)
	}
	if _, err := e.svc.Backfill(ctx, inst); !errors.Is(err, ErrNotFound) {
		t.Errorf("the reading is still kept: %v", err)
	}
	e.clock.Advance(DiscoverEvery + time.Minute)
	if got := discover(); len(got) != 0 {
		t.Errorf("Discover with discovery off = %v", got)
	}
	on := true
	if _, err := e.svc.UpdateRelay(ctx, asAdmin, discoRelay, RelaySettings{Discovery: &on}); err != nil {
		t.Fatal(err)
	}

	// A follow accepted while a discovery runs makes it the follow's.
	if got := discover(); !slices.Equal(got, []string{inst}) {
		t.Fatalf("Discover = %v, want %s", got, inst)
	}
	e.resolve.actors[peer.ID] = peer
	f, err := e.svc.Follow(ctx, asAdmin, "acme", peer.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ReceiveFollowAnswer(ctx, "https://p.example/accepts/1", "acme", peer.ID, f.FollowID, true); err != nil {
		t.Fatal(err)
	}
	if b, err := e.svc.Backfill(ctx, inst); err != nil || b.Relay != "" {
		t.Errorf("backfill after the follow: %+v, %v; want the follow's", b, err)
	}
	_ = e.svc.EndBackfill(ctx, inst)

	// At most DiscoverPerHour servers an hour.
	e.clock.Advance(DiscoverEvery + time.Minute)
	for i := range DiscoverPerHour + 2 {
		discoverable(t, e, fmt.Sprintf("h%d.example", i))
	}
	if got := discover(); len(got) != DiscoverPerHour {
		t.Errorf("Discover started %d, want %d", len(got), DiscoverPerHour)
	}
	if got := discover(); len(got) != 0 {
		t.Errorf("more in the same hour: %v", got)
	}
	e.clock.Advance(time.Hour)
	if got := discover(); len(got) != 3 || !slices.Contains(got, inst) {
		t.Errorf("the next hour: %v, want the 2 left and %s, due again", got, inst)
	}
}

// TestIntroduced: an introduction is taken under the first relay whose
// discovery is on, only from an organisation not held, not local, not
// blocked.
func TestIntroduced(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if _, ok := e.svc.Introduced(ctx, "https://x.example/orgs/a"); ok {
		t.Error("introduction taken without a relay")
	}
	e.joinRelay(t, discoRelay, "https://mrelay.example/actor")
	if r, ok := e.svc.Introduced(ctx, "https://x.example/orgs/a"); !ok || r.URL != discoRelay {
		t.Errorf("Introduced = %+v, %t; want the relay", r, ok)
	}
	if _, ok := e.svc.Introduced(ctx, peerOrg.ID); !ok {
		t.Error("an organisation not held refused")
	}
	e.update(t, func(tx *store.Tx) error { return tx.PutActor(peerOrg) })
	if _, ok := e.svc.Introduced(ctx, peerOrg.ID); ok {
		t.Error("an organisation held taken as an introduction")
	}
	if _, ok := e.svc.Introduced(ctx, e.u.Actor("acme")); ok {
		t.Error("a local organisation taken as an introduction")
	}
	if _, err := e.svc.Block(ctx, asAdmin, "x.example"); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.svc.Introduced(ctx, "https://x.example/orgs/a"); ok {
		t.Error("a blocked server's introduction taken")
	}
	off := false
	if _, err := e.svc.UpdateRelay(ctx, asAdmin, discoRelay, RelaySettings{Discovery: &off}); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.svc.Introduced(ctx, "https://y.example/orgs/a"); ok {
		t.Error("introduction taken with discovery off")
	}
}
