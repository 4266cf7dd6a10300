package service

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// yan is a second organisation on the peer instance, not followed directly.
var yan = model.Actor{ID: "https://p.example/orgs/yan", Type: "Organization", Username: "yan", Host: "p.example",
	Inbox: "https://p.example/orgs/yan/inbox", SharedInbox: "https://p.example/inbox"}

func TestReceiveObjectRelevance(t *testing.T) {
	q := model.Actor{ID: "https://q.example/actor", Username: "instance", Host: "q.example", Inbox: "https://q.example/actor/inbox"}
	qOrg := model.Actor{ID: "https://q.example/orgs/x", Username: "x", Host: "q.example", Inbox: "https://q.example/orgs/x/inbox"}
	tests := []struct {
		name       string
		setup      func(t *testing.T, e *testEnv)
		actor, via model.Actor
		want       bool
	}{
		{"followed by an org", func(t *testing.T, e *testEnv) { e.addFollowing(t, "acme", peerOrg, model.FollowAccepted) },
			peerOrg, model.Actor{}, true},
		{"followed by the instance actor", func(t *testing.T, e *testEnv) { e.addFollowing(t, model.InstanceName, dave, model.FollowAccepted) },
			dave, model.Actor{}, true},
		{"follow still pending", func(t *testing.T, e *testEnv) { e.addFollowing(t, "acme", peerOrg, model.FollowPending) },
			peerOrg, model.Actor{}, false},
		{"not followed", func(t *testing.T, e *testEnv) { e.addFollowing(t, "acme", dave, model.FollowAccepted) },
			bob, model.Actor{}, false},
		{"via a followed instance actor of the same host", func(t *testing.T, e *testEnv) { e.addFollowing(t, model.InstanceName, peer, model.FollowAccepted) },
			yan, peer, true},
		{"via a followed instance actor of another host", func(t *testing.T, e *testEnv) { e.addFollowing(t, model.InstanceName, peer, model.FollowAccepted) },
			dave, peer, false},
		{"via an instance actor not followed", func(t *testing.T, e *testEnv) { e.addFollowing(t, model.InstanceName, peer, model.FollowAccepted) },
			qOrg, q, false},
		{"via a pending instance follow", func(t *testing.T, e *testEnv) { e.addFollowing(t, model.InstanceName, peer, model.FollowPending) },
			yan, peer, false},
		{"via a followed instance that is not the actor's, actor followed", func(t *testing.T, e *testEnv) {
			e.addFollowing(t, "acme", dave, model.FollowAccepted)
		}, dave, peer, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			tt.setup(t, e)
			o := remoteObject(tt.actor, 1, t0)
			err := e.svc.ReceiveObject(context.Background(), tt.actor.ID+"/activities/1", tt.actor.ID, tt.via.ID, o)
			if err != nil {
				t.Fatalf("ReceiveObject: %v", err)
			}
			if got := e.hasObject(t, o.ID); got != tt.want {
				t.Errorf("stored = %t, want %t", got, tt.want)
			}
			if tt.want {
				if got := e.object(t, o.ID); got.Local || got.Title != o.Title {
					t.Errorf("stored object = %+v", got)
				}
				objs, _ := e.svc.ObjectsBy(context.Background(), tt.actor.ID)
				if len(objs) != 1 {
					t.Errorf("ObjectsBy(actor) lists %d objects, want 1", len(objs))
				}
			}
		})
	}
}

