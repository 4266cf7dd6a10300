package service

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// relaySource is a PeerSource as the relays will be.
type relaySource []PeerRef

func (r relaySource) PeerOrigins(context.Context) ([]PeerRef, error) { return r, nil }

// TestSyncPeers: servers come from follows either way, PeerSources and
// stored actors, once each with every way they are known, follows first
// when the maximum drops some; local and blocked hosts are left out; a
// server no longer known is forgotten; only those not read for the period
// are due, and a failed read keeps what the last good one said.
func TestSyncPeers(t *testing.T) {
	src := relaySource{{Origin: "https://relayed.example", Via: model.PeerRelay}, {Origin: "https://b.example", Via: model.PeerRelay},
		{Origin: "https://local.example", Via: model.PeerRelay}, {Origin: "ftp://odd.example", Via: model.PeerRelay}}
	e := newTestEnv(t, func(_ *testEnv, d *Deps) { d.PeerSources = []PeerSource{src} })
	ctx := context.Background()
	err := e.st.Update(func(tx *store.Tx) error {
		for _, a := range []string{"https://a.example/actor", "https://b.example/users/x", "https://z.example/u", "https://blocked.example/u"} {
			if err := tx.PutActor(model.Actor{ID: a, Type: "Person", Inbox: a + "/inbox"}); err != nil {
				return err
			}
		}
		if err := tx.PutFollowing(model.InstanceName, model.Following{Target: "https://b.example/users/x", State: model.FollowAccepted}); err != nil {
			return err
		}
		if err := tx.PutFollower("acme", model.Follower{Actor: "https://a.example/actor", Inbox: "https://a.example/inbox"}); err != nil {
			return err
		}
		return tx.PutBlock(model.Block{Target: "blocked.example"})
	})
	if err != nil {
		t.Fatal(err)
	}
	due, err := e.svc.SyncPeers(ctx, 3, 10, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var hosts []string
	for _, p := range due {
		hosts = append(hosts, p.Host+" "+p.Origin+" "+strings.Join(p.Via, ","))
	}
	want := []string{"b.example https://b.example following,relay,received", "a.example https://a.example follower,received",
		"relayed.example https://relayed.example relay"}
	if !slices.Equal(hosts, want) {
		t.Errorf("due = %q\nwant %q (z.example beyond the maximum of 3)", hosts, want)
	}

	// Read b; fail a later: a keeps nothing it never had, b keeps its name.
	now := e.clock.Now()
	if err := e.svc.SavePeer(ctx, model.Peer{Host: "b.example", Software: "maillage", Maillage: true, Name: "B", Orgs: 3, Checked: now, Read: now}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SavePeer(ctx, model.Peer{Host: "a.example", Problem: "unreachable", Checked: now}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(30 * time.Minute)
	due, _ = e.svc.SyncPeers(ctx, 3, 10, time.Hour)
	if len(due) != 1 || due[0].Host != "relayed.example" {
		t.Errorf("due within the period = %+v, want relayed.example only", due)
	}
	if err := e.svc.SavePeer(ctx, model.Peer{Host: "b.example", Problem: "invalid", Checked: e.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	maillage, others, err := e.svc.Peers(ctx)
	if err != nil || len(maillage) != 1 || maillage[0].Name != "B" || maillage[0].Orgs != 3 || maillage[0].Problem != "invalid" ||
		!maillage[0].Followed && maillage[0].InstanceActor != "" || len(others) != 2 {
		t.Errorf("Peers = %+v, %+v, %v", maillage, others, err)
	}

	// Unfollowed and no longer relayed nor stored: b is forgotten.
	err = e.st.Update(func(tx *store.Tx) error {
		if err := tx.DeleteFollowing(model.InstanceName, "https://b.example/users/x"); err != nil {
			return err
		}
		return tx.DeleteActor("https://b.example/users/x")
	})
	if err != nil {
		t.Fatal(err)
	}
	src[1].Origin = "https://c.example"
	if _, err := e.svc.SyncPeers(ctx, 3, 10, time.Hour); err != nil {
		t.Fatal(err)
	}
	_ = e.st.View(func(tx *store.Tx) error {
		if _, err := tx.Peer("b.example"); err == nil {
			t.Error("b.example is still listed")
		}
		return nil
	})
}

// TestRelaysArePeers: the relays joined are servers of the network page,
// known as relays, without any PeerSource given.
func TestRelaysArePeers(t *testing.T) {
	e := newTestEnv(t)
	err := e.st.Update(func(tx *store.Tx) error {
		return tx.PutRelay(model.Relay{URL: "https://relay.example/inbox", Inbox: "https://relay.example/inbox", State: model.RelayAccepted})
	})
	if err != nil {
		t.Fatal(err)
	}
	due, err := e.svc.SyncPeers(context.Background(), 10, 10, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 1 || due[0].Host != "relay.example" || !slices.Equal(due[0].Via, []string{model.PeerRelay}) {
		t.Errorf("due = %+v, want relay.example known as a relay", due)
	}
}
