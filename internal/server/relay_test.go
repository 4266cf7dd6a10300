package server_test

import (
	"net/http"
	"slices"
	"testing"

	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/testenv/testrelay"
	"codeberg.org/maillage/maillage/internal/wire"
)

// relayOf returns in's relay at url (fails the test when there is none).
func relayOf(t *testing.T, in *testenv.Instance, url string) wire.Relay {
	t.Helper()
	var rs wire.Relays
	if s := in.API("GET", "/api/v1/relays", nil, &rs); s != http.StatusOK {
		t.Fatalf("%s: GET relays: status %d", in.Host, s)
	}
	for _, r := range rs.Relays {
		if r.URL == url {
			return r
		}
	}
	t.Fatalf("%s: no relay %s in %+v", in.Host, url, rs.Relays)
	return wire.Relay{}
}

// joinRelay makes each instance join the relay at url and waits until
// the relay accepted them all.
func joinRelay(t *testing.T, url string, ins ...*testenv.Instance) {
	t.Helper()
	for _, in := range ins {
		var r wire.Relay
		if s := in.API("POST", "/api/v1/relays", wire.RelayInput{URL: url}, &r); s != http.StatusCreated {
			t.Fatalf("%s: add relay: status %d", in.Host, s)
		}
		if r.State != "pending" {
			t.Errorf("%s: new relay state %q, want pending", in.Host, r.State)
		}
	}
	for _, in := range ins {
		testenv.WaitFor(t, wait, in.Host+" relay accepted", func() bool { return relayOf(t, in, url).State == "accepted" })
	}
}

// setProfile gives org on in a profile, which makes it listed elsewhere.
func setProfile(t *testing.T, in *testenv.Instance, org string) {
	t.Helper()
	profile := map[string]any{"display_name": "Coop " + org, "sectors": []string{"mobility"}, "country": "FR"}
	if s := in.API("PUT", "/api/v1/orgs/"+org, profile, nil); s != http.StatusOK {
		t.Fatalf("profile of %s: status %d", org, s)
	}
}

// TestRelayMastodon: A and B join a relay with Mastodon's protocol (its
// inbox URL); a call A publishes reaches B through it, as the relay
// forwards it; after A leaves, the relay no longer has A, and A's next
// call is not sent to it.
func TestRelayMastodon(t *testing.T) {
	relay := testrelay.Start(t, "127.0.2.1")
	a := testenv.Start(t, "127.0.2.2", testenv.Options{})
	b := testenv.Start(t, "127.0.2.3", testenv.Options{})
	joinRelay(t, relay.Inbox, a, b)
	setProfile(t, a, "coop")

	ra := relayOf(t, a, relay.Inbox)
	if ra.Protocol != "mastodon" || ra.Actor != relay.Actor || ra.Inbox != relay.Inbox {
		t.Errorf("relay as A sees it: %+v, want protocol mastodon, actor %s", ra, relay.Actor)
	}
	subs := relay.Subscribers()
	if len(subs) != 2 || subs[0].Protocol != testrelay.Mastodon || subs[0].Actor != a.Actor("instance") {
		t.Fatalf("relay subscribers = %+v, want A's and B's instance actors, Mastodon protocol", subs)
	}

	call := publish(t, a, "coop", callInput())
	testenv.WaitFor(t, wait, "A's call in B's directory", func() bool { return slices.Contains(directoryIDs(t, b), call.ID) })
	if !slices.Contains(directoryIDs(t, b), a.Actor("coop")) {
		t.Errorf("B's directory lacks the call's organisation %s", a.Actor("coop"))
	}
	// The call, and A's organisation when its announcement on joining
	// the relay was fetched after its profile was set.
	if rb := relayOf(t, b, relay.Inbox); (rb.Stored != 1 && rb.Stored != 2) || rb.Received < 1 {
		t.Errorf("B's relay counters: %+v, want 1 or 2 stored", rb)
	}

	if s := a.API("DELETE", "/api/v1/relays", wire.RelayInput{URL: relay.Inbox}, nil); s != http.StatusNoContent {
		t.Fatalf("remove relay: status %d", s)
	}
	testenv.WaitFor(t, wait, "A unsubscribed from the relay", func() bool { return len(relay.Subscribers()) == 1 })
	var rs wire.Relays
	a.API("GET", "/api/v1/relays", nil, &rs)
	if len(rs.Relays) != 0 {
		t.Errorf("A still lists %+v", rs.Relays)
	}
	before := relay.Inbound.Load()
	publish(t, a, "coop", projectInput())
	waitDelivered(t, a, relay.Base[len("http://"):])
	if n := relay.Inbound.Load() - before; n != 0 {
		t.Errorf("after leaving, A sent the relay %d activities", n)
	}
}

