package server_test

import (
	"encoding/json"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/testenv/testrelay"
	"codeberg.org/maillage/maillage/internal/wire"
)

// origin is a server that serves fixed ActivityStreams documents: an
// actor and whatever objects a test puts there. It counts the GETs of
// each path.
type origin struct {
	base string

	mu   sync.Mutex // guards docs and gets
	docs map[string]any
	gets map[string]int
}

func startOrigin(t *testing.T, ip string) *origin {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatal(err)
	}
	o := &origin{base: "http://" + ln.Addr().String(), docs: map[string]any{}, gets: map[string]int{}}
	key, err := httpsign.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	pem, _ := httpsign.EncodePublicKey(&key.PublicKey)
	actor := o.base + "/actor"
	o.put("/actor", map[string]any{"id": actor, "type": "Person", "preferredUsername": "someone", "inbox": actor + "/inbox",
		"followers": actor + "/followers", "publicKey": map[string]any{"id": actor + "#main-key", "owner": actor, "publicKeyPem": pem}})
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.mu.Lock()
		doc, ok := o.docs[r.URL.Path]
		o.gets[r.URL.Path]++
		o.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/activity+json")
		_ = json.NewEncoder(w).Encode(doc)
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return o
}

func (o *origin) put(path string, doc map[string]any) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.docs[path] = doc
}

func (o *origin) getsOf(path string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.gets[path]
}

// call is a public call for partnership at path, by the origin's actor
// unless attributedTo says otherwise.
func (o *origin) call(path, attributedTo string) map[string]any {
	if attributedTo == "" {
		attributedTo = o.base + "/actor"
	}
	return map[string]any{"id": o.base + path, "type": "Note", "kind": "call", "attributedTo": attributedTo,
		"title": "EXAMPLE: a call at " + path, "content": "<p>A call.</p>", "published": "2026-01-02T03:04:05Z",
		"status": "open", "sector": []any{"mobility"}, "to": []any{"https://www.w3.org/ns/activitystreams#Public"}}
}

// announceRefused has the relay announce three objects of e that b must
// refuse, counted one by one in its relay at url: an author on another
// origin than the object (other, an actor elsewhere), a document whose id
// is not the URL announced (but held, an id b knows), a call not
// addressed to the Public collection.
func announceRefused(t *testing.T, relay *testrelay.Relay, b *testenv.Instance, url string, e *origin, other, held string) {
	t.Helper()
	e.put("/objects/cross", e.call("/objects/cross", other))
	mismatched := e.call("/objects/other", "")
	mismatched["id"] = held
	e.put("/objects/other", mismatched)
	private := e.call("/objects/private", "")
	private["to"] = []any{e.base + "/actor/followers"}
	e.put("/objects/private", private)
	for i, path := range []string{"/objects/cross", "/objects/other", "/objects/private"} {
		relay.Announce(e.base + path)
		waitRelay(t, b, url, path+" refused", func(r wire.Relay) bool { return r.Refused == int64(i+1) })
	}
}

// waitRelay waits until cond holds of in's relay at url.
func waitRelay(t *testing.T, in *testenv.Instance, url, what string, cond func(wire.Relay) bool) wire.Relay {
	t.Helper()
	var r wire.Relay
	testenv.WaitFor(t, wait, what, func() bool { r = relayOf(t, in, url); return cond(r) })
	return r
}