func TestReceiveObjectRefusals(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.addFollowing(t, "acme", peerOrg, model.FollowAccepted)
	e.addFollowing(t, "acme", bob, model.FollowAccepted)

	byOther := remoteObject(peerOrg, 1, t0)
	byOther.AttributedTo = yan.ID
	otherHost := remoteObject(peerOrg, 2, t0)
	otherHost.ID = "https://b.example/projects/2"
	invalid := remoteObject(peerOrg, 3, t0)
	invalid.Title = ""
	tests := []struct {
		name       string
		actor      string
		o          model.Object
		wantErr    error
		wantFields []string
	}{
		{"attributed to another actor", peerOrg.ID, byOther, ErrForbidden, nil},
		{"attributed to another actor, via", peerOrg.ID, remoteObject(yan, 1, t0), ErrForbidden, nil},
		{"id on another host", peerOrg.ID, otherHost, ErrForbidden, nil},
		{"local-looking id", bob.ID, model.Object{ID: "https://local.example/orgs/acme/projects/x", AttributedTo: bob.ID}, ErrForbidden, nil},
		{"invalid object", peerOrg.ID, invalid, nil, []string{"title"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.svc.ReceiveObject(ctx, tt.o.ID+"#create", tt.actor, "", tt.o)
			if err == nil {
				t.Fatal("ReceiveObject succeeded, want an error")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantFields != nil {
				if got := validationFields(t, err); !slices.Equal(got, tt.wantFields) {
					t.Errorf("fields = %q, want %q", got, tt.wantFields)
				}
			}
			if e.hasObject(t, tt.o.ID) {
				t.Errorf("refused object %s was stored", tt.o.ID)
			}
		})
	}
}

func TestReceiveObjectNoteAndLocalFlag(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.addFollowing(t, "acme", bob, model.FollowAccepted)
	note := model.Object{ID: bob.ID + "/statuses/1", Kind: model.KindNote, AttributedTo: bob.ID, Content: "<p>hi</p>", Published: t0}
	if err := e.svc.ReceiveObject(ctx, bob.ID+"/statuses/1/activity", bob.ID, "", note); err != nil {
		t.Fatalf("ReceiveObject(note): %v", err)
	}
	if !e.hasObject(t, note.ID) {
		t.Error("note from a followed account not stored")
	}
	claimsLocal := remoteObject(bob, 1, t0)
	claimsLocal.Local = true
	if err := e.svc.ReceiveObject(ctx, bob.ID+"/activities/2", bob.ID, "", claimsLocal); err != nil {
		t.Fatalf("ReceiveObject: %v", err)
	}
	if got := e.object(t, claimsLocal.ID); got.Local {
		t.Error("received object stored as Local")
	}
}

func TestReceiveObjectUpdates(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.addFollowing(t, "acme", peerOrg, model.FollowAccepted)
	n := 0
	receive := func(title string, updated time.Time) {
		t.Helper()
		n++
		o := remoteObject(peerOrg, 1, updated)
		o.Title = title
		if err := e.svc.ReceiveObject(ctx, peerOrg.ID+"/activities/"+title, peerOrg.ID, "", o); err != nil {
			t.Fatalf("ReceiveObject(%s): %v", title, err)
		}
	}
	id := remoteObject(peerOrg, 1, t0).ID
	title := func() string { t.Helper(); return e.object(t, id).Title }

	receive("v1", t0)
	tests := []struct {
		name, title string
		updated     time.Time
		want        string
	}{
		{"same updated is a repeat", "same", t0, "v1"},
		{"older updated is stale", "older", t0.Add(-time.Minute), "v1"},
		{"newer updated applies", "v2", t0.Add(time.Minute), "v2"},
		{"stale after an applied update", "v1-late", t0.Add(30 * time.Second), "v2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			receive(tt.title, tt.updated)
			if got := title(); got != tt.want {
				t.Errorf("title = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestReceiveObjectTombstoneNotRevived(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.addFollowing(t, "acme", peerOrg, model.FollowAccepted)
	tomb := remoteObject(peerOrg, 1, t0)
	tomb.Deleted = t0
	e.update(t, func(tx *store.Tx) error { return tx.PutObject(tomb) })
	o := remoteObject(peerOrg, 1, t0.Add(time.Hour))
	o.Title = "revived"
	if err := e.svc.ReceiveObject(ctx, peerOrg.ID+"/activities/late", peerOrg.ID, "", o); err != nil {
		t.Fatal(err)
	}
	if got := e.object(t, o.ID); !got.IsDeleted() || got.Title == "revived" {
		t.Errorf("tombstone replaced by %+v", got)
	}
}

func TestReceiveObjectAfterRemoteDelete(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.addFollowing(t, "acme", peerOrg, model.FollowAccepted)
	o := remoteObject(peerOrg, 1, t0)
	if err := e.svc.ReceiveObject(ctx, peerOrg.ID+"/activities/create", peerOrg.ID, "", o); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ReceiveDelete(ctx, peerOrg.ID+"/activities/delete", peerOrg.ID, o.ID); err != nil {
		t.Fatal(err)
	}
	late := remoteObject(peerOrg, 1, t0.Add(time.Minute))
	if err := e.svc.ReceiveObject(ctx, peerOrg.ID+"/activities/update", peerOrg.ID, "", late); err != nil {
		t.Fatal(err)
	}
	if got, err := e.svc.Object(ctx, o.ID); err == nil && !got.IsDeleted() {
		t.Errorf("deleted object revived by a late Update: %+v", got)
	}
}

func TestReceiveObjectCannotTakeOverAnotherActorsObject(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.addFollowing(t, "acme", peerOrg, model.FollowAccepted)
	e.addFollowing(t, "acme", yan, model.FollowAccepted)
	o := remoteObject(peerOrg, 1, t0)
	if err := e.svc.ReceiveObject(ctx, peerOrg.ID+"/activities/1", peerOrg.ID, "", o); err != nil {
		t.Fatal(err)
	}
	hijack := o
	hijack.AttributedTo, hijack.Title, hijack.Updated = yan.ID, "hijacked", t0.Add(time.Hour)
	err := e.svc.ReceiveObject(ctx, yan.ID+"/activities/1", yan.ID, "", hijack)
	if got := e.object(t, o.ID); got.AttributedTo != peerOrg.ID || got.Title == "hijacked" {
		t.Errorf("object after yan's update (err %v) = attributed to %s, title %q; want zed's unchanged", err, got.AttributedTo, got.Title)
	}
}

func TestReceiveDelete(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.addFollowing(t, "acme", peerOrg, model.FollowAccepted)
	local := e.publish(t, "acme", projectInput())
	o := remoteObject(peerOrg, 1, t0)
	if err := e.svc.ReceiveObject(ctx, peerOrg.ID+"/activities/1", peerOrg.ID, "", o); err != nil {
		t.Fatal(err)
	}
	reply := model.Reply{ID: peerOrg.ID + "/notes/1", InReplyTo: local.ID, Actor: peerOrg.ID, Content: "hello", Published: t0}
	if err := e.svc.ReceiveReply(ctx, reply.ID+"#create", reply.Actor, reply, testActor(reply.Actor)); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, actor, id string
		wantErr         error
	}{
		{"object by another actor of the host", yan.ID, o.ID, ErrForbidden},
		{"reply by another actor of the host", yan.ID, reply.ID, ErrForbidden},
		{"object of another host", bob.ID, o.ID, ErrForbidden},
		{"our own object", peerOrg.ID, local.ID, ErrForbidden},
		{"unknown id", peerOrg.ID, peerOrg.ID + "/projects/404", nil},
		{"reply by its author", peerOrg.ID, reply.ID, nil},
		{"object by its author", peerOrg.ID, o.ID, nil},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.svc.ReceiveDelete(ctx, peerOrg.ID+"/deletes/"+string(rune('a'+i)), tt.actor, tt.id)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
	if !e.object(t, o.ID).IsDeleted() {
		t.Error("remote object not a tombstone after its author's Delete")
	}
	if ours := e.object(t, local.ID); ours.IsDeleted() {
		t.Error("our own object was touched by a remote Delete")
	}
	if rs, _ := e.svc.Replies(ctx, local.ID); len(rs) != 0 {
		t.Errorf("replies after their author's Delete = %+v", rs)
	}
}
