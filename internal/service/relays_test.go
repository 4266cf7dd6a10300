package service

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// relayActorDoc is a LitePub relay's actor, as the resolver returns it.
var relayActorDoc = model.Actor{ID: "https://relay.example/actor", Type: "Application", Host: "relay.example",
	Inbox: "https://relay.example/actor/inbox", KeyID: "https://relay.example/actor#main-key"}

// joinRelay adds the relay at url and accepts it as actor.
func (e *testEnv) joinRelay(t *testing.T, url, actor string) model.Relay {
	t.Helper()
	ctx := context.Background()
	r, err := e.svc.AddRelay(ctx, asAdmin, url)
	if err != nil {
		t.Fatalf("AddRelay: %v", err)
	}
	if ok, err := e.svc.ReceiveRelayAnswer(ctx, actor+"/accepts/1", actor, r.FollowID, true); !ok || err != nil {
		t.Fatalf("accept relay: %t, %v", ok, err)
	}
	return r
}

// TestAddRelayProtocols: a URL serving an actor is a LitePub relay, any
// other a Mastodon relay's inbox; each gets the Follow of its protocol,
// from the instance actor, and leaving sends the Undo of that Follow.
func TestAddRelayProtocols(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.resolve.actors = map[string]model.Actor{relayActorDoc.ID: relayActorDoc}

	m, err := e.svc.AddRelay(ctx, asAdmin, " https://mrelay.example/inbox ")
	if err != nil || m.Protocol != model.RelayMastodon || m.Inbox != "https://mrelay.example/inbox" || m.State != model.RelayPending {
		t.Fatalf("AddRelay (inbox) = %+v, %v", m, err)
	}
	f := e.activity(t, m.FollowID)
	if f.Type != "Follow" || f.Actor != model.InstanceName || f.ObjectID != PublicIRI || len(f.To) != 0 {
		t.Errorf("Mastodon relay Follow = %+v, want the instance actor following Public, no to (app/models/relay.rb)", f)
	}
	l, err := e.svc.AddRelay(ctx, asAdmin, relayActorDoc.ID)
	if err != nil || l.Protocol != model.RelayLitePub || l.Inbox != relayActorDoc.Inbox || l.Actor != relayActorDoc.ID {
		t.Fatalf("AddRelay (actor) = %+v, %v", l, err)
	}
	if f := e.activity(t, l.FollowID); f.ObjectID != relayActorDoc.ID || !slices.Equal(f.To, []string{relayActorDoc.ID}) {
		t.Errorf("LitePub relay Follow = %+v, want the relay actor followed", f)
	}
	want := []sent{{"Follow", model.InstanceName, relayActorDoc.Inbox}, {"Follow", model.InstanceName, "https://mrelay.example/inbox"}}
	sortSent(want)
	if got := e.sent(t); !slices.Equal(got, want) {
		t.Errorf("queued %+v, want %+v", got, want)
	}
	// Joining again sends nothing.
	e.clearQueue(t)
	if _, err := e.svc.AddRelay(ctx, asAdmin, relayActorDoc.ID); err != nil || len(e.queue(t)) != 0 {
		t.Errorf("second AddRelay: %v, queued %d", err, len(e.queue(t)))
	}

	if err := e.svc.RemoveRelay(ctx, asAdmin, m.URL); err != nil {
		t.Fatal(err)
	}
	q := e.queue(t)
	if len(q) != 1 || q[0].Inbox != m.Inbox {
		t.Fatalf("queued after leaving %+v", q)
	}
	undo := e.activity(t, q[0].ActivityID)
	if undo.Type != "Undo" || undo.Follow == nil || undo.Follow.ID != m.FollowID || undo.Follow.Object != PublicIRI {
		t.Errorf("Undo = %+v, want the Follow of Public embedded", undo)
	}
	if err := e.svc.RemoveRelay(ctx, asAdmin, m.URL); !errors.Is(err, ErrNotFound) {
		t.Errorf("leaving twice: %v, want ErrNotFound", err)
	}

	e.resolve.actors[bob.ID] = bob
	for _, bad := range []string{"", "relay.example/inbox", "ftp://relay.example/inbox", "https://u:p@relay.example/inbox",
		"https://relay.example", "https://relay.example/", e.u.SharedInbox(), bob.ID} {
		var ve *model.ValidationError
		if _, err := e.svc.AddRelay(ctx, asAdmin, bad); !errors.As(err, &ve) {
			t.Errorf("AddRelay(%q) = %v, want a validation error", bad, err)
		}
	}
	if _, err := e.svc.AddRelay(ctx, TokenPrincipal(), "https://x.example/inbox"); err != nil {
		t.Errorf("the token's holder may add a relay: %v", err)
	}
	if _, err := e.svc.AddRelay(ctx, Principal{}, "https://y.example/inbox"); !errors.Is(err, ErrForbidden) {
		t.Errorf("anonymous AddRelay: %v, want ErrForbidden", err)
	}
}