// TestRelayHostile: what a relay sends is believed only as far as its
// origin confirms it. B alone joins a Mastodon-protocol relay; A and a
// bare server E are origins nobody here follows.
func TestRelayHostile(t *testing.T) {
	relay := testrelay.Start(t, "127.0.2.21")
	a := testenv.Start(t, "127.0.2.22", testenv.Options{})
	clock := testenv.NewClock(time.Now())
	b := testenv.Start(t, "127.0.2.23", testenv.Options{Now: clock.Now})
	e := startOrigin(t, "127.0.2.24")
	joinRelay(t, relay.Inbox, b)
	url := relay.Inbox
	public := []any{"https://www.w3.org/ns/activitystreams#Public"}

	// A forwarded Create is not believed: the call is fetched from A.
	call := publish(t, a, "coop", callInput())
	forged, _ := json.Marshal(map[string]any{"id": call.ID + "#create", "type": "Create", "actor": a.Actor("coop"), "to": public,
		"object": map[string]any{"id": call.ID, "type": "Note", "kind": "call", "attributedTo": a.Actor("coop"),
			"title": "FORGED", "content": "forged", "to": public}})
	relay.Send(forged)
	waitRelay(t, b, url, "the forwarded call stored", func(r wire.Relay) bool { return r.Stored == 1 })
	if !holds(b, a.Actor("coop"), call.ID) {
		t.Fatalf("B does not hold %s", call.ID)
	}
	for _, o := range objectsOf(b, a.Actor("coop")) {
		if o.Title != call.Title {
			t.Errorf("B holds title %q, want A's %q (the forwarded body is not believed)", o.Title, call.Title)
		}
	}

	// A Delete forwarded for an object its origin still serves changes
	// nothing.
	forgedDelete, _ := json.Marshal(map[string]any{"id": call.ID + "#delete", "type": "Delete", "actor": a.Actor("coop"),
		"to": public, "object": map[string]any{"id": call.ID, "type": "Tombstone"}})
	relay.Send(forgedDelete)
	waitRelay(t, b, url, "the forwarded Delete handled", func(r wire.Relay) bool { return r.Received == 2 })
	if !holds(b, a.Actor("coop"), call.ID) {
		t.Errorf("a relay's Delete of a call A still serves removed it")
	}

	// A Note forwarded is dropped from what its body says, unfetched.
	note, _ := json.Marshal(map[string]any{"id": e.base + "/notes/1/activity", "type": "Create", "actor": e.base + "/actor",
		"to": public, "object": map[string]any{"id": e.base + "/notes/1", "type": "Note", "attributedTo": e.base + "/actor",
			"content": "<p>hello</p>", "to": public}})
	relay.Send(note)
	waitRelay(t, b, url, "the forwarded Note dropped", func(r wire.Relay) bool { return r.Dropped == 1 })
	if e.getsOf("/notes/1") != 0 {
		t.Errorf("the forwarded Note was fetched")
	}

	// An announced Note is fetched, then dropped and counted.
	e.put("/notes/2", map[string]any{"id": e.base + "/notes/2", "type": "Note", "attributedTo": e.base + "/actor",
		"content": "<p>hello</p>", "to": public})
	relay.Announce(e.base + "/notes/2")
	waitRelay(t, b, url, "the announced Note dropped", func(r wire.Relay) bool { return r.Dropped == 2 })

	announceRefused(t, relay, b, url, e, a.Actor("coop"), call.ID)

	// A valid call from E is stored: the refusals were for their reason.
	e.put("/objects/ok", e.call("/objects/ok", ""))
	relay.Announce(e.base + "/objects/ok")
	waitRelay(t, b, url, "E's call stored", func(r wire.Relay) bool { return r.Stored == 2 })
	if !holds(b, e.base+"/actor", e.base+"/objects/ok") {
		t.Errorf("B does not hold E's call")
	}
	for _, id := range []string{e.base + "/objects/cross", e.base + "/objects/other", call.ID + "x", e.base + "/objects/private"} {
		if holds(b, e.base+"/actor", id) || holds(b, a.Actor("coop"), id) {
			t.Errorf("B holds refused %s", id)
		}
	}

	// The switch: paused, nothing is fetched.
	paused, resumed := true, false
	if s := b.API("PATCH", "/api/v1/relays", wire.RelayInput{URL: url, Paused: &paused}, nil); s != http.StatusOK {
		t.Fatalf("pause: status %d", s)
	}
	e.put("/objects/paused", e.call("/objects/paused", ""))
	relay.Announce(e.base + "/objects/paused")
	waitRelay(t, b, url, "limited while paused", func(r wire.Relay) bool { return r.Limited == 1 })
	if e.getsOf("/objects/paused") != 0 || holds(b, e.base+"/actor", e.base+"/objects/paused") {
		t.Errorf("a paused relay's object was fetched or stored")
	}
	b.API("PATCH", "/api/v1/relays", wire.RelayInput{URL: url, Paused: &resumed}, nil)

	// The rate: one object a minute, in a new minute.
	rate := 1
	b.API("PATCH", "/api/v1/relays", wire.RelayInput{URL: url, Rate: &rate}, nil)
	clock.Advance(time.Minute)
	e.put("/objects/r1", e.call("/objects/r1", ""))
	e.put("/objects/r2", e.call("/objects/r2", ""))
	relay.Announce(e.base + "/objects/r1")
	waitRelay(t, b, url, "first of the minute stored", func(r wire.Relay) bool { return r.Stored == 3 })
	relay.Announce(e.base + "/objects/r2")
	waitRelay(t, b, url, "second of the minute limited", func(r wire.Relay) bool { return r.Limited == 2 })
	clock.Advance(time.Minute)
	relay.Announce(e.base + "/objects/r2")
	waitRelay(t, b, url, "next minute stored", func(r wire.Relay) bool { return r.Stored == 4 })

	// The total: no new object past it; an edit of one held still applies.
	rate, total := 100, 4
	b.API("PATCH", "/api/v1/relays", wire.RelayInput{URL: url, Rate: &rate, MaxStored: &total}, nil)
	e.put("/objects/over", e.call("/objects/over", ""))
	relay.Announce(e.base + "/objects/over")
	waitRelay(t, b, url, "over the total limited", func(r wire.Relay) bool { return r.Limited == 3 })
	if holds(b, e.base+"/actor", e.base+"/objects/over") {
		t.Errorf("an object past the relay's total was stored")
	}

	// Blocks: E's server blocked, its objects are neither fetched nor stored.
	if s := b.API("POST", "/api/v1/blocks", map[string]string{"target": e.base[len("http://"):]}, nil); s != http.StatusCreated {
		t.Fatalf("block E: status %d", s)
	}
	total = 100
	b.API("PATCH", "/api/v1/relays", wire.RelayInput{URL: url, MaxStored: &total}, nil)
	e.put("/objects/blocked", e.call("/objects/blocked", ""))
	relay.Announce(e.base + "/objects/blocked")
	waitRelay(t, b, url, "blocked origin refused", func(r wire.Relay) bool { return r.Refused == 4 })
	if e.getsOf("/objects/blocked") != 0 {
		t.Errorf("an object on a blocked server was fetched")
	}

	// The relay itself blocked: what it sends is refused at the inbox.
	before := relayOf(t, b, url).Received
	if s := b.API("POST", "/api/v1/blocks", map[string]string{"target": relay.Actor}, nil); s != http.StatusCreated {
		t.Fatalf("block relay: status %d", s)
	}
	sent := relay.Sent.Load()
	relay.Announce(call.ID)
	testenv.WaitFor(t, wait, "the relay's Announce answered", func() bool { return relay.Sent.Load() > sent })
	if r := relayOf(t, b, url); r.Received != before {
		t.Errorf("a blocked relay's Announce was received: %+v", r)
	}
}
