package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/mail"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

const (
	testPrivatePEM = "-----BEGIN PRIVATE KEY-----\nZmFrZQ==\n-----END PRIVATE KEY-----\n"
	testPublicPEM  = "-----BEGIN PUBLIC KEY-----\nZmFrZQ==\n-----END PUBLIC KEY-----\n"
)

// t0 is when every test's clock starts: mid-second, to exercise truncation.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 400_000_000, time.UTC)

// fakeRenderer renders an activity as json.Marshal of it and records the
// calls.
type fakeRenderer struct {
	mu    sync.Mutex // guards calls
	calls []model.Activity
}

func (r *fakeRenderer) RenderActivity(a model.Activity) ([]byte, error) {
	r.mu.Lock()
	r.calls = append(r.calls, a)
	r.mu.Unlock()
	return json.Marshal(a)
}

func (r *fakeRenderer) types() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, a := range r.calls {
		out = append(out, a.Type)
	}
	return out
}

// fakeResolver resolves the targets it knows, and records the calls.
type fakeResolver struct {
	mu      sync.Mutex // guards calls
	actors  map[string]model.Actor
	calls   []string
	failure error
}

func (r *fakeResolver) ResolveActor(ctx context.Context, target string) (model.Actor, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, target)
	if r.failure != nil {
		return model.Actor{}, r.failure
	}
	a, ok := r.actors[target]
	if !ok {
		return a, fmt.Errorf("resolve %s: %w", target, ErrNotFound)
	}
	return a, nil
}

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu  sync.Mutex // guards now
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// testEnv is a Service on a real store with fake edges. Bootstrap has run:
// the instance actor and the organisation "acme" exist.
type testEnv struct {
	svc      *Service
	st       *store.Store
	u        uris.URIs
	render   *fakeRenderer
	resolve  *fakeResolver
	clock    *fakeClock
	pokes    atomic.Int32
	keyPairs atomic.Int32
	token    string
}

// newTestEnv builds the env; each opt may complete the Service's deps
// before New (a mailer, an observer).
func newTestEnv(t *testing.T, opts ...func(e *testEnv, d *Deps)) *testEnv {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "maillage.db"), store.Options{LockTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	e := &testEnv{
		st:      st,
		u:       uris.URIs{Base: "https://local.example"},
		render:  &fakeRenderer{},
		resolve: &fakeResolver{actors: map[string]model.Actor{}},
		clock:   &fakeClock{now: t0},
	}
	d := Deps{
		Store:    st,
		URIs:     e.u,
		Renderer: e.render,
		Resolver: e.resolve,
		KeyPair: func() (string, string, error) {
			e.keyPairs.Add(1)
			return testPrivatePEM, testPublicPEM, nil
		},
		Poke: func() { e.pokes.Add(1) },
		Now:  e.clock.Now,
	}
	for _, opt := range opts {
		opt(e, &d)
	}
	if e.svc, err = New(d); err != nil {
		t.Fatalf("New: %v", err)
	}
	e.token, err = e.svc.Bootstrap(context.Background(), "acme", "Acme")
	if err != nil {
		t.Fatalf("Bootstrap: %v", err)
	}
	return e
}

// withMail gives the Service m as its Mailer.
func withMail(m Mailer) func(*testEnv, *Deps) {
	return func(_ *testEnv, d *Deps) { d.Mail = m }
}

// withSMTP gives the Service a Mailer to the SMTP server at addr, on the
// test clock.
func withSMTP(addr string) func(*testEnv, *Deps) {
	return func(e *testEnv, d *Deps) {
		d.Mail = mail.SMTP{Addr: addr, From: "maillage@local.example", Now: e.clock.Now}
	}
}

// withObserver registers f as an OnCommit observer.
func withObserver(f func(ids ...string)) func(*testEnv, *Deps) {
	return func(_ *testEnv, d *Deps) {
		d.OnCommit = append(d.OnCommit, func(_ *store.Tx, ids ...string) func() { f(ids...); return nil })
	}
}

// gatedMailer drops every e-mail until open is called, then passes them to
// its Mailer: a test that should count only the e-mails of one step opens
// it before that step.
type gatedMailer struct {
	to     Mailer
	opened atomic.Bool
}

func (g *gatedMailer) open() { g.opened.Store(true) }