// TestRelayAnswer: only the relay's server answers its Follow (and, for
// LitePub, its actor); an answer to another Follow is not a relay's.
func TestRelayAnswer(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	r, err := e.svc.AddRelay(ctx, asAdmin, "https://mrelay.example/inbox")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := e.svc.ReceiveRelayAnswer(ctx, "https://evil.example/a/1", "https://evil.example/actor", r.FollowID, true); !ok || !errors.Is(err, ErrForbidden) {
		t.Errorf("Accept from another server: %t, %v, want a relay's answer refused", ok, err)
	}
	if ok, err := e.svc.ReceiveRelayAnswer(ctx, "https://mrelay.example/a/2", "https://mrelay.example/actor", e.u.Activity("other"), true); ok || err != nil {
		t.Errorf("Accept of another Follow: %t, %v, want not a relay's", ok, err)
	}
	if ok, err := e.svc.ReceiveRelayAnswer(ctx, "https://mrelay.example/a/3", "https://mrelay.example/actor", r.FollowID, false); !ok || err != nil {
		t.Fatalf("Reject: %t, %v", ok, err)
	}
	rs, _ := e.svc.Relays(ctx, asAdmin)
	if rs[0].State != model.RelayRejected || rs[0].Actor != "https://mrelay.example/actor" {
		t.Errorf("after the Reject: %+v", rs[0])
	}
}

// TestPublishToRelays: a project's Create, Update and Delete go once to
// each accepted relay, never to a pending one; the instance actor's
// boost, replies and follows do not go to relays.
func TestPublishToRelays(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.resolve.actors = map[string]model.Actor{relayActorDoc.ID: relayActorDoc}
	e.joinRelay(t, "https://mrelay.example/inbox", "https://mrelay.example/actor")
	e.joinRelay(t, relayActorDoc.ID, relayActorDoc.ID)
	if _, err := e.svc.AddRelay(ctx, asAdmin, "https://pending.example/inbox"); err != nil {
		t.Fatal(err)
	}
	e.addFollower(t, model.InstanceName, peer, false) // an instance following ours: gets the boost
	e.clearQueue(t)

	o := e.publish(t, "acme", projectInput())
	want := []sent{{"Announce", model.InstanceName, peer.SharedInbox},
		{"Create", "acme", relayActorDoc.Inbox}, {"Create", "acme", "https://mrelay.example/inbox"}, {"Create", "acme", peer.SharedInbox}}
	sortSent(want)
	if got := e.sent(t); !slices.Equal(got, want) {
		t.Errorf("publish queued\n%+v, want\n%+v", got, want)
	}
	e.clearQueue(t)
	if err := e.svc.Delete(ctx, asAdmin, "acme", o.ID); err != nil {
		t.Fatal(err)
	}
	if got := e.sent(t); len(got) != 3 {
		t.Errorf("delete queued %+v, want the followers' and the two relays' Deletes", got)
	}

	// Blocking a relay's server stops deliveries to it.
	e.clearQueue(t)
	if _, err := e.svc.Block(ctx, asAdmin, "mrelay.example"); err != nil {
		t.Fatal(err)
	}
	e.publish(t, "acme", callInput())
	for _, s := range e.sent(t) {
		if s.Inbox == "https://mrelay.example/inbox" {
			t.Errorf("delivery to a blocked relay: %+v", s)
		}
	}
}

