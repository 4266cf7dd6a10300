package service

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/errs"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// aliased is a copy of a that lists from in its alsoKnownAs.
func aliased(a model.Actor, from ...string) model.Actor {
	a.AlsoKnownAs = from
	return a
}

func (e *testEnv) followState(t *testing.T, local, target string) (model.Following, bool) {
	t.Helper()
	var f model.Following
	var err error
	e.view(t, func(tx *store.Tx) error { f, err = tx.Following(local, target); return nil })
	return f, err == nil
}

// A follow carried through MaxMoveHops moves stays where it is; the
// others follow the target, one move further.
func TestReceiveMoveHops(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.addFollowing(t, "acme", bob, model.FollowAccepted)
	e.addFollowing(t, model.InstanceName, bob, model.FollowAccepted)
	e.update(t, func(tx *store.Tx) error {
		f, err := tx.Following("acme", bob.ID)
		f.Moves = model.MaxMoveHops
		if err != nil {
			return err
		}
		return tx.PutFollowing("acme", f)
	})
	e.resolve.actors[dave.ID] = aliased(dave, bob.ID)
	e.clearQueue(t)
	if err := e.svc.ReceiveMove(ctx, bob.ID+"#moves/1", bob.ID, dave.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.followState(t, "acme", bob.ID); !ok {
		t.Error("a follow moved MaxMoveHops times was moved again")
	}
	if _, ok := e.followState(t, "acme", dave.ID); ok {
		t.Error("acme follows the target of a follow moved MaxMoveHops times")
	}
	f, ok := e.followState(t, model.InstanceName, dave.ID)
	if !ok || f.State != model.FollowPending || f.Moves != 1 {
		t.Errorf("instance's follow of the target = %+v (%v), want pending, 1 move", f, ok)
	}
	if _, ok := e.followState(t, model.InstanceName, bob.ID); ok {
		t.Error("instance still follows the actor that moved")
	}
	checkSent(t, e.sent(t), []sent{{"Follow", model.InstanceName, dave.Inbox}, {"Undo", model.InstanceName, bob.Inbox}})
	var old model.Actor
	e.view(t, func(tx *store.Tx) (err error) { old, err = tx.Actor(bob.ID); return err })
	if old.MovedTo != dave.ID {
		t.Errorf("movedTo of the actor that moved = %q, want %s", old.MovedTo, dave.ID)
	}
}

// An actor that moved here is not moved again for a week; a Move of an
// actor nobody follows fetches nothing.
func TestReceiveMoveCooldown(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.addFollowing(t, "acme", bob, model.FollowAccepted)
	e.resolve.actors[dave.ID] = aliased(dave, bob.ID)
	e.resolve.actors[erin.ID] = aliased(erin, dave.ID)
	if err := e.svc.ReceiveMove(ctx, bob.ID+"#moves/1", bob.ID, dave.ID); err != nil {
		t.Fatal(err)
	}
	err := e.svc.ReceiveMove(ctx, dave.ID+"#moves/1", dave.ID, erin.ID)
	if !errors.Is(err, ErrForbidden) {
		t.Fatalf("second move within a week: %v, want forbidden", err)
	}
	if _, ok := e.followState(t, "acme", erin.ID); ok {
		t.Fatal("followed the target of a move refused")
	}
	e.clock.Advance(moveCooldown + time.Minute)
	if err := e.svc.ReceiveMove(ctx, dave.ID+"#moves/2", dave.ID, erin.ID); err != nil {
		t.Fatalf("move a week later: %v", err)
	}
	if f, ok := e.followState(t, "acme", erin.ID); !ok || f.Moves != 2 {
		t.Errorf("follow of erin = %+v (%v), want 2 moves", f, ok)
	}

	calls := len(e.resolve.calls)
	if err := e.svc.ReceiveMove(ctx, frank.ID+"#moves/1", frank.ID, carol.ID); err != nil {
		t.Fatal(err)
	}
	if len(e.resolve.calls) != calls {
		t.Errorf("a Move of an actor nobody follows resolved %v", e.resolve.calls[calls:])
	}
}

// A remote actor moves to one of our organisations, which lists it: the
// local follows go to the organisation, without any fetch; the
// organisation itself only drops its follow.
func TestReceiveMoveToLocal(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.addFollowing(t, model.InstanceName, bob, model.FollowAccepted)
	e.addFollowing(t, "acme", bob, model.FollowAccepted)
	if _, err := e.svc.SetAliases(ctx, asAdmin, "acme", []string{bob.ID}); err != nil {
		t.Fatal(err)
	}
	e.clearQueue(t)
	acme := e.u.Actor("acme")
	if err := e.svc.ReceiveMove(ctx, bob.ID+"#moves/1", bob.ID, acme); err != nil {
		t.Fatal(err)
	}
	if len(e.resolve.calls) != 0 {
		t.Errorf("resolved %v for a local target", e.resolve.calls)
	}
	if _, ok := e.followState(t, model.InstanceName, acme); !ok {
		t.Error("the instance does not follow the organisation")
	}
	if _, ok := e.followState(t, "acme", acme); ok {
		t.Error("the organisation follows itself")
	}
	checkSent(t, e.sent(t), []sent{{"Follow", model.InstanceName, e.u.Inbox("acme")},
		{"Undo", "acme", bob.Inbox}, {"Undo", model.InstanceName, bob.Inbox}})
}

// Aliases and moves are an administrator's: an editor of the
// organisation is refused; bad aliases are reported on their field.
func TestMoveOrgRules(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	editor := AccountPrincipal(Account{Username: "ed", Role: RoleEditor, Orgs: []string{"acme"}})
	if _, err := e.svc.SetAliases(ctx, editor, "acme", []string{bob.ID}); !errors.Is(err, ErrForbidden) {
		t.Errorf("editor sets aliases: %v, want forbidden", err)
	}
	if _, err := e.svc.MoveOrg(ctx, editor, "acme", dave.ID); !errors.Is(err, ErrForbidden) {
		t.Errorf("editor moves: %v, want forbidden", err)
	}
	for _, bad := range [][]string{{"bob@b.example"}, {e.u.Actor("acme")}, {bob.ID, bob.ID}, {"https://x.example/a#frag"}} {
		if got := validationFields(t, func() error { _, err := e.svc.SetAliases(ctx, asAdmin, "acme", bad); return err }()); !slices.Equal(got, []string{"also_known_as"}) {
			t.Errorf("aliases %v: fields %v, want also_known_as", bad, got)
		}
	}
	e.resolve.actors[dave.ID] = dave
	e.resolve.actors[erin.ID] = aliased(erin, e.u.Actor("acme"))
	moved := aliased(carol, e.u.Actor("acme"))
	moved.MovedTo = frank.ID
	e.resolve.actors[carol.ID] = moved
	for target, field := range map[string]string{dave.ID: "target", carol.ID: "target", e.u.Actor("acme"): "target"} {
		if got := validationFields(t, func() error { _, err := e.svc.MoveOrg(ctx, asAdmin, "acme", target); return err }()); !slices.Equal(got, []string{field}) {
			t.Errorf("move to %s: fields %v, want %s", target, got, field)
		}
	}
	e.addFollower(t, "acme", bob, false)
	e.clearQueue(t)
	o, err := e.svc.MoveOrg(ctx, asAdmin, "acme", erin.ID)
	if err != nil || o.MovedTo != erin.ID {
		t.Fatalf("move: %+v, %v", o, err)
	}
	checkSent(t, e.sent(t), []sent{{"Move", "acme", bob.SharedInbox}, {"Update", "acme", bob.SharedInbox}})
	for _, d := range e.queue(t) {
		if a := e.activity(t, d.ActivityID); a.Type == "Move" && (a.ObjectID != e.u.Actor("acme") || a.Target != erin.ID) {
			t.Errorf("Move object %s target %s, want %s and %s", a.ObjectID, a.Target, e.u.Actor("acme"), erin.ID)
		}
	}
	if _, err := e.svc.Publish(ctx, asAdmin, "acme", projectInput()); validationFields(t, err) == nil {
		t.Error("a moved organisation published")
	}
}

// An organisation moves to another organisation of the same instance: its
// local followers follow the new one at once; nothing is fetched.
func TestMoveOrgLocal(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if _, err := e.svc.CreateOrg(ctx, asAdmin, model.Org{Name: "second", Profile: model.Profile{DisplayName: "Second"}}); err != nil {
		t.Fatal(err)
	}
	acme, second := e.u.Actor("acme"), e.u.Actor("second")
	e.update(t, func(tx *store.Tx) error {
		return tx.PutFollowing(model.InstanceName, model.Following{Target: acme, FollowID: e.u.Activity("f1"), State: model.FollowAccepted, Since: t0})
	})
	if _, err := e.svc.SetAliases(ctx, asAdmin, "second", []string{acme}); err != nil {
		t.Fatal(err)
	}
	e.clearQueue(t)
	if _, err := e.svc.MoveOrg(ctx, asAdmin, "acme", "second@"+e.u.Host()); err != nil {
		t.Fatal(err)
	}
	if len(e.resolve.calls) != 0 {
		t.Errorf("resolved %v for a local target", e.resolve.calls)
	}
	if f, ok := e.followState(t, model.InstanceName, second); !ok || f.State != model.FollowPending {
		t.Errorf("instance's follow of second = %+v (%v), want pending", f, ok)
	}
	if _, ok := e.followState(t, model.InstanceName, acme); ok {
		t.Error("instance still follows acme")
	}
	checkSent(t, e.sent(t), []sent{{"Follow", model.InstanceName, e.u.Inbox("second")}, {"Undo", model.InstanceName, e.u.Inbox("acme")}})
}

// Each try of a Move fetches its target: one origin's Moves are tried at
// most once in moveRetryAfter, and the ones in between are rate limited
// (429, which senders retry), not refused.
func TestReceiveMoveRetry(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.addFollowing(t, "acme", bob, model.FollowAccepted)
	e.resolve.actors[dave.ID] = dave // does not list bob yet
	if err := e.svc.ReceiveMove(ctx, bob.ID+"#moves/1", bob.ID, dave.ID); !errors.Is(err, ErrForbidden) {
		t.Fatalf("move to an actor without the alias: %v, want forbidden", err)
	}
	e.resolve.actors[dave.ID] = aliased(dave, bob.ID)
	err := e.svc.ReceiveMove(ctx, bob.ID+"#moves/2", bob.ID, dave.ID)
	if errs.KindOf(err) != errs.RateLimited || len(e.resolve.calls) != 1 {
		t.Fatalf("second try at once: %v after %d fetches, want rate limited after 1", err, len(e.resolve.calls))
	}
	e.clock.Advance(moveRetryAfter)
	if err := e.svc.ReceiveMove(ctx, bob.ID+"#moves/2", bob.ID, dave.ID); err != nil {
		t.Fatalf("retry %s later: %v", moveRetryAfter, err)
	}
	if _, ok := e.followState(t, "acme", dave.ID); !ok {
		t.Error("the retried move was not applied")
	}
}