func (g *gatedMailer) Send(ctx context.Context, to, subject, body string) error {
	if !g.opened.Load() {
		return nil
	}
	return g.to.Send(ctx, to, subject, body)
}

// Remote actors used across the tests. Bob and carol share b.example's
// inbox; dave is alone on d.example; erin's server has no shared inbox.
var (
	bob   = remoteActor("b.example", "bob", true)
	carol = remoteActor("b.example", "carol", true)
	dave  = remoteActor("d.example", "dave", true)
	erin  = remoteActor("e.example", "erin", false)
	frank = remoteActor("f.example", "frank", true)
	// peer is another maillage instance's actor on p.example.
	peer = model.Actor{ID: "https://p.example/actor", Type: "Application", Username: "instance", Host: "p.example",
		Inbox: "https://p.example/actor/inbox", SharedInbox: "https://p.example/inbox", KeyID: "https://p.example/actor#main-key"}
	// peerOrg is an organisation on the peer instance.
	peerOrg = model.Actor{ID: "https://p.example/orgs/zed", Type: "Organization", Username: "zed", Host: "p.example",
		Inbox: "https://p.example/orgs/zed/inbox", SharedInbox: "https://p.example/inbox", KeyID: "https://p.example/orgs/zed#main-key"}
)

func remoteActor(host, name string, shared bool) model.Actor {
	id := "https://" + host + "/users/" + name
	a := model.Actor{ID: id, Type: "Person", Username: name, Host: host, Inbox: id + "/inbox", KeyID: id + "#main-key"}
	if shared {
		a.SharedInbox = "https://" + host + "/inbox"
	}
	return a
}

// update and view run fn on the store and fail the test on error.
func (e *testEnv) update(t *testing.T, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := e.st.Update(fn); err != nil {
		t.Fatalf("store update: %v", err)
	}
}

func (e *testEnv) view(t *testing.T, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := e.st.View(fn); err != nil {
		t.Fatalf("store view: %v", err)
	}
}

// addFollower stores a as a follower of local, as ReceiveFollow would.
func (e *testEnv) addFollower(t *testing.T, local string, a model.Actor, pending bool) {
	t.Helper()
	e.update(t, func(tx *store.Tx) error {
		if err := tx.PutActor(a); err != nil {
			return err
		}
		return tx.PutFollower(local, model.Follower{Actor: a.ID, Inbox: a.Inbox, SharedInbox: a.SharedInbox,
			FollowID: a.ID + "/follows/1", Pending: pending, Since: t0})
	})
}

// addFollowing stores local's follow of a in the given state.
func (e *testEnv) addFollowing(t *testing.T, local string, a model.Actor, state string) {
	t.Helper()
	e.update(t, func(tx *store.Tx) error {
		if err := tx.PutActor(a); err != nil {
			return err
		}
		return tx.PutFollowing(local, model.Following{Target: a.ID, FollowID: e.u.Activity(local + "-follows-" + a.Username), State: state, Since: t0})
	})
}

// queue returns the queued deliveries.
func (e *testEnv) queue(t *testing.T) []model.Delivery {
	t.Helper()
	var out []model.Delivery
	e.view(t, func(tx *store.Tx) error {
		var err error
		out, _, err = tx.Queue()
		return err
	})
	return out
}

// clearQueue removes every queued delivery, so that a test step sees only
// the deliveries it causes.
func (e *testEnv) clearQueue(t *testing.T) {
	t.Helper()
	e.update(t, func(tx *store.Tx) error {
		ds, _, err := tx.Queue()
		for _, d := range ds {
			if err := tx.Dequeue(d); err != nil {
				return err
			}
		}
		return err
	})
}

// sent is one queued delivery joined with its stored activity.
type sent struct {
	Type, Signer, Inbox string
}

// sent returns the queued deliveries as (type, signer, inbox), sorted.
func (e *testEnv) sent(t *testing.T) []sent {
	t.Helper()
	var out []sent
	for _, d := range e.queue(t) {
		a := e.activity(t, d.ActivityID)
		out = append(out, sent{a.Type, d.Signer, d.Inbox})
	}
	sortSent(out)
	return out
}

func sortSent(s []sent) {
	sort.Slice(s, func(i, j int) bool {
		if s[i].Type != s[j].Type {
			return s[i].Type < s[j].Type
		}
		if s[i].Signer != s[j].Signer {
			return s[i].Signer < s[j].Signer
		}
		return s[i].Inbox < s[j].Inbox
	})
}

