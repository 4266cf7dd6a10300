package federation_test

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/federation"
	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/store"
)

// The redirect tests run a local instance, a server it follows (followedIP)
// with an open redirect at /redirect?to=URL, and another host (otherIP) that
// serves documents claiming ids on the followed server.
const (
	followedIP = "127.0.0.21"
	otherIP    = "127.0.0.22"
)

// hop is one request a redirectHost received, with the outcome of checking
// its signature as a request to that host (nil: it verified).
type hop struct {
	path   string
	keyID  string
	sigErr error
}

// redirectHost serves JSON documents by path, redirects by path, and the
// open redirect; it verifies the signature of every GET with verify.
type redirectHost struct {
	Base   string
	verify httpsign.KeyFunc

	mu        sync.Mutex
	docs      map[string][]byte
	redirects map[string]string
	hops      []hop
}

func startRedirectHost(t *testing.T, ip string, verify httpsign.KeyFunc) *redirectHost {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Fatalf("listen on %s: %v", ip, err)
	}
	h := &redirectHost{verify: verify, docs: map[string][]byte{}, redirects: map[string]string{}}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(h.serve))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	h.Base = srv.URL
	return h
}

func (h *redirectHost) serve(w http.ResponseWriter, r *http.Request) {
	_, sigErr := httpsign.Verify(r.Context(), r, nil, r.Host, time.Now(), h.verify)
	h.mu.Lock()
	h.hops = append(h.hops, hop{r.URL.Path, httpsign.KeyIDFromRequest(r), sigErr})
	doc, isDoc := h.docs[r.URL.Path]
	to, isRedirect := h.redirects[r.URL.Path]
	h.mu.Unlock()
	switch {
	case r.URL.Path == "/redirect":
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	case isRedirect:
		http.Redirect(w, r, to, http.StatusFound)
	case isDoc:
		w.Header().Set("Content-Type", contentAS)
		_, _ = w.Write(doc)
	default:
		http.NotFound(w, r)
	}
}

func (h *redirectHost) set(path string, doc []byte) {
	h.mu.Lock()
	h.docs[path] = doc
	h.mu.Unlock()
}

func (h *redirectHost) redirect(path, to string) {
	h.mu.Lock()
	h.redirects[path] = to
	h.mu.Unlock()
}

// hopsTo returns the requests that reached path.
func (h *redirectHost) hopsTo(path string) []hop {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []hop
	for _, p := range h.hops {
		if p.path == path {
			out = append(out, p)
		}
	}
	return out
}

// through is the open redirect of h to target.
func (h *redirectHost) through(target string) string {
	return h.Base + "/redirect?to=" + url.QueryEscape(target)
}

type redirectEnv struct {
	*inboxEnv
	fed      *federation.Client
	followed *redirectHost
	other    *redirectHost
}

func newRedirectEnv(t *testing.T) *redirectEnv {
	t.Helper()
	local := testenv.Start(t, localIP, testenv.Options{})
	fed := local.Server.Fetch
	// Each host checks signatures with the local instance's own key, the
	// only one fetches are signed with.
	e := &redirectEnv{fed: fed,
		followed: startRedirectHost(t, followedIP, fed.PublicKey),
		other:    startRedirectHost(t, otherIP, fed.PublicKey)}
	org := local.Actor("coop")
	e.inboxEnv = &inboxEnv{local: local, org: org, orgInbox: org + "/inbox", sharedInbox: local.Base + "/inbox",
		client: &http.Client{Timeout: waitTimeout}}
	return e
}

// actorDoc is a minimal Mastodon-like actor document.
func actorDoc(t *testing.T, id, inbox string, key *rsa.PrivateKey) []byte {
	t.Helper()
	pem, err := httpsign.EncodePublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return mustJSON(t, map[string]any{
		"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":       id, "type": "Person", "preferredUsername": "someone", "inbox": inbox,
		"publicKey": map[string]any{"id": id + "#main-key", "owner": id, "publicKeyPem": pem},
	})
}

// checkSignedFor fails unless exactly one request reached path of h, signed
// by the local instance actor for that host and path.
func (e *redirectEnv) checkSignedFor(t *testing.T, h *redirectHost, path string) {
	t.Helper()
	hops := h.hopsTo(path)
	if len(hops) != 1 {
		t.Fatalf("%s%s received %d requests, want 1", h.Base, path, len(hops))
	}
	want := e.local.Actor(model.InstanceName) + "#main-key"
	if hops[0].keyID != want || hops[0].sigErr != nil {
		t.Errorf("%s%s: signature keyId %q, verification error %v; want keyId %s, signed for this host and path",
			h.Base, path, hops[0].keyID, hops[0].sigErr, want)
	}
}