// TestReceiveFromRelay: the checks and counters of what a relay sends, once
// federation fetched it from its origin.
func TestReceiveFromRelay(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	r := e.joinRelay(t, "https://mrelay.example/inbox", "https://mrelay.example/actor")
	author := peerOrg
	o := remoteObject(author, 1, t0)

	if _, out, _ := e.svc.AdmitRelayed(ctx, "https://other.example/actor"); out == RelayStored {
		t.Error("an actor that is no relay of ours was admitted")
	}
	if _, out, err := e.svc.AdmitRelayed(ctx, "https://mrelay.example/actor"); out != RelayStored || err != nil {
		t.Fatalf("AdmitRelayed = %s, %v", out, err)
	}
	for _, tc := range []struct {
		name string
		o    func() model.Object
		a    model.Actor
	}{
		{"author on another server", func() model.Object { x := o; x.AttributedTo = bob.ID; return x }, bob},
		{"not public", func() model.Object { x := o; x.Audience = model.AudienceUnlisted; return x }, author},
		{"a plain Note", func() model.Object { x := o; x.Kind = model.KindNote; return x }, author},
		{"invalid", func() model.Object { x := o; x.Sectors = nil; return x }, author},
		{"another author", func() model.Object { return o }, model.Actor{ID: "https://p.example/orgs/other", Type: "Organization"}},
	} {
		if out, err := e.svc.ReceiveRelayedObject(ctx, r.URL, tc.a, tc.o()); out != RelayRefused || err != nil {
			t.Errorf("%s: %s, %v, want refused", tc.name, out, err)
		}
	}
	if out, err := e.svc.ReceiveRelayedObject(ctx, r.URL, author, o); out != RelayStored || err != nil {
		t.Fatalf("valid object: %s, %v", out, err)
	}
	if !e.hasObject(t, o.ID) {
		t.Fatal("the object is not stored")
	}
	if out, _ := e.svc.ReceiveRelayedObject(ctx, r.URL, author, o); out != RelayUnchanged {
		t.Errorf("the same object again: %s, want unchanged", out)
	}
	newer := o
	newer.Title, newer.Updated = "Edited", t0.Add(time.Hour)
	if out, _ := e.svc.ReceiveRelayedObject(ctx, r.URL, author, newer); out != RelayStored || e.object(t, o.ID).Title != "Edited" {
		t.Errorf("a newer version: %s, title %q", out, e.object(t, o.ID).Title)
	}
	// A local object's id is never taken.
	local := e.publish(t, "acme", projectInput())
	stolen := o
	stolen.ID = local.ID
	if out, _ := e.svc.ReceiveRelayedObject(ctx, r.URL, author, stolen); out != RelayRefused {
		t.Errorf("a relayed object with a local id: %s, want refused", out)
	}

	// The total, then the switch.
	total := 1
	if _, err := e.svc.UpdateRelay(ctx, asAdmin, r.URL, RelaySettings{MaxStored: &total}); err != nil {
		t.Fatal(err)
	}
	if out, _ := e.svc.ReceiveRelayedObject(ctx, r.URL, author, remoteObject(author, 2, t0)); out != RelayLimited {
		t.Errorf("past the total: %s, want limited", out)
	}
	paused := true
	if _, err := e.svc.UpdateRelay(ctx, asAdmin, r.URL, RelaySettings{Paused: &paused}); err != nil {
		t.Fatal(err)
	}
	if _, out, _ := e.svc.AdmitRelayed(ctx, "https://mrelay.example/actor"); out != RelayLimited {
		t.Errorf("paused: admitted %s, want limited", out)
	}
	rs, _ := e.svc.Relays(ctx, asAdmin)
	got := rs[0]
	if got.Stored != 1 || got.Refused != 6 || got.Limited != 2 || got.Received != 11 {
		t.Errorf("counters %+v, want stored 1, refused 6, limited 2, received 11", got)
	}
	for _, bad := range []RelaySettings{{Rate: new(int)}, {MaxStored: new(int)}} {
		var ve *model.ValidationError
		if _, err := e.svc.UpdateRelay(ctx, asAdmin, r.URL, bad); !errors.As(err, &ve) {
			t.Errorf("UpdateRelay(%+v) = %v, want a validation error", bad, err)
		}
	}
}

// TestRelayedOrgKept: an organisation stored through a relay stays while
// nothing else refers to it (the daily pruning keeps it).
func TestRelayedOrgKept(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	r := e.joinRelay(t, "https://mrelay.example/inbox", "https://mrelay.example/actor")
	org := peerOrg
	org.Profile = &model.Profile{DisplayName: "Zed"}
	if out, err := e.svc.ReceiveRelayedOrg(ctx, r.URL, org); out != RelayStored || err != nil {
		t.Fatalf("ReceiveRelayedOrg = %s, %v", out, err)
	}
	if out, _ := e.svc.ReceiveRelayedOrg(ctx, r.URL, bob); out != RelayRefused {
		t.Errorf("a Person: %s, want refused", out)
	}
	if _, err := e.svc.PruneActors(ctx); err != nil {
		t.Fatal(err)
	}
	e.view(t, func(tx *store.Tx) error {
		_, err := tx.Actor(org.ID)
		return err
	})
}

// TestRelayRate: at most Rate objects a minute are admitted.
func TestRelayRate(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	r := e.joinRelay(t, "https://mrelay.example/inbox", "https://mrelay.example/actor")
	rate := 2
	if _, err := e.svc.UpdateRelay(ctx, asAdmin, r.URL, RelaySettings{Rate: &rate}); err != nil {
		t.Fatal(err)
	}
	var outs []RelayOutcome
	admit := func() {
		_, out, err := e.svc.AdmitRelayed(ctx, "https://mrelay.example/actor")
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, out)
	}
	admit()
	admit()
	admit()
	e.clock.Advance(time.Minute)
	admit()
	want := []RelayOutcome{RelayStored, RelayStored, RelayLimited, RelayStored}
	if !slices.Equal(outs, want) {
		t.Errorf("admitted %v, want %v", outs, want)
	}
}