func checkSent(t *testing.T, got, want []sent) {
	t.Helper()
	sortSent(want)
	if !slices.Equal(got, want) {
		t.Errorf("deliveries =\n%+v\nwant\n%+v", got, want)
	}
}

// activity returns a stored activity, decoded from its rendered JSON (the
// fake renderer's JSON is the activity itself).
func (e *testEnv) activity(t *testing.T, id string) model.Activity {
	t.Helper()
	var a model.Activity
	e.view(t, func(tx *store.Tx) error {
		stored, body, err := tx.Activity(id)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(body, &a); err != nil {
			return err
		}
		if stored.ID != a.ID || stored.Type != a.Type {
			t.Errorf("stored activity %s/%s, rendered %s/%s", stored.ID, stored.Type, a.ID, a.Type)
		}
		return nil
	})
	return a
}

// outbox returns local's outbox activities, newest first.
func (e *testEnv) outbox(t *testing.T, local string) []model.Activity {
	t.Helper()
	var out []model.Activity
	e.view(t, func(tx *store.Tx) error {
		bodies, total, err := tx.Outbox(local, 0, 1000)
		if err != nil {
			return err
		}
		if total != len(bodies) {
			t.Errorf("outbox total %d, listed %d", total, len(bodies))
		}
		for _, b := range bodies {
			var a model.Activity
			if err := json.Unmarshal(b, &a); err != nil {
				return err
			}
			out = append(out, a)
		}
		return nil
	})
	return out
}

func outboxTypes(as []model.Activity) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Type)
	}
	return out
}

// object returns a stored object, or fails the test.
func (e *testEnv) object(t *testing.T, id string) model.Object {
	t.Helper()
	o, err := e.svc.Object(context.Background(), id)
	if err != nil {
		t.Fatalf("Object(%s): %v", id, err)
	}
	return o
}

// hasObject reports whether id is stored.
func (e *testEnv) hasObject(t *testing.T, id string) bool {
	t.Helper()
	_, err := e.svc.Object(context.Background(), id)
	if err != nil && !errors.Is(err, ErrNotFound) {
		t.Fatalf("Object(%s): %v", id, err)
	}
	return err == nil
}

// validationFields returns the sorted fields of a *model.ValidationError
// inside err, or fails the test.
func validationFields(t *testing.T, err error) []string {
	t.Helper()
	var ve *model.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v is not a *model.ValidationError", err)
	}
	var out []string
	for k := range ve.Fields {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func projectInput() ObjectInput {
	return ObjectInput{Kind: model.KindProject, Title: " Solar roofs ", Summary: "Roofs for all",
		Text: "Long text.", Sectors: []string{"energy"}, Location: &model.Place{Name: "Lyon", Country: "fr"}}
}

func callInput() ObjectInput {
	return ObjectInput{Kind: model.KindCall, Title: "Looking for funders", Sectors: []string{"finance"},
		Deadline: Time(t0.Add(30 * 24 * time.Hour)), PartnerRoles: []string{"funder"}}
}

// publish publishes in for org, failing the test on error.
func (e *testEnv) publish(t *testing.T, org string, in ObjectInput) model.Object {
	t.Helper()
	o, err := e.svc.Publish(context.Background(), asAdmin, org, in)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	return o
}

// remoteObject is a project by a remote actor, as federation decodes it.
func remoteObject(actor model.Actor, n int, updated time.Time) model.Object {
	return model.Object{ID: fmt.Sprintf("%s/projects/%d", actor.ID, n), Kind: model.KindProject, AttributedTo: actor.ID,
		Title: fmt.Sprintf("Remote %d", n), Sectors: []string{"energy"}, Status: "active",
		Audience: model.AudiencePublic, Published: t0.Add(-time.Hour), Updated: updated}
}

// testActor is the profile of a remote actor by IRI, as federation passes
// it with a reply.
func testActor(id string) model.Actor {
	for _, a := range []model.Actor{bob, carol, dave, erin, frank, peer, peerOrg, yan} {
		if a.ID == id {
			return a
		}
	}
	return model.Actor{ID: id, Type: "Person", Inbox: id + "/inbox", KeyID: id + "#main-key"}
}

// asAdmin is who the tests act for when authorisation is not what they
// test: the admin API token's holder.
var asAdmin = TokenPrincipal()
