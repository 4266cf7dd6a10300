package service

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

func TestReplyToRemoteObject(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.addFollowing(t, "acme", peerOrg, model.FollowAccepted)
	remote := remoteObject(peerOrg, 1, t0)
	if err := e.svc.ReceiveObject(ctx, "https://p.example/activities/1", peerOrg.ID, "", remote); err != nil {
		t.Fatal(err)
	}
	// Followers: dave (own host), and yan, who shares the author's inbox.
	e.addFollower(t, "acme", dave, false)
	e.addFollower(t, "acme", yan, false)
	e.addFollower(t, "acme", erin, true)
	pokes := e.pokes.Load()

	r, err := e.svc.Reply(ctx, asAdmin, "acme", remote.ID, "  Count us in!  ")
	if err != nil {
		t.Fatalf("Reply: %v", err)
	}
	if !strings.HasPrefix(r.ID, "https://local.example/orgs/acme/notes/") || r.URL != r.ID {
		t.Errorf("reply ID %q URL %q", r.ID, r.URL)
	}
	if r.Text != "Count us in!" || !r.Local || r.Actor != e.u.Actor("acme") || r.InReplyTo != remote.ID {
		t.Errorf("reply = %+v", r)
	}
	if r.ToActor != peerOrg.ID || r.ToHandle != "zed@p.example" {
		t.Errorf("reply to %q (%q), want %s (zed@p.example)", r.ToActor, r.ToHandle, peerOrg.ID)
	}
	if got, err := e.svc.LocalReply(ctx, r.ID); err != nil || got.Text != r.Text {
		t.Errorf("LocalReply = %+v, %v", got, err)
	}
	if rs, _ := e.svc.Replies(ctx, remote.ID); len(rs) != 1 || rs[0].ID != r.ID {
		t.Errorf("Replies(remote) = %+v, want the local reply", rs)
	}

	out := e.outbox(t, "acme")
	if len(out) != 1 || out[0].Type != "Create" || out[0].Reply == nil || out[0].ObjectID != r.ID {
		t.Fatalf("acme outbox = %+v, want a Create of the reply", out)
	}
	if want := []string{peerOrg.ID, e.u.Followers("acme")}; !slices.Equal(out[0].CC, want) {
		t.Errorf("CC = %q, want %q", out[0].CC, want)
	}
	// The author's (shared) inbox once, the followers' inboxes, no Announce.
	checkSent(t, e.sent(t), []sent{
		{"Create", "acme", "https://d.example/inbox"},
		{"Create", "acme", "https://p.example/inbox"},
	})
	if got := e.pokes.Load() - pokes; got != 1 {
		t.Errorf("pokes = %d, want 1", got)
	}
}

func TestReplyAuthorWithoutSharedInbox(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.addFollowing(t, "acme", erin, model.FollowAccepted)
	remote := remoteObject(erin, 1, t0)
	if err := e.svc.ReceiveObject(ctx, "https://e.example/activities/1", erin.ID, "", remote); err != nil {
		t.Fatal(err)
	}
	e.addFollower(t, "acme", bob, false)
	if _, err := e.svc.Reply(ctx, asAdmin, "acme", remote.ID, "hello"); err != nil {
		t.Fatal(err)
	}
	checkSent(t, e.sent(t), []sent{{"Create", "acme", erin.Inbox}, {"Create", "acme", bob.SharedInbox}})
}

func TestReplyToLocalObject(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if _, err := e.svc.CreateOrg(ctx, asAdmin, model.Org{Name: "beta", Profile: model.Profile{DisplayName: "Beta"}}); err != nil {
		t.Fatal(err)
	}
	o := e.publish(t, "acme", projectInput())
	e.clearQueue(t)
	e.addFollower(t, "beta", bob, false)
	r, err := e.svc.Reply(ctx, asAdmin, "beta", o.ID, "Nice project")
	if err != nil {
		t.Fatal(err)
	}
	if r.ToActor != e.u.Actor("acme") || r.ToHandle != "acme@local.example" {
		t.Errorf("reply to %q (%q)", r.ToActor, r.ToHandle)
	}
	// The local author is not sent anything over HTTP.
	checkSent(t, e.sent(t), []sent{{"Create", "beta", bob.SharedInbox}})
	if c, _ := e.svc.Counts(ctx, o.ID); c.Replies != 1 {
		t.Errorf("Counts.Replies = %d, want 1", c.Replies)
	}
}

func TestReplyRefusals(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	o := e.publish(t, "acme", projectInput())
	gone := e.publish(t, "acme", callInput())
	if err := e.svc.Delete(ctx, asAdmin, "acme", gone.ID); err != nil {
		t.Fatal(err)
	}
	// A remote object whose author is not stored.
	orphan := remoteObject(dave, 1, t0)
	e.update(t, func(tx *store.Tx) error { return tx.PutObject(orphan) })
	e.clearQueue(t)
	before := len(e.outbox(t, "acme"))

	tests := []struct {
		name, org, id, text string
		wantErr             error
		wantFields          []string
	}{
		{"empty text", "acme", o.ID, "   ", nil, []string{"text"}},
		{"text too long", "acme", o.ID, strings.Repeat("é", MaxReplyText+1), nil, []string{"text"}},
		{"unknown org", "ghost", o.ID, "hi", ErrNotFound, nil},
		{"unknown object", "acme", o.ID + "x", "hi", ErrNotFound, nil},
		{"deleted object", "acme", gone.ID, "hi", ErrNotFound, nil},
		{"author unknown", "acme", orphan.ID, "hi", ErrNotFound, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.Reply(ctx, asAdmin, tt.org, tt.id, tt.text)
			if err == nil {
				t.Fatal("Reply succeeded, want an error")
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
	if _, err := e.svc.Reply(ctx, asAdmin, "acme", o.ID, strings.Repeat("é", MaxReplyText)); err != nil {
		t.Errorf("Reply of exactly %d characters: %v", MaxReplyText, err)
	}
	if got := len(e.outbox(t, "acme")) - before; got != 1 {
		t.Errorf("outbox grew by %d, want 1 (refused replies add nothing)", got)
	}
}
