package testrelay

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/federation/httpsign"
)

const publicIRI = "https://www.w3.org/ns/activitystreams#Public"

// Protocols of a subscriber.
const (
	Mastodon = "mastodon"
	LitePub  = "litepub"
)

// Relay is a running test relay.
type Relay struct {
	Base  string // http://ip:port
	Actor string // the relay actor: Base/actor
	Inbox string // Base/inbox, what Mastodon admins give

	host   string
	key    *rsa.PrivateKey
	keyID  string
	pubPEM string
	client *http.Client
	t      testing.TB
	out    chan post
	wg     sync.WaitGroup
	seq    atomic.Int64
	// Sent counts the POSTs the relay made (accepted by the receiver or
	// not); Failed those that still failed after retries.
	Sent, Failed atomic.Int64
	// Retried counts the attempts that failed and were tried again.
	Retried atomic.Int64
	// Inbound counts the POSTs to its inboxes.
	Inbound atomic.Int64

	// mu guards subs, the subscribers by actor IRI.
	mu   sync.Mutex
	subs map[string]Subscriber
}

// Subscriber is a server subscribed to the relay.
type Subscriber struct {
	Actor    string // the actor that sent the Follow
	Inbox    string // its shared inbox, else its inbox
	Protocol string // Mastodon or LitePub
	FollowID string
}

type post struct {
	inbox string
	body  []byte
}

// Start runs a relay on ip (a 127.0.0.x address) until the test ends.
func Start(t testing.TB, ip string) *Relay {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Fatalf("testrelay: listen: %v", err)
	}
	key, err := httpsign.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	pub, err := httpsign.EncodePublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	r := &Relay{Base: "http://" + ln.Addr().String(), host: ln.Addr().String(), key: key, pubPEM: pub,
		client: &http.Client{Timeout: 10 * time.Second}, t: t, out: make(chan post, 4096), subs: map[string]Subscriber{}}
	r.Actor, r.Inbox, r.keyID = r.Base+"/actor", r.Base+"/inbox", r.Base+"/actor#main-key"
	mux := http.NewServeMux()
	mux.HandleFunc("GET /actor", r.serveActor)
	mux.HandleFunc("POST /inbox", r.serveInbox)
	mux.HandleFunc("POST /actor/inbox", r.serveInbox)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	ctx, cancel := context.WithCancel(context.Background())
	for range 8 {
		r.wg.Go(func() { r.deliver(ctx) })
	}
	t.Cleanup(func() {
		cancel()
		_ = srv.Close()
		r.wg.Wait()
	})
	return r
}

// Subscribers lists the subscribers.
func (r *Relay) Subscribers() []Subscriber {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Subscriber, 0, len(r.subs))
	for _, s := range r.subs {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b Subscriber) int { return cmpString(a.Actor, b.Actor) })
	return out
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (r *Relay) serveActor(w http.ResponseWriter, _ *http.Request) {
	doc := map[string]any{
		"@context":          []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":                r.Actor,
		"type":              "Application",
		"preferredUsername": "relay",
		"name":              "Test relay",
		"inbox":             r.Actor + "/inbox",
		"followers":         r.Actor + "/followers",
		"endpoints":         map[string]any{"sharedInbox": r.Inbox},
		"publicKey":         map[string]any{"id": r.keyID, "owner": r.Actor, "publicKeyPem": r.pubPEM},
	}
	w.Header().Set("Content-Type", "application/activity+json")
	_ = json.NewEncoder(w).Encode(doc)
}

func (r *Relay) serveInbox(w http.ResponseWriter, req *http.Request) {
	r.Inbound.Add(1)
	body, err := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	if err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	v, err := httpsign.Verify(req.Context(), req, body, r.host, time.Now(), r.publicKey)
	if err != nil {
		http.Error(w, "signature", http.StatusUnauthorized)
		return
	}
	var act map[string]any
	if err := json.Unmarshal(body, &act); err != nil {
		http.Error(w, "json", http.StatusBadRequest)
		return
	}
	actor := iri(act["actor"])
	if actor != v.Owner {
		http.Error(w, "actor is not the signer", http.StatusUnauthorized)
		return
	}
	switch act["type"] {
	case "Follow":
		r.onFollow(req.Context(), act)
	case "Undo":
		if inner, ok := act["object"].(map[string]any); ok && inner["type"] == "Follow" && iri(inner["actor"]) == actor {
			r.mu.Lock()
			delete(r.subs, actor)
			r.mu.Unlock()
		}
	case "Create", "Update", "Delete":
		if !r.subscribedHost(actor) || !addressesPublic(act) {
			http.Error(w, "follow the relay first, and address the Public collection", http.StatusBadRequest)
			return
		}
		r.relay(actor, act, body)
	}
	w.WriteHeader(http.StatusAccepted)
}