// TestFetchRefusesDocumentFromOtherOrigin: through the followed server's
// open redirect, another host serves documents whose ids name the followed
// server. The actor, its key and an outbox page must all be refused, and
// the redirect target must see a signature made for itself, never one made
// for the followed server.
func TestFetchRefusesDocumentFromOtherOrigin(t *testing.T) {
	e := newRedirectEnv(t)
	ctx := context.Background()
	key := newKey(t)

	t.Run("actor", func(t *testing.T) {
		forged := e.followed.through(e.other.Base + "/mallory")
		e.other.set("/mallory", actorDoc(t, forged, e.other.Base+"/inbox", key))
		_, err := e.fed.FetchActor(ctx, forged)
		if !errors.Is(err, federation.ErrMalformed) {
			t.Errorf("FetchActor(%s) error = %v, want %v", forged, err, federation.ErrMalformed)
		}
		if a, ok := e.actor(t, forged); ok {
			t.Errorf("actor served by another host stored: %+v", a)
		}
		e.checkSignedFor(t, e.other, "/mallory")
	})

	t.Run("key", func(t *testing.T) {
		forged := e.followed.through(e.other.Base + "/trudy")
		e.other.set("/trudy", actorDoc(t, forged, e.other.Base+"/inbox", key))
		owner, _, err := e.fed.PublicKey(ctx, forged+"#main-key", false)
		if !errors.Is(err, federation.ErrMalformed) {
			t.Errorf("PublicKey(%s#main-key) = owner %q, error %v; want error %v", forged, owner, err, federation.ErrMalformed)
		}
		e.checkSignedFor(t, e.other, "/trudy")
	})

	t.Run("key owner", func(t *testing.T) {
		// The key document comes from the followed server itself; its
		// owner's document does not.
		keyID := e.followed.Base + "/keys/1"
		owner := e.followed.through(e.other.Base + "/oscar")
		e.followed.set("/keys/1", mustJSON(t, map[string]any{"@context": "https://w3id.org/security/v1",
			"id": keyID, "type": "Key", "owner": owner}))
		doc := edit(t, actorDoc(t, owner, e.other.Base+"/inbox", key), func(m map[string]any) {
			m["publicKey"].(map[string]any)["id"] = keyID
		})
		e.other.set("/oscar", doc)
		got, _, err := e.fed.PublicKey(ctx, keyID, false)
		if !errors.Is(err, federation.ErrMalformed) {
			t.Errorf("PublicKey(%s) = owner %q, error %v; want error %v", keyID, got, err, federation.ErrMalformed)
		}
	})

	t.Run("outbox page", func(t *testing.T) {
		forged := e.followed.through(e.other.Base + "/outbox")
		e.other.set("/outbox", mustJSON(t, map[string]any{
			"@context": "https://www.w3.org/ns/activitystreams", "id": forged, "type": "OrderedCollectionPage",
			"orderedItems": []any{}}))
		if _, err := e.fed.FetchAS(ctx, forged); !errors.Is(err, federation.ErrMalformed) {
			t.Errorf("FetchAS(%s) error = %v, want %v", forged, err, federation.ErrMalformed)
		}
	})
}

// TestFetchFollowsRedirectWithinOrigin: servers redirect /users/x to /@x;
// the document is accepted, and each hop is signed for its own path.
func TestFetchFollowsRedirectWithinOrigin(t *testing.T) {
	e := newRedirectEnv(t)
	id := e.followed.Base + "/users/alice"
	e.followed.redirect("/users/alice", "/@alice")
	e.followed.set("/@alice", actorDoc(t, id, id+"/inbox", newKey(t)))
	a, err := e.fed.FetchActor(context.Background(), id)
	if err != nil || a.ID != id {
		t.Fatalf("FetchActor(%s) = %q, %v; want %s, nil", id, a.ID, err, id)
	}
	e.checkSignedFor(t, e.followed, "/users/alice")
	e.checkSignedFor(t, e.followed, "/@alice")
}

// TestResolveActorRefetchesRedirectedID: a person looks up an IRI that
// redirects to another server serving an actor with its own id there (a
// moved account). The lookup fetches that id again from its own origin and
// returns that actor; an id seen in an activity (FetchActor) is not
// replaced.
func TestResolveActorRefetchesRedirectedID(t *testing.T) {
	e := newRedirectEnv(t)
	ctx := context.Background()
	old, moved := e.followed.Base+"/users/dave", e.other.Base+"/users/dave"
	e.followed.redirect("/users/dave", moved)
	e.other.set("/users/dave", actorDoc(t, moved, moved+"/inbox", newKey(t)))

	if a, err := e.fed.FetchActor(ctx, old); !errors.Is(err, federation.ErrMalformed) {
		t.Errorf("FetchActor(%s) = %q, %v; want error %v", old, a.ID, err, federation.ErrMalformed)
	}
	before := len(e.other.hopsTo("/users/dave"))
	a, err := e.fed.ResolveActor(ctx, old)
	if err != nil || a.ID != moved {
		t.Fatalf("ResolveActor(%s) = %q, %v; want %s, nil", old, a.ID, err, moved)
	}
	if n := len(e.other.hopsTo("/users/dave")) - before; n != 2 {
		t.Errorf("%s fetched %d times, want 2 (through the redirect, then by its id)", moved, n)
	}

	forged := e.followed.through(e.other.Base + "/eve")
	e.other.set("/eve", actorDoc(t, forged, e.other.Base+"/inbox", newKey(t)))
	if a, err := e.fed.ResolveActor(ctx, forged); !errors.Is(err, federation.ErrMalformed) {
		t.Errorf("ResolveActor(%s) = %q, %v; want error %v", forged, a.ID, err, federation.ErrMalformed)
	}
}

