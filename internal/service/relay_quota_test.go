package service

import (
	"context"
	"fmt"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// orgOn is a maillage organisation actor on host.
func orgOn(host, name string) model.Actor {
	id := "https://" + host + "/orgs/" + name
	return model.Actor{ID: id, Type: "Organization", Username: name, Host: host, Inbox: id + "/inbox",
		KeyID: id + "#main-key", Profile: &model.Profile{DisplayName: name}}
}

// storedRelay reads the relay at url as written in the store, without
// the counts kept in memory.
func (e *testEnv) storedRelay(t *testing.T, url string) model.Relay {
	t.Helper()
	var r model.Relay
	e.view(t, func(tx *store.Tx) error {
		var err error
		r, err = tx.Relay(url)
		return err
	})
	return r
}

// TestRelayOriginQuotas: one subscriber of a relay (an origin, with all its
// subdomains) takes a quarter of the relay's rate and a tenth of its total
// at most, so the relay stays open to the others (finding 4, found in
// review).
func TestRelayOriginQuotas(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	const relayActor = "https://mrelay.example/actor"
	r := e.joinRelay(t, "https://mrelay.example/inbox", relayActor)
	rate, total := 8, 20
	if _, err := e.svc.UpdateRelay(ctx, asAdmin, r.URL, RelaySettings{Rate: &rate, MaxStored: &total}); err != nil {
		t.Fatal(err)
	}

	// The rate: two a minute from evil.example, its subdomains included.
	admitted := 0
	for i := range rate {
		host := fmt.Sprintf("s%d.evil.example", i)
		if _, out, _ := e.svc.AdmitRelayed(ctx, relayActor, "https://"+host+"/projects/1"); out == RelayStored {
			admitted++
		}
	}
	if admitted != 2 {
		t.Errorf("evil.example had %d of a rate of %d admitted in a minute, want 2", admitted, rate)
	}
	if _, out, _ := e.svc.AdmitRelayed(ctx, relayActor, "https://good.example/projects/1"); out != RelayStored {
		t.Errorf("another origin after evil.example's share: %s, want admitted", out)
	}

	// The total: two objects or organisations held from evil.example.
	var outs []RelayOutcome
	for i := range 3 {
		author := orgOn(fmt.Sprintf("s%d.evil.example", i), "o")
		out, err := e.svc.ReceiveRelayedObject(ctx, r.URL, author, remoteObject(author, 1, t0))
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, out)
	}
	if out, _ := e.svc.ReceiveRelayedOrg(ctx, r.URL, orgOn("s9.evil.example", "o")); out != RelayLimited {
		t.Errorf("an organisation past evil.example's share: %s, want limited", out)
	}
	if fmt.Sprint(outs) != "[stored stored limited]" {
		t.Errorf("evil.example's objects: %v, want two stored then limited", outs)
	}
	good := orgOn("good.example", "g")
	obj := remoteObject(good, 1, t0)
	if out, _ := e.svc.ReceiveRelayedObject(ctx, r.URL, good, obj); out != RelayStored {
		t.Errorf("another origin's object: %s, want stored", out)
	}
	if out, _ := e.svc.ReceiveRelayedOrg(ctx, r.URL, good); out != RelayUnchanged && out != RelayStored {
		t.Errorf("another origin's organisation: %s", out)
	}
	other := orgOn("other.example", "x")
	if out, _ := e.svc.ReceiveRelayedOrg(ctx, r.URL, other); out != RelayStored {
		t.Errorf("a third origin's organisation: %s, want stored", out)
	}
	if got := e.storedRelay(t, r.URL).Stored; got != 4 {
		t.Fatalf("stored %d, want 4", got)
	}

	// Stored is what is held: a relayed object its origin says is gone,
	// one its author deletes, an organisation that deletes itself.
	if err := e.svc.ReceiveRelayedGone(ctx, r.URL, obj.ID); err != nil {
		t.Fatal(err)
	}
	evil := orgOn("s0.evil.example", "o")
	if err := e.svc.ReceiveDelete(ctx, evil.ID+"/deletes/1", evil.ID, remoteObject(evil, 1, t0).ID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ReceiveActorDelete(ctx, other.ID+"/deletes/1", other.ID); err != nil {
		t.Fatal(err)
	}
	if got := e.storedRelay(t, r.URL).Stored; got != 1 {
		t.Errorf("stored %d after three deletions, want 1", got)
	}
	e.view(t, func(tx *store.Tx) error {
		if tx.IsRelayedActor(other.ID) {
			t.Error("an organisation that deleted itself is still kept for its relay")
		}
		return nil
	})
	// evil.example's share is free again.
	author := orgOn("s5.evil.example", "o")
	if out, _ := e.svc.ReceiveRelayedObject(ctx, r.URL, author, remoteObject(author, 1, t0)); out != RelayStored {
		t.Errorf("evil.example after one of its objects was deleted: %s, want stored", out)
	}

	// Left and joined again, the relay still counts what it brought.
	if err := e.svc.RemoveRelay(ctx, asAdmin, r.URL); err != nil {
		t.Fatal(err)
	}
	if again, err := e.svc.AddRelay(ctx, asAdmin, r.URL); err != nil || again.Stored != 2 {
		t.Errorf("joined again with stored %d (%v), want 2", again.Stored, err)
	}
}

// TestRelayDropsCountedInMemory: what a relay sends that is not stored is
// counted in memory and written once a minute, not one write an object
// (finding 4, found in review).
func TestRelayDropsCountedInMemory(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	r := e.joinRelay(t, "https://mrelay.example/inbox", "https://mrelay.example/actor")
	for range 100 {
		if err := e.svc.CountRelayed(ctx, r.URL, RelayDropped); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.svc.CountRelayed(ctx, r.URL, RelayLimited); err != nil {
		t.Fatal(err)
	}
	if got := e.storedRelay(t, r.URL); got.Dropped != 0 || got.Received != 0 {
		t.Errorf("written at once: %+v", got)
	}
	rs, err := e.svc.Relays(ctx, asAdmin)
	if err != nil || len(rs) != 1 || rs[0].Dropped != 100 || rs[0].Limited != 1 || rs[0].Received != 101 {
		t.Errorf("listed %+v, %v; want 100 dropped, 1 limited, 101 received", rs, err)
	}
	if err := e.svc.FlushRelayCounts(ctx); err != nil {
		t.Fatal(err)
	}
	if got := e.storedRelay(t, r.URL); got.Dropped != 100 || got.Limited != 1 || got.Received != 101 {
		t.Errorf("after the flush: %+v", got)
	}
	if err := e.svc.FlushRelayCounts(ctx); err != nil {
		t.Fatal(err)
	}
	if got := e.storedRelay(t, r.URL); got.Received != 101 {
		t.Errorf("a second flush counted again: %+v", got)
	}
}

// BenchmarkCountRelayed: what a relay's plain post (or a full queue)
// costs before its rate applies.
func BenchmarkCountRelayed(b *testing.B) {
	e := newBenchEnv(b)
	defer e.st.Close()
	ctx := context.Background()
	const url = "https://mrelay.example/inbox"
	if err := e.st.Update(func(tx *store.Tx) error {
		return tx.PutRelay(model.Relay{URL: url, Inbox: url, State: model.RelayAccepted, Rate: 60, MaxStored: 10_000})
	}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := e.svc.CountRelayed(ctx, url, RelayDropped); err != nil {
			b.Fatal(err)
		}
	}
}
