package cli_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/testenv/testrelay"
	"codeberg.org/maillage/maillage/internal/wire"
)

// TestCLIRelays joins a relay of each protocol, lists them, pauses and
// sets one, and leaves both.
func TestCLIRelays(t *testing.T) {
	relay := testrelay.Start(t, "127.0.2.31")
	a := testenv.Start(t, "127.0.2.32", testenv.Options{})

	if out := mustRun(t, a, "relays"); !strings.Contains(out, "No relays") {
		t.Errorf("relays with none = %q", out)
	}
	var r wire.Relay
	if err := json.Unmarshal([]byte(mustRun(t, a, "relay", "add", relay.Inbox)), &r); err != nil || r.Protocol != "mastodon" || r.State != "pending" {
		t.Fatalf("relay add (inbox) printed %+v, %v", r, err)
	}
	if err := json.Unmarshal([]byte(mustRun(t, a, "relay", "add", relay.Actor)), &r); err != nil || r.Protocol != "litepub" {
		t.Fatalf("relay add (actor) printed %+v, %v", r, err)
	}
	testenv.WaitFor(t, 20*time.Second, "both relays accepted", func() bool {
		return strings.Count(mustRun(t, a, "relays"), "accepted") == 2
	})
	mustRun(t, a, "relay", "pause", relay.Inbox)
	mustRun(t, a, "relay", "set", "-rate", "5", "-max-stored", "50", "-discovery", "off", relay.Actor)
	out := mustRun(t, a, "relays")
	for _, want := range []string{relay.Inbox, "mastodon", "accepted, paused", relay.Actor, "litepub", "0/50", "accepted, no discovery"} {
		if !strings.Contains(out, want) {
			t.Errorf("relays output lacks %q:\n%s", want, out)
		}
	}
	var rs wire.Relays
	if err := json.Unmarshal([]byte(mustRun(t, a, "relays", "-json")), &rs); err != nil || len(rs.Relays) != 2 || rs.Relays[0].Rate != 5 {
		t.Errorf("relays -json = %+v, %v", rs, err)
	}
	if rs.Relays[0].Discovery || !rs.Relays[1].Discovery { // sorted by URL: the actor first
		t.Errorf("relays -json: discovery %t and %t, want off for the actor, on for the inbox", rs.Relays[0].Discovery, rs.Relays[1].Discovery)
	}
	if _, err := run(t, a, "relay", "set", relay.Actor); err == nil {
		t.Error("relay set without a setting succeeded")
	}
	if _, err := run(t, a, "relay", "add", "ftp://relay.example/inbox"); err == nil || !strings.Contains(err.Error(), "422") {
		t.Errorf("relay add of a non-http URL: err = %v, want a 422", err)
	}
	mustRun(t, a, "relay", "remove", relay.Inbox)
	mustRun(t, a, "relay", "remove", relay.Actor)
	if out := mustRun(t, a, "relays"); !strings.Contains(out, "No relays") {
		t.Errorf("relays after leaving = %q", out)
	}
	testenv.WaitFor(t, 20*time.Second, "the relay to drop A", func() bool { return len(relay.Subscribers()) == 0 })
}
