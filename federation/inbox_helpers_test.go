package federation_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/store"
)

// The inbox tests run one real local instance and a fake remote server, each
// on its own loopback address. The fake serves actor documents built from
// the recorded fixtures and records what is POSTed to its inboxes.
const (
	localIP  = "127.0.0.2"
	remoteIP = "127.0.0.9"
	// otherOrigin is a second origin that appears only inside ids; nothing
	// ever connects to it.
	otherOrigin = "http://127.0.0.10:9"
	waitTimeout = 10 * time.Second
	contentAS   = "application/activity+json"
)

// keyDoc says what a GoToSocial-style actor serves at its /main-key keyId.
type keyDoc int

const (
	keyInActor keyDoc = iota // Mastodon: keyId is actor#main-key, the key is in the actor document
	keyObject                // a separate key document {id, owner, publicKeyPem}
	keyGTSStub               // GoToSocial's real answer: a stub actor whose id is the actor's
)

// remoteActor is an actor served by the fake remote server.
type remoteActor struct {
	Flavor string // testdata directory: mastodon or gotosocial
	Name   string // replaces the fixture's username
	ID     string
	KeyID  string
	Inbox  string
	Key    *rsa.PrivateKey
}

// fixtureUser is the username each flavour's fixtures are written for.
var fixtureUser = map[string]string{"mastodon": "Gargron", "gotosocial": "the_mighty_zork"}

// received is one POST that reached the fake server.
type received struct {
	Path string
	Req  *http.Request // a clone, for signature checks
	Body []byte
	JSON map[string]any
}

// fakeRemote is the remote server: GET serves documents, POST to a path
// ending in /inbox is recorded and answered 202.
type fakeRemote struct {
	Base string // http://127.0.0.9:port
	Host string // 127.0.0.9:port

	mu   sync.Mutex
	docs map[string][]byte // by path
	got  []received
}

func startFakeRemote(t *testing.T, ip string) *fakeRemote {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Fatalf("listen on %s: %v", ip, err)
	}
	r := &fakeRemote{docs: make(map[string][]byte)}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(r.serve))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	r.Base, r.Host = srv.URL, ln.Addr().String()
	return r
}

