package server_test

import (
	"encoding/json"
	"testing"

	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/testenv/testrelay"
	"codeberg.org/maillage/maillage/internal/wire"
)

// TestRelayHostileLitePub is TestRelayHostile's checks through a LitePub
// relay (B follows the relay actor): an Update the relay forwards with a
// forged body is not believed, the object is fetched from its origin; an
// announced object whose author is on another origin, whose document
// names another id, or which is not public is refused; a valid one is
// stored.
func TestRelayHostileLitePub(t *testing.T) {
	relay := testrelay.Start(t, "127.0.2.51")
	a := testenv.Start(t, "127.0.2.52", testenv.Options{})
	b := testenv.Start(t, "127.0.2.53", testenv.Options{})
	e := startOrigin(t, "127.0.2.54")
	joinRelay(t, relay.Actor, b)
	if r := relayOf(t, b, relay.Actor); r.Protocol != "litepub" {
		t.Fatalf("relay joined as %q, want litepub", r.Protocol)
	}
	url := relay.Actor
	public := []any{"https://www.w3.org/ns/activitystreams#Public"}

	call := publish(t, a, "coop", callInput())
	forged, _ := json.Marshal(map[string]any{"id": call.ID + "#update", "type": "Update", "actor": a.Actor("coop"), "to": public,
		"object": map[string]any{"id": call.ID, "type": "Note", "kind": "call", "attributedTo": a.Actor("coop"),
			"title": "FORGED", "content": "forged", "to": public}})
	relay.Send(forged)
	waitRelay(t, b, url, "the forwarded Update's call stored", func(r wire.Relay) bool { return r.Stored == 1 })
	for _, o := range objectsOf(b, a.Actor("coop")) {
		if o.ID == call.ID && o.Title != call.Title {
			t.Errorf("B holds title %q, want A's %q (the forwarded body is not believed)", o.Title, call.Title)
		}
	}
	if !holds(b, a.Actor("coop"), call.ID) {
		t.Fatalf("B does not hold %s", call.ID)
	}

	announceRefused(t, relay, b, url, e, a.Actor("coop"), call.ID)
	e.put("/objects/ok", e.call("/objects/ok", ""))
	relay.Announce(e.base + "/objects/ok")
	waitRelay(t, b, url, "E's call stored", func(r wire.Relay) bool { return r.Stored == 2 })
	for _, id := range []string{e.base + "/objects/cross", e.base + "/objects/private"} {
		if holds(b, e.base+"/actor", id) || holds(b, a.Actor("coop"), id) {
			t.Errorf("B holds refused %s", id)
		}
	}
	if !holds(b, e.base+"/actor", e.base+"/objects/ok") {
		t.Errorf("B does not hold E's call")
	}
}
