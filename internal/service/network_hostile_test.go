package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// TestNetworkPeersHostile: followers on many subdomains of one domain
// neither fill the list before the relays, the servers followed and those
// whose content is held, nor take more than peersPerDomain places; and
// servers known only by a follower's account, not running maillage, are
// not on the public page (finding 7, found in review).
func TestNetworkPeersHostile(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	author := remoteActor("author.example", "ann", true)
	err := e.st.Update(func(tx *store.Tx) error {
		for i := range 20 {
			a := fmt.Sprintf("https://s%d.evil.example/u", i)
			if err := tx.PutActor(model.Actor{ID: a, Type: "Person", Inbox: a + "/inbox"}); err != nil {
				return err
			}
			if err := tx.PutFollower("acme", model.Follower{Actor: a, Inbox: a + "/inbox"}); err != nil {
				return err
			}
		}
		if err := tx.PutFollower("acme", model.Follower{Actor: "https://coop.example/actor", Inbox: "https://coop.example/inbox"}); err != nil {
			return err
		}
		if err := tx.PutFollower("acme", model.Follower{Actor: "https://friend.example/u", Inbox: "https://friend.example/u/inbox"}); err != nil {
			return err
		}
		if err := tx.PutFollowing(model.InstanceName, model.Following{Target: "https://friend.example/actor", State: model.FollowAccepted}); err != nil {
			return err
		}
		if err := tx.PutActor(author); err != nil {
			return err
		}
		if err := tx.PutObject(remoteObject(author, 1, t0)); err != nil {
			return err
		}
		if err := tx.PutReply(model.Reply{ID: "https://replier.example/notes/1", InReplyTo: remoteObject(author, 1, t0).ID,
			Actor: "https://replier.example/u", Published: t0}); err != nil {
			return err
		}
		return tx.PutRelay(model.Relay{URL: "https://relay.example/inbox", Inbox: "https://relay.example/inbox", State: model.RelayAccepted})
	})
	if err != nil {
		t.Fatal(err)
	}
	const max = 10
	due, err := e.svc.SyncPeers(ctx, max, max, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	evil := 0
	var hosts []string
	for _, p := range due {
		hosts = append(hosts, p.Host)
		if strings.HasSuffix(p.Host, ".evil.example") {
			evil++
		}
	}
	for _, want := range []string{"friend.example", "relay.example", "author.example", "replier.example", "coop.example"} {
		if !slices.Contains(hosts, want) {
			t.Errorf("%s is not listed among %v", want, hosts)
		}
	}
	if evil != peersPerDomain {
		t.Errorf("%d servers of evil.example listed, want %d: %v", evil, peersPerDomain, hosts)
	}

	// Each describes itself as a maillage instance, but evil.example's
	// servers, which say they are another fediverse server.
	for _, p := range due {
		p.Maillage, p.Name, p.Orgs, p.Checked = !strings.HasSuffix(p.Host, ".evil.example"), "Instance "+p.Host, 1000, e.clock.Now()
		if err := e.svc.SavePeer(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	names := func(followers bool) (maillage, others []string) {
		m, o, err := e.svc.Peers(ctx, followers)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range m {
			maillage = append(maillage, p.Host)
		}
		for _, p := range o {
			others = append(others, p.Host)
		}
		return maillage, others
	}
	m, o := names(false)
	if !slices.Equal(m, []string{"author.example", "coop.example", "friend.example", "relay.example", "replier.example"}) {
		t.Errorf("public page lists %v, want the servers of an author and a replier, the one followed back, the relay and the maillage follower", m)
	}
	if len(o) != 0 {
		t.Errorf("public page lists %v, servers known only by a follower's account", o)
	}
	if _, o := names(true); len(o) != peersPerDomain {
		t.Errorf("an administrator's page lists %v, want the followers too, to follow them back", o)
	}
}