func (r *fakeRemote) serve(w http.ResponseWriter, req *http.Request) {
	switch {
	case req.Method == http.MethodGet:
		r.mu.Lock()
		doc, ok := r.docs[req.URL.Path]
		r.mu.Unlock()
		if !ok {
			http.NotFound(w, req)
			return
		}
		w.Header().Set("Content-Type", contentAS)
		_, _ = w.Write(doc)
	case req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/inbox"):
		body, err := io.ReadAll(io.LimitReader(req.Body, 1<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var m map[string]any
		_ = json.Unmarshal(body, &m)
		r.mu.Lock()
		r.got = append(r.got, received{Path: req.URL.Path, Req: req.Clone(context.Background()), Body: body, JSON: m})
		r.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func (r *fakeRemote) setDoc(path string, doc []byte) {
	r.mu.Lock()
	r.docs[path] = doc
	r.mu.Unlock()
}

// find returns the first recorded POST that match accepts.
func (r *fakeRemote) find(match func(received) bool) (received, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range r.got {
		if match(p) {
			return p, true
		}
	}
	return received{}, false
}

// waitPost polls until a POST that match accepts has arrived.
func (r *fakeRemote) waitPost(t *testing.T, what string, match func(received) bool) received {
	t.Helper()
	var p received
	testenv.WaitFor(t, waitTimeout, what, func() bool {
		var ok bool
		p, ok = r.find(match)
		return ok
	})
	return p
}

// addActor serves an actor built from flavor's actor.json, renamed to
// name, with key (a new one if nil). For GoToSocial actors kd chooses what
// the /main-key keyId serves.
func (r *fakeRemote) addActor(t *testing.T, flavor, name string, key *rsa.PrivateKey, kd keyDoc) *remoteActor {
	t.Helper()
	if key == nil {
		key = newKey(t)
	}
	a := &remoteActor{Flavor: flavor, Name: name, ID: r.Base + "/users/" + name, Inbox: r.Base + "/users/" + name + "/inbox", Key: key}
	doc := fillFixture(t, flavor, "actor.json", a, r, nil)
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatalf("actor.json: %v", err)
	}
	pk := m["publicKey"].(map[string]any)
	a.KeyID = pk["id"].(string)
	if m["id"] != a.ID || m["inbox"] != a.Inbox {
		t.Fatalf("actor.json for %s: id %v inbox %v, want %s and %s", name, m["id"], m["inbox"], a.ID, a.Inbox)
	}
	r.setDoc("/users/"+name, doc)
	if kd == keyInActor {
		return a
	}
	keyPath := strings.TrimPrefix(a.KeyID, r.Base)
	if keyPath == a.KeyID || strings.Contains(keyPath, "#") {
		t.Fatalf("keyId %s of %s is not a separate document", a.KeyID, name)
	}
	var kdoc map[string]any
	switch kd {
	case keyObject:
		kdoc = map[string]any{"@context": "https://w3id.org/security/v1", "id": a.KeyID, "type": "Key",
			"owner": a.ID, "publicKeyPem": pk["publicKeyPem"]}
	case keyGTSStub: // docs/federation/federating_with_gotosocial/http_signatures.md
		kdoc = map[string]any{"@context": []any{"https://w3id.org/security/v1", "https://www.w3.org/ns/activitystreams"},
			"id": a.ID, "preferredUsername": name, "publicKey": pk, "type": "Person"}
	}
	r.setDoc(keyPath, mustJSON(t, kdoc))
	return a
}

func newKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := httpsign.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// inboxEnv is one local instance (organisation coop) and the fake remote.
type inboxEnv struct {
	local       *testenv.Instance
	remote      *fakeRemote
	org         string // the organisation's actor IRI
	orgInbox    string
	sharedInbox string
	client      *http.Client
}

func newInboxEnv(t *testing.T) *inboxEnv {
	t.Helper()
	local := testenv.Start(t, localIP, testenv.Options{})
	org := local.Actor("coop")
	return &inboxEnv{local: local, remote: startFakeRemote(t, remoteIP), org: org, orgInbox: org + "/inbox",
		sharedInbox: local.Base + "/inbox", client: &http.Client{Timeout: waitTimeout}}
}

// fixture fills a recorded payload for actor a; extra sets {{LOCAL_OBJECT}}
// and {{LOCAL_FOLLOW_ID}}.
func (e *inboxEnv) fixture(t *testing.T, a *remoteActor, name string, extra map[string]string) []byte {
	t.Helper()
	vars := map[string]string{"{{LOCAL_ORG}}": e.org, "{{LOCAL_HOST}}": e.local.Host}
	for k, v := range extra {
		vars[k] = v
	}
	return fillFixture(t, a.Flavor, name, a, e.remote, vars)
}

func fillFixture(t *testing.T, flavor, name string, a *remoteActor, r *fakeRemote, vars map[string]string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", flavor, name))
	if err != nil {
		t.Fatal(err)
	}
	pem, err := httpsign.EncodePublicKey(&a.Key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	quoted := mustJSON(t, pem)
	pairs := []string{"{{REMOTE}}", r.Base, "{{REMOTE_HOST}}", r.Host,
		"{{PUBLIC_KEY_PEM}}", string(quoted[1 : len(quoted)-1])}
	for k, v := range vars {
		pairs = append(pairs, k, v)
	}
	s := strings.NewReplacer(pairs...).Replace(string(raw))
	if i := strings.Index(s, "{{"); i >= 0 {
		t.Fatalf("%s/%s: placeholder left: %.40s", flavor, name, s[i:])
	}
	s = strings.ReplaceAll(s, fixtureUser[flavor], a.Name)
	if !json.Valid([]byte(s)) {
		t.Fatalf("%s/%s: not valid JSON once filled", flavor, name)
	}
	return []byte(s)
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// edit decodes body, lets fn change it, and encodes it again.
func edit(t *testing.T, body []byte, fn func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("edit: %v", err)
	}
	fn(m)
	return mustJSON(t, m)
}

// object is the embedded object of an activity map.
func object(m map[string]any) map[string]any {
	o, _ := m["object"].(map[string]any)
	return o
}

// field reads a string property of a JSON document.
func field(t *testing.T, body []byte, path ...string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("field: %v", err)
	}
	for _, k := range path[:len(path)-1] {
		m, _ = m[k].(map[string]any)
	}
	s, _ := m[path[len(path)-1]].(string)
	return s
}

// request is an inbox POST, signed (key != nil) over body.
type request struct {
	url         string
	body        []byte // what is signed
	sent        []byte // what is sent, when different from body
	contentType string // default application/activity+json
	keyID       string
	key         *rsa.PrivateKey // nil: unsigned
	date        time.Time       // signing time; zero: now
}

// send POSTs r the way Mastodon does (Sign covers (request-target) host
// date digest) and returns the status.
func (e *inboxEnv) send(t *testing.T, r request) int {
	t.Helper()
	sent := r.body
	if r.sent != nil {
		sent = r.sent
	}
	req, err := http.NewRequest(http.MethodPost, r.url, bytes.NewReader(sent))
	if err != nil {
		t.Fatal(err)
	}
	ct := r.contentType
	if ct == "" {
		ct = contentAS
	}
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Accept", contentAS)
	if r.key != nil {
		at := r.date
		if at.IsZero() {
			at = time.Now()
		}
		if err := httpsign.Sign(req, r.keyID, r.key, r.body, at); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", r.url, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// post sends body to inbox signed as a.
func (e *inboxEnv) post(t *testing.T, inbox string, a *remoteActor, body []byte) int {
	t.Helper()
	return e.send(t, request{url: inbox, body: body, keyID: a.KeyID, key: a.Key})
}

// mustPost sends body signed as a and fails unless the answer is want.
func (e *inboxEnv) mustPost(t *testing.T, inbox string, a *remoteActor, body []byte, want int) {
	t.Helper()
	if got := e.post(t, inbox, a, body); got != want {
		t.Fatalf("POST %s %s to %s = %d, want %d", field(t, body, "type"), field(t, body, "id"), inbox, got, want)
	}
}

// publish creates a project of coop through the admin API.
func (e *inboxEnv) publish(t *testing.T, title string) string {
	t.Helper()
	var o model.Object
	in := map[string]any{"kind": "project", "title": title, "summary": "A test project", "sectors": []string{"energy"}}
	if got := e.local.API(http.MethodPost, "/api/v1/orgs/coop/objects", in, &o); got != http.StatusCreated {
		t.Fatalf("publish %q: status %d, want %d", title, got, http.StatusCreated)
	}
	return o.ID
}

// follow makes coop follow a and returns the id of the Follow a received.
func (e *inboxEnv) follow(t *testing.T, a *remoteActor) string {
	t.Helper()
	var f model.Following
	if got := e.local.API(http.MethodPost, "/api/v1/orgs/coop/follow", map[string]string{"target": a.ID}, &f); got != http.StatusAccepted {
		t.Fatalf("follow %s: status %d, want %d", a.ID, got, http.StatusAccepted)
	}
	p := e.remote.waitPost(t, "Follow of "+a.ID, func(p received) bool {
		return p.Path == strings.TrimPrefix(a.Inbox, e.remote.Base) && p.JSON["type"] == "Follow" && p.JSON["id"] == f.FollowID
	})
	if got := p.JSON["object"]; got != a.ID {
		t.Errorf("Follow object = %v, want %s", got, a.ID)
	}
	e.verifySignedByOrg(t, p)
	return f.FollowID
}

// followingState is coop's follow state of target ("" if none).
func (e *inboxEnv) followingState(t *testing.T, target string) string {
	t.Helper()
	var list []model.Following
	if got := e.local.API(http.MethodGet, "/api/v1/orgs/coop/following", nil, &list); got != http.StatusOK {
		t.Fatalf("GET following: status %d", got)
	}
	for _, f := range list {
		if f.Target == target {
			return f.State
		}
	}
	return ""
}

// followAccepted makes coop follow a and a accept, as a maillage peer would.
func (e *inboxEnv) followAccepted(t *testing.T, a *remoteActor) {
	t.Helper()
	id := e.follow(t, a)
	e.mustPost(t, e.orgInbox, a, e.fixture(t, a, "accept_follow.json", map[string]string{"{{LOCAL_FOLLOW_ID}}": id}), http.StatusAccepted)
	if got := e.followingState(t, a.ID); got != model.FollowAccepted {
		t.Fatalf("follow of %s: state %q, want %q", a.ID, got, model.FollowAccepted)
	}
}

// verifySignedByOrg checks that a delivery carries a signature that
// verifies with the key published in coop's actor document, as a remote
// server fetching that document would check it.
func (e *inboxEnv) verifySignedByOrg(t *testing.T, p received) {
	t.Helper()
	status, body := e.local.Get(e.org, contentAS)
	if status != http.StatusOK {
		t.Fatalf("GET %s: status %d", e.org, status)
	}
	var doc struct {
		PublicKey struct {
			ID           string `json:"id"`
			Owner        string `json:"owner"`
			PublicKeyPem string `json:"publicKeyPem"`
		} `json:"publicKey"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("actor document: %v", err)
	}
	pub, err := httpsign.DecodePublicKey(doc.PublicKey.PublicKeyPem)
	if err != nil {
		t.Fatalf("actor document key: %v", err)
	}
	keyFn := func(_ context.Context, keyID string, _ bool) (string, crypto.PublicKey, error) {
		if keyID != doc.PublicKey.ID {
			return "", nil, fmt.Errorf("keyId %q is not the published key %q", keyID, doc.PublicKey.ID)
		}
		return doc.PublicKey.Owner, pub, nil
	}
	v, err := httpsign.Verify(context.Background(), p.Req, p.Body, p.Req.Host, time.Now(), keyFn)
	if err != nil {
		t.Fatalf("signature of the %v delivered to %s: %v", p.JSON["type"], p.Path, err)
	}
	if v.Owner != e.org || p.JSON["actor"] != e.org {
		t.Errorf("delivery signed by %s for actor %v, want %s for both", v.Owner, p.JSON["actor"], e.org)
	}
}

// Store readers. ok is false when the record does not exist.

func (e *inboxEnv) view(t *testing.T, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := e.local.Server.Store.View(fn); err != nil {
		t.Fatalf("store: %v", err)
	}
}

func found(err error) (bool, error) {
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

func (e *inboxEnv) follower(t *testing.T, actor string) (f model.Follower, ok bool) {
	t.Helper()
	e.view(t, func(tx *store.Tx) (err error) {
		f, err = tx.Follower("coop", actor)
		ok, err = found(err)
		return err
	})
	return f, ok
}

func (e *inboxEnv) reply(t *testing.T, id string) (r model.Reply, ok bool) {
	t.Helper()
	e.view(t, func(tx *store.Tx) (err error) {
		r, err = tx.Reply(id)
		ok, err = found(err)
		return err
	})
	return r, ok
}

func (e *inboxEnv) actor(t *testing.T, id string) (a model.Actor, ok bool) {
	t.Helper()
	e.view(t, func(tx *store.Tx) (err error) {
		a, err = tx.Actor(id)
		ok, err = found(err)
		return err
	})
	return a, ok
}

func (e *inboxEnv) object(t *testing.T, id string) (o model.Object, ok bool) {
	t.Helper()
	e.view(t, func(tx *store.Tx) (err error) {
		o, err = tx.Object(id)
		ok, err = found(err)
		return err
	})
	return o, ok
}

func (e *inboxEnv) counts(t *testing.T, objectID string) (c model.Counts) {
	t.Helper()
	e.view(t, func(tx *store.Tx) (err error) {
		c, err = tx.Counts(objectID)
		return err
	})
	return c
}

// replyIDs reads the replies collection of a local object the way a remote
// server does: page 1 as ActivityStreams JSON.
func (e *inboxEnv) replyIDs(t *testing.T, objectID string) []string {
	t.Helper()
	status, body := e.local.Get(objectID+"/replies?page=1", contentAS)
	if status != http.StatusOK {
		t.Fatalf("GET replies of %s: status %d", objectID, status)
	}
	var page struct {
		Type         string   `json:"type"`
		OrderedItems []string `json:"orderedItems"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatalf("replies page: %v: %s", err, body)
	}
	if page.Type != "OrderedCollectionPage" {
		t.Errorf("replies page type = %q, want OrderedCollectionPage", page.Type)
	}
	return page.OrderedItems
}

// snapshot is everything an inbox activity can add for coop and obj,
// except remote actors (any signed request may store its signer's profile,
// as a key cache).
type snapshot struct {
	Followers []model.Follower
	Following []model.Following
	Replies   []model.Reply
	Counts    model.Counts
	Objects   []model.Object // by every known remote actor
}

func (e *inboxEnv) snapshot(t *testing.T, obj string) string {
	t.Helper()
	var s snapshot
	e.view(t, func(tx *store.Tx) error {
		var err error
		if s.Followers, err = tx.Followers("coop"); err != nil {
			return err
		}
		if s.Following, err = tx.FollowingList("coop"); err != nil {
			return err
		}
		if s.Replies, err = tx.Replies(obj); err != nil {
			return err
		}
		if s.Counts, err = tx.Counts(obj); err != nil {
			return err
		}
		actors, err := tx.Actors()
		if err != nil {
			return err
		}
		for _, a := range actors {
			objs, err := tx.ObjectsBy(a.ID, 0)
			if err != nil {
				return err
			}
			s.Objects = append(s.Objects, objs...)
		}
		return nil
	})
	return string(mustJSON(t, s))
}