// TestRelayLitePub: A and B follow the relay actor (LitePub); a call A
// publishes reaches B as the relay's Announce of its id, fetched from A;
// its edit and its deletion, forwarded by the relay, are applied as A
// serves them; an organisation announced is fetched and listed.
func TestRelayLitePub(t *testing.T) {
	relay := testrelay.Start(t, "127.0.2.11")
	a := testenv.Start(t, "127.0.2.12", testenv.Options{})
	b := testenv.Start(t, "127.0.2.13", testenv.Options{})
	joinRelay(t, relay.Actor, a, b)
	setProfile(t, a, "coop")

	if rb := relayOf(t, b, relay.Actor); rb.Protocol != "litepub" || rb.Inbox != relay.Actor+"/inbox" {
		t.Errorf("relay as B sees it: %+v, want protocol litepub, inbox %s/inbox", rb, relay.Actor)
	}
	subs := relay.Subscribers()
	if len(subs) != 2 || subs[1].Protocol != testrelay.LitePub {
		t.Fatalf("relay subscribers = %+v, want two, LitePub", subs)
	}

	call := publish(t, a, "coop", callInput())
	testenv.WaitFor(t, wait, "A's call in B's directory", func() bool { return slices.Contains(directoryIDs(t, b), call.ID) })
	// The call, and A's organisation when its announcement on joining
	// the relay was fetched after its profile was set.
	if rb := relayOf(t, b, relay.Actor); rb.Stored != 1 && rb.Stored != 2 {
		t.Errorf("B's relay counters: %+v, want 1 or 2 stored", rb)
	}

	// An edit travels the same way, as an Announce refetched.
	title := "EXAMPLE: edited through the relay"
	if s := a.API("PATCH", apiPath(a, call.ID), map[string]any{"title": title}, nil); s != http.StatusOK {
		t.Fatalf("edit: status %d", s)
	}
	testenv.WaitFor(t, wait, "the edit on B", func() bool {
		for _, o := range objectsOf(b, a.Actor("coop")) {
			if o.ID == call.ID && o.Title == title {
				return true
			}
		}
		return false
	})

	// A Delete, forwarded by the relay, is applied once A answers 410.
	if s := a.API("DELETE", apiPath(a, call.ID), nil, nil); s != http.StatusNoContent {
		t.Fatalf("delete: status %d", s)
	}
	testenv.WaitFor(t, wait, "the call gone from B's directory", func() bool { return !slices.Contains(directoryIDs(t, b), call.ID) })

	// An organisation the relay announces is fetched from its server.
	if s := a.API("POST", "/api/v1/orgs", map[string]any{"name": "second", "display_name": "Second"}, nil); s != http.StatusCreated {
		t.Fatalf("create org: status %d", s)
	}
	setProfile(t, a, "second")
	relay.Announce(a.Actor("second"))
	testenv.WaitFor(t, wait, "the announced organisation in B's directory", func() bool {
		return slices.Contains(directoryIDs(t, b), a.Actor("second"))
	})

	if s := b.API("DELETE", "/api/v1/relays", wire.RelayInput{URL: relay.Actor}, nil); s != http.StatusNoContent {
		t.Fatalf("remove relay: status %d", s)
	}
	testenv.WaitFor(t, wait, "B unsubscribed from the relay", func() bool { return len(relay.Subscribers()) == 1 })
}
