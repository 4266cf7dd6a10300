package service

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

func TestPublishValidation(t *testing.T) {
	tests := []struct {
		name   string
		change func(in *ObjectInput)
		want   []string
	}{
		{"no title", func(in *ObjectInput) { in.Title = "   " }, []string{"title"}},
		{"no sectors", func(in *ObjectInput) { in.Sectors = nil }, []string{"sectors"}},
		{"unknown sector and kind", func(in *ObjectInput) { in.Kind, in.Sectors = "event", []string{"space"} }, []string{"kind", "sectors"}},
		{"note cannot be published", func(in *ObjectInput) { in.Kind = model.KindNote }, []string{"kind"}},
		{"project with a deadline", func(in *ObjectInput) { in.Deadline = Time(t0) }, []string{"kind"}},
		{"project with a call status", func(in *ObjectInput) { in.Status = "open" }, []string{"status"}},
		{"end before start", func(in *ObjectInput) { in.StartTime, in.EndTime = Time(t0), Time(t0.Add(-time.Hour)) }, []string{"end_time"}},
		{"bad country", func(in *ObjectInput) { in.Location = &model.Place{Country: "france"} }, []string{"location"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			e.addFollower(t, "acme", bob, false)
			in := projectInput()
			tt.change(&in)
			_, err := e.svc.Publish(context.Background(), asAdmin, "acme", in)
			if got := validationFields(t, err); !slices.Equal(got, tt.want) {
				t.Errorf("fields = %q, want %q", got, tt.want)
			}
			if objs, _ := e.svc.ObjectsBy(context.Background(), e.u.Actor("acme")); len(objs) != 0 {
				t.Errorf("invalid input stored %d objects", len(objs))
			}
			if q := e.queue(t); len(q) != 0 {
				t.Errorf("invalid input queued %d deliveries", len(q))
			}
			if got := e.pokes.Load(); got != 0 {
				t.Errorf("pokes = %d, want 0", got)
			}
		})
	}
}

func TestPublishUnknownOrg(t *testing.T) {
	e := newTestEnv(t)
	_, err := e.svc.Publish(context.Background(), asAdmin, "nobody", projectInput())
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("Publish for an unknown org: err = %v, want ErrNotFound", err)
	}
	if len(e.render.types()) != 0 || len(e.queue(t)) != 0 {
		t.Errorf("Publish for an unknown org rendered %q and queued %d", e.render.types(), len(e.queue(t)))
	}
}

func TestPublish(t *testing.T) {
	e := newTestEnv(t)
	// Three followers on two hosts with shared inboxes, one without a
	// shared inbox, one pending, and a local org (our own shared inbox).
	for _, a := range []model.Actor{bob, carol, dave, erin} {
		e.addFollower(t, "acme", a, false)
	}
	e.addFollower(t, "acme", frank, true)
	e.update(t, func(tx *store.Tx) error {
		return tx.PutFollower("acme", model.Follower{Actor: e.u.Actor("beta"), Inbox: e.u.Inbox("beta"),
			SharedInbox: e.u.SharedInbox(), FollowID: e.u.Activity("beta-follows-acme")})
	})
	e.addFollower(t, model.InstanceName, peer, false)

	o := e.publish(t, "acme", projectInput())

	now := t0.Truncate(time.Second)
	if !strings.HasPrefix(o.ID, "https://local.example/orgs/acme/projects/") {
		t.Errorf("ID = %q", o.ID)
	}
	if o.URL != o.ID || o.AttributedTo != e.u.Actor("acme") || !o.Local {
		t.Errorf("URL %q, AttributedTo %q, Local %t", o.URL, o.AttributedTo, o.Local)
	}
	if o.Title != "Solar roofs" || o.Status != "active" || o.Location.Country != "FR" {
		t.Errorf("Title %q, Status %q, Country %q; want trimmed title, default status, upper-case country",
			o.Title, o.Status, o.Location.Country)
	}
	if !o.Published.Equal(now) || !o.Updated.Equal(now) {
		t.Errorf("Published %s, Updated %s, want %s", o.Published, o.Updated, now)
	}
	if stored := e.object(t, o.ID); stored.Title != o.Title || !stored.Local {
		t.Errorf("stored object = %+v", stored)
	}

	out := e.outbox(t, "acme")
	if len(out) != 1 || out[0].Type != "Create" || out[0].ObjectID != o.ID || out[0].Object == nil || out[0].Object.Title != o.Title {
		t.Fatalf("acme outbox = %+v, want one Create of the object", out)
	}
	create := out[0]
	if !slices.Equal(create.To, []string{PublicIRI}) || !slices.Equal(create.CC, []string{e.u.Followers("acme")}) {
		t.Errorf("Create To %q CC %q", create.To, create.CC)
	}
	inst := e.outbox(t, model.InstanceName)
	if len(inst) != 1 || inst[0].Type != "Announce" || inst[0].ObjectID != o.ID || inst[0].Inner != nil {
		t.Fatalf("instance outbox = %+v, want one Announce of the object's IRI (a boost)", inst)
	}

	checkSent(t, e.sent(t), []sent{
		{"Create", "acme", "https://b.example/inbox"},
		{"Create", "acme", "https://d.example/inbox"},
		{"Create", "acme", erin.Inbox},
		{"Create", "acme", "https://p.example/inbox"}, // the instance's followers get the Create itself
		{"Announce", model.InstanceName, "https://p.example/inbox"},
	})
	for _, d := range e.queue(t) {
		if !d.Created.Equal(t0) || !d.NextAttempt.Equal(t0) || d.Attempts != 0 {
			t.Errorf("delivery %+v, want created and due at %s", d, t0)
		}
	}
	if got, want := e.render.types(), []string{"Create", "Announce"}; !slices.Equal(got, want) {
		t.Errorf("rendered %q, want %q", got, want)
	}
	if got := e.pokes.Load(); got != 1 {
		t.Errorf("pokes = %d, want 1", got)
	}
}