// TestForgedCallThroughOpenRedirect is the attack end to end: coop follows
// the followed server's instance actor, so calls by any actor of that
// server enter its directory. Another host signs a Create of a call as an
// actor whose id is the followed server's open redirect to itself; the
// signature must be refused and the call never stored. A genuine actor of
// the followed server still gets its call in.
func TestForgedCallThroughOpenRedirect(t *testing.T) {
	e := newRedirectEnv(t)
	instance := e.followed.Base + "/actor"
	err := e.local.Server.Store.Update(func(tx *store.Tx) error {
		if err := tx.PutActor(model.Actor{ID: instance, Type: "Application", Username: "instance",
			Host: e.followed.Base[len("http://"):], Inbox: instance + "/inbox", Fetched: time.Now()}); err != nil {
			return err
		}
		return tx.PutFollowing("coop", model.Following{Target: instance, FollowID: e.org + "/follows/1",
			State: model.FollowAccepted, Since: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}

	create := func(actor, id string) []byte {
		o := map[string]any{
			"id": id, "type": "Note", "attributedTo": actor, "url": id, "to": []any{publicIRI},
			"published": "2026-05-04T10:00:00Z", "content": "<p>Pilot users wanted</p>",
			"kind": "call", "title": "Pilot users wanted", "pitch": "Test our bikes", "sector": []any{"mobility"},
			"status": "open", "partnerRole": []any{"pilot-user"},
		}
		return mustJSON(t, map[string]any{
			"@context": []any{"https://www.w3.org/ns/activitystreams", map[string]any{"mai": "https://w3id.org/maillage/ns#",
				"kind": "mai:kind", "title": "mai:title", "pitch": "mai:pitch", "sector": "mai:sector", "status": "mai:status"}},
			"id": id + "/activity", "type": "Create", "actor": actor, "to": []any{publicIRI}, "object": o})
	}
	tests := []struct {
		name   string
		serve  func(key *rsa.PrivateKey) string // serves the actor, returns its id
		want   int
		stored bool
	}{
		{name: "genuine actor of the followed server", want: http.StatusAccepted, stored: true,
			serve: func(key *rsa.PrivateKey) string {
				id := e.followed.Base + "/users/bob"
				e.followed.set("/users/bob", actorDoc(t, id, id+"/inbox", key))
				return id
			}},
		{name: "actor served by another host through the open redirect", want: http.StatusUnauthorized,
			serve: func(key *rsa.PrivateKey) string {
				id := e.followed.through(e.other.Base + "/mallory")
				e.other.set("/mallory", actorDoc(t, id, e.other.Base+"/inbox", key))
				return id
			}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := newKey(t)
			actor := tt.serve(key)
			call := fmt.Sprintf("%s/calls/%d", e.followed.Base, i)
			got := e.send(t, request{url: e.sharedInbox, body: create(actor, call), keyID: actor + "#main-key", key: key})
			if got != tt.want {
				t.Errorf("POST Create of %s by %s: status %d, want %d", call, actor, got, tt.want)
			}
			if o, ok := e.object(t, call); ok != tt.stored {
				t.Errorf("call %s stored = %t, want %t (%+v)", call, ok, tt.stored, o)
			}
		})
	}
}

// A fetched document is held to the same shape limits as an inbox body: an
// actor document padded with 25,000 tiny objects is refused before it is
// decoded, and nothing is stored.
func TestFetchRefusesAmplifyingDocument(t *testing.T) {
	e := newRedirectEnv(t)
	id := e.followed.Base + "/users/padded"
	e.followed.set("/users/padded", hostileBody(id, 900_000))
	_, err := e.fed.FetchActor(context.Background(), id)
	if !errors.Is(err, federation.ErrTooComplex) {
		t.Fatalf("FetchActor of a padded document: %v, want ErrTooComplex", err)
	}
	if _, ok := e.actor(t, id); ok {
		t.Errorf("padded actor %s stored", id)
	}
}
