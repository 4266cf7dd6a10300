package service

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// commitView is what an OnCommit observer read, in one transaction, about
// each call it was told of: whether the call was stored, and whether mia
// had its match notification.
type commitView struct {
	mu    sync.Mutex // guards calls
	calls map[string][2]bool
}

func (v *commitView) observe(tx *store.Tx, ids ...string) func() {
	ns, err := tx.Notifications("mia", 0)
	if err != nil {
		return nil
	}
	for _, id := range ids {
		o, err := tx.Object(id)
		if err != nil || o.Kind != model.KindCall {
			continue
		}
		notified := slices.ContainsFunc(ns, func(n store.Notification) bool { return n.Call == id })
		v.mu.Lock()
		v.calls[id] = [2]bool{true, notified}
		v.mu.Unlock()
	}
	return nil
}

func (v *commitView) of(id string) (stored, notified, told bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	s, ok := v.calls[id]
	return s[0], s[1], ok
}

// TestMatchNotificationCommittedWithCall: a call and the notification of
// the account it matches are written in one transaction, so that no read
// sees the call without its notification. An observer told of the commit
// reads both at once, for a published call and for a received one.
func TestMatchNotificationCommittedWithCall(t *testing.T) {
	v := &commitView{calls: map[string][2]bool{}}
	e := newMatchingEnv(t, func(e *testEnv, d *Deps) { d.OnCommit = append(d.OnCommit, v.observe) })
	ctx := context.Background()

	published := e.publish(t, "acme", callInput())

	e.addFollowing(t, "acme", peerOrg, model.FollowAccepted)
	received := remoteObject(peerOrg, 1, t0)
	deadline := t0.Add(30 * 24 * time.Hour)
	received.ID, received.Kind, received.Status = peerOrg.ID+"/calls/1", model.KindCall, "open"
	received.Sectors, received.PartnerRoles, received.Deadline = []string{"finance"}, []string{"funder"}, &deadline
	if err := e.svc.ReceiveObject(ctx, "https://p.example/activities/1", peerOrg.ID, "", received); err != nil {
		t.Fatalf("ReceiveObject: %v", err)
	}

	for _, id := range []string{published.ID, received.ID} {
		stored, notified, told := v.of(id)
		if !told || !stored || !notified {
			t.Errorf("after the commit of %s: observer told %t, call stored %t, notification stored %t; want all true",
				id, told, stored, notified)
		}
	}
}

// TestNewRequiresDeps: a Service cannot be built without what its use
// cases call (a nil Poke or Resolver would fail at run time otherwise).
func TestNewRequiresDeps(t *testing.T) {
	e := newTestEnv(t)
	full := func() Deps {
		return Deps{Store: e.st, URIs: e.u, Renderer: e.render, Resolver: e.resolve, Poke: func() {},
			KeyPair: func() (string, string, error) { return testPrivatePEM, testPublicPEM, nil }}
	}
	if svc, err := New(full()); err != nil || svc == nil {
		t.Fatalf("New with every dependency = %v, %v; want a Service", svc, err)
	}
	for name, drop := range map[string]func(*Deps){
		"Store":    func(d *Deps) { d.Store = nil },
		"URIs":     func(d *Deps) { d.URIs.Base = "" },
		"Renderer": func(d *Deps) { d.Renderer = nil },
		"Resolver": func(d *Deps) { d.Resolver = nil },
		"KeyPair":  func(d *Deps) { d.KeyPair = nil },
		"Poke":     func(d *Deps) { d.Poke = nil },
	} {
		d := full()
		drop(&d)
		svc, err := New(d)
		if !errors.Is(err, ErrMissingDeps) || svc != nil {
			t.Errorf("New without %s = %v, %v; want nil, ErrMissingDeps", name, svc, err)
		}
	}
}