// onFollow subscribes the follower and accepts, or rejects a Follow of
// anything else.
func (r *Relay) onFollow(ctx context.Context, act map[string]any) {
	actor, object := iri(act["actor"]), iri(act["object"])
	doc, err := r.fetch(ctx, actor)
	if err != nil {
		r.t.Logf("testrelay: follower %s: %v", actor, err)
		return
	}
	inbox := iri(doc["inbox"])
	if ep, ok := doc["endpoints"].(map[string]any); ok && iri(ep["sharedInbox"]) != "" {
		inbox = iri(ep["sharedInbox"])
	}
	answer := "Accept"
	s := Subscriber{Actor: actor, Inbox: inbox, FollowID: iri(act["id"])}
	switch object {
	case publicIRI:
		s.Protocol = Mastodon
	case r.Actor:
		s.Protocol = LitePub
	default:
		answer = "Reject"
	}
	if answer == "Accept" {
		r.mu.Lock()
		r.subs[actor] = s
		r.mu.Unlock()
	}
	r.queue(iri(doc["inbox"]), map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       r.newID(), "type": answer, "actor": r.Actor,
		"object": map[string]any{"id": s.FollowID, "type": "Follow", "actor": actor, "object": object},
	})
}

func (r *Relay) subscribedHost(actor string) bool {
	h := hostOf(actor)
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.subs {
		if hostOf(s.Actor) == h {
			return true
		}
	}
	return false
}

// relay sends act, received from actor, to every subscriber on another
// server, in the subscriber's protocol.
func (r *Relay) relay(actor string, act map[string]any, body []byte) {
	from := hostOf(actor)
	objectID := iri(act["object"])
	for _, s := range r.Subscribers() {
		if hostOf(s.Actor) == from {
			continue
		}
		if s.Protocol == LitePub && act["type"] == "Create" {
			r.queue(s.Inbox, r.announce(objectID))
			continue
		}
		r.out <- post{inbox: s.Inbox, body: body}
	}
}

func (r *Relay) announce(objectID string) map[string]any {
	return map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       r.newID(), "type": "Announce", "actor": r.Actor, "object": objectID,
		"to": []any{r.Actor + "/followers"}, "cc": []any{publicIRI},
	}
}

// Send sends body, as it is, to every subscriber, signed by the relay, as
// a Mastodon-protocol relay forwards what it received.
func (r *Relay) Send(body []byte) {
	for _, s := range r.Subscribers() {
		r.out <- post{inbox: s.Inbox, body: body}
	}
}

// Announce sends every subscriber an Announce of objectID by the relay
// actor, as a LitePub relay does.
func (r *Relay) Announce(objectID string) {
	for _, s := range r.Subscribers() {
		r.queue(s.Inbox, r.announce(objectID))
	}
}

func (r *Relay) newID() string { return fmt.Sprintf("%s/activities/%d", r.Base, r.seq.Add(1)) }

func (r *Relay) queue(inbox string, doc map[string]any) {
	body, _ := json.Marshal(doc)
	r.out <- post{inbox: inbox, body: body}
}

// deliver posts the queued bodies, signed by the relay actor, retrying a
// few times on errors and 5xx (an instance answers 503 when busy).
func (r *Relay) deliver(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case p := <-r.out:
			ok := false
			for attempt := range 5 {
				if ok = r.post(ctx, p); ok || ctx.Err() != nil {
					break
				}
				r.Retried.Add(1)
				time.Sleep(time.Duration(attempt+1) * 200 * time.Millisecond)
			}
			r.Sent.Add(1)
			if !ok {
				r.Failed.Add(1)
			}
		}
	}
}

func (r *Relay) post(ctx context.Context, p post) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.inbox, bytes.NewReader(p.body))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", "application/activity+json")
	if err := httpsign.Sign(req, r.keyID, r.key, p.body, time.Now()); err != nil {
		return false
	}
	resp, err := r.client.Do(req)
	if err != nil {
		r.t.Logf("testrelay: POST %s: %v", p.inbox, err)
		return false
	}
	if resp.StatusCode >= 300 {
		r.t.Logf("testrelay: POST %s: status %d", p.inbox, resp.StatusCode)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests
}

// publicKey fetches the key of an incoming request's signer: its actor
// document, unsigned (maillage serves actors without a signature).
func (r *Relay) publicKey(ctx context.Context, keyID string, _ bool) (string, crypto.PublicKey, error) {
	doc, err := r.fetch(ctx, keyID)
	if err != nil {
		return "", nil, err
	}
	pk, _ := doc["publicKey"].(map[string]any)
	if pk == nil || iri(pk["id"]) != keyID {
		return "", nil, fmt.Errorf("testrelay: no key %s", keyID)
	}
	key, err := httpsign.DecodePublicKey(fmt.Sprint(pk["publicKeyPem"]))
	if err != nil {
		return "", nil, err
	}
	return iri(pk["owner"]), key, nil
}

func (r *Relay) fetch(ctx context.Context, iri string) (map[string]any, error) {
	u, err := url.Parse(iri)
	if err != nil {
		return nil, err
	}
	u.Fragment = ""
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/activity+json")
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %d", u, resp.StatusCode)
	}
	var doc map[string]any
	err = json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&doc)
	return doc, err
}

func addressesPublic(act map[string]any) bool {
	for _, k := range []string{"to", "cc"} {
		switch v := act[k].(type) {
		case string:
			if v == publicIRI {
				return true
			}
		case []any:
			for _, e := range v {
				if e == publicIRI {
					return true
				}
			}
		}
	}
	return false
}

func iri(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		s, _ := x["id"].(string)
		return s
	}
	return ""
}

func hostOf(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return u.Host
}
