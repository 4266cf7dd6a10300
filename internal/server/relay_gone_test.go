package server_test

import (
	"encoding/json"
	"testing"

	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/testenv/testrelay"
	"codeberg.org/maillage/maillage/internal/wire"
)

func (o *origin) remove(path string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.docs, path)
}

// TestRelayedDeleteNeeds410: a Delete a relay forwards removes an object
// only when its origin answers 410 Gone; a 404 (a server being moved or
// misconfigured, or answering so on purpose for a while) removes nothing
// (found in review).
func TestRelayedDeleteNeeds410(t *testing.T) {
	relay := testrelay.Start(t, "127.0.4.1")
	b := testenv.Start(t, "127.0.4.2", testenv.Options{})
	e := startOrigin(t, "127.0.4.3")
	joinRelay(t, relay.Inbox, b)
	public := []any{"https://www.w3.org/ns/activitystreams#Public"}

	call := e.call("/calls/1", "")
	e.put("/calls/1", call)
	id := e.base + "/calls/1"
	create, _ := json.Marshal(map[string]any{"id": id + "#create", "type": "Create", "actor": e.base + "/actor", "to": public, "object": call})
	relay.Send(create)
	waitRelay(t, b, relay.Inbox, "the relayed call stored", func(r wire.Relay) bool { return r.Stored == 1 })
	if !holds(b, e.base+"/actor", id) {
		t.Fatalf("B does not hold %s", id)
	}

	e.remove("/calls/1") // 404 from now on
	del, _ := json.Marshal(map[string]any{"id": id + "#delete", "type": "Delete", "actor": e.base + "/actor",
		"to": public, "object": map[string]any{"id": id, "type": "Tombstone"}})
	relay.Send(del)
	waitRelay(t, b, relay.Inbox, "the relayed Delete handled", func(r wire.Relay) bool { return r.Received == 2 })
	if !holds(b, e.base+"/actor", id) {
		t.Errorf("a relayed Delete removed a call its origin answers 404 for")
	}
}