func TestPublishCallDefaults(t *testing.T) {
	e := newTestEnv(t)
	o := e.publish(t, "acme", callInput())
	if o.Kind != model.KindCall || o.Status != "open" || !strings.Contains(o.ID, "/orgs/acme/calls/") {
		t.Errorf("call = kind %q status %q id %q", o.Kind, o.Status, o.ID)
	}
	if o.Deadline == nil || !o.Deadline.Equal(t0.Add(30*24*time.Hour)) {
		t.Errorf("Deadline = %v", o.Deadline)
	}
}

func TestPublishOnlyPendingFollowers(t *testing.T) {
	e := newTestEnv(t)
	e.addFollower(t, "acme", bob, true)
	e.addFollower(t, model.InstanceName, peer, true)
	e.publish(t, "acme", projectInput())
	if got := e.sent(t); len(got) != 0 {
		t.Errorf("deliveries to pending followers: %+v", got)
	}
	// Both activities are still recorded in the outboxes.
	if got := outboxTypes(e.outbox(t, "acme")); !slices.Equal(got, []string{"Create"}) {
		t.Errorf("acme outbox = %q, want [Create]", got)
	}
}

func TestPublishNewestFirstWithinASecond(t *testing.T) {
	e := newTestEnv(t)
	var want []string
	for range 20 {
		e.clock.Advance(time.Millisecond)
		o := e.publish(t, "acme", projectInput())
		want = append([]string{o.ID}, want...)
	}
	objs, err := e.svc.ObjectsBy(context.Background(), e.u.Actor("acme"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range objs {
		got = append(got, o.ID)
	}
	if !slices.Equal(got, want) {
		t.Errorf("ObjectsBy order =\n%q\nwant newest first\n%q", got, want)
	}
}

func TestEdit(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.addFollower(t, "acme", bob, false)
	o := e.publish(t, "acme", projectInput())
	e.clearQueue(t)

	// Same second as the publication: updated still moves forward.
	in := projectInput()
	in.Title = "Solar roofs v2"
	prev := o.Updated
	for i := range 3 {
		got, err := e.svc.Edit(ctx, asAdmin, "acme", o.ID, in)
		if err != nil {
			t.Fatalf("Edit %d: %v", i, err)
		}
		if !got.Updated.After(prev) {
			t.Errorf("Edit %d: Updated %s, not after %s", i, got.Updated, prev)
		}
		if got.Updated.Nanosecond() != 0 {
			t.Errorf("Edit %d: Updated %s carries sub-seconds", i, got.Updated)
		}
		prev = got.Updated
	}
	// Later: updated is the clock's second.
	e.clock.Advance(time.Hour)
	got, err := e.svc.Edit(ctx, asAdmin, "acme", o.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if want := t0.Add(time.Hour).Truncate(time.Second); !got.Updated.Equal(want) {
		t.Errorf("Updated = %s, want %s", got.Updated, want)
	}
	if got.ID != o.ID || !got.Published.Equal(o.Published) || got.Title != "Solar roofs v2" {
		t.Errorf("edited object = %+v", got)
	}
	if stored := e.object(t, o.ID); stored.Title != "Solar roofs v2" || !stored.Updated.Equal(got.Updated) {
		t.Errorf("stored = %q updated %s", stored.Title, stored.Updated)
	}
	if got := outboxTypes(e.outbox(t, "acme")); !slices.Equal(got, []string{"Update", "Update", "Update", "Update", "Create"}) {
		t.Errorf("acme outbox = %q", got)
	}
	// Four Updates to bob; their Announces reach no one (the instance has
	// no followers) and queue nothing.
	upd := sent{"Update", "acme", bob.SharedInbox}
	checkSent(t, e.sent(t), []sent{upd, upd, upd, upd})
}

func TestEditRefusals(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if _, err := e.svc.CreateOrg(ctx, asAdmin, model.Org{Name: "beta", Profile: model.Profile{DisplayName: "Beta"}}); err != nil {
		t.Fatal(err)
	}
	o := e.publish(t, "acme", projectInput())
	gone := e.publish(t, "acme", projectInput())
	if err := e.svc.Delete(ctx, asAdmin, "acme", gone.ID); err != nil {
		t.Fatal(err)
	}
	remote := remoteObject(peerOrg, 1, t0)
	e.update(t, func(tx *store.Tx) error { return tx.PutObject(remote) })
	before := len(e.outbox(t, "acme"))

	asCall := callInput()
	noTitle := projectInput()
	noTitle.Title = ""
	tests := []struct {
		name       string
		org, id    string
		in         ObjectInput
		wantErr    error
		wantFields []string
	}{
		{"change kind", "acme", o.ID, asCall, nil, []string{"kind"}},
		{"invalid input", "acme", o.ID, noTitle, nil, []string{"title"}},
		{"another org's object", "beta", o.ID, projectInput(), ErrForbidden, nil},
		{"remote object", "acme", remote.ID, projectInput(), ErrForbidden, nil},
		{"unknown object", "acme", o.ID + "x", projectInput(), ErrNotFound, nil},
		{"deleted object", "acme", gone.ID, projectInput(), ErrNotFound, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.Edit(ctx, asAdmin, tt.org, tt.id, tt.in)
			if err == nil {
				t.Fatal("Edit succeeded, want an error")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantFields != nil {
				if got := validationFields(t, err); !slices.Equal(got, tt.wantFields) {
					t.Errorf("fields = %q, want %q", got, tt.wantFields)
				}
			}
		})
	}
	if stored := e.object(t, o.ID); stored.Kind != model.KindProject || stored.Title != o.Title || !stored.Updated.Equal(o.Updated) {
		t.Errorf("object changed by refused edits: %+v", stored)
	}
	if after := len(e.outbox(t, "acme")); after != before {
		t.Errorf("refused edits added %d outbox activities", after-before)
	}
}

func TestDelete(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if _, err := e.svc.CreateOrg(ctx, asAdmin, model.Org{Name: "beta", Profile: model.Profile{DisplayName: "Beta"}}); err != nil {
		t.Fatal(err)
	}
	e.addFollower(t, "acme", bob, false)
	e.addFollower(t, model.InstanceName, peer, false)
	o := e.publish(t, "acme", projectInput())
	e.clearQueue(t)
	pokes := e.pokes.Load()

	if err := e.svc.Delete(ctx, asAdmin, "beta", o.ID); !errors.Is(err, ErrForbidden) {
		t.Errorf("Delete by another org: err = %v, want ErrForbidden", err)
	}
	e.clock.Advance(time.Minute)
	if err := e.svc.Delete(ctx, asAdmin, "acme", o.ID); err != nil {
		t.Fatalf("Delete: %v", err)
	}

	tomb := e.object(t, o.ID)
	if want := t0.Add(time.Minute).Truncate(time.Second); !tomb.IsDeleted() || !tomb.Deleted.Equal(want) {
		t.Errorf("Deleted = %s, want %s", tomb.Deleted, want)
	}
	if live, _ := e.svc.ObjectsBy(ctx, e.u.Actor("acme")); len(live) != 0 {
		t.Errorf("ObjectsBy lists %d objects after Delete, want 0", len(live))
	}
	out := e.outbox(t, "acme")
	if len(out) != 2 || out[0].Type != "Delete" || out[0].ObjectID != o.ID || out[0].Object != nil {
		t.Errorf("newest outbox activity = %+v, want a Delete of %s without the object", out[0], o.ID)
	}
	checkSent(t, e.sent(t), []sent{ // signed by the author, to its followers and the instance's
		{"Delete", "acme", bob.SharedInbox},
		{"Delete", "acme", peer.SharedInbox},
	})
	if got := e.pokes.Load() - pokes; got != 1 {
		t.Errorf("pokes = %d, want 1", got)
	}

	if err := e.svc.Delete(ctx, asAdmin, "acme", o.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Delete: err = %v, want ErrNotFound", err)
	}
	if err := e.svc.Delete(ctx, asAdmin, "acme", o.ID+"x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Delete unknown: err = %v, want ErrNotFound", err)
	}
}
