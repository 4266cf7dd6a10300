package service

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
)

func TestReceiveFlag(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	o := e.publish(t, "acme", projectInput())
	acme := e.u.Actor("acme")
	// Mastodon's shape: the reported account first, then statuses; IRIs
	// that are not ours are dropped.
	err := e.svc.ReceiveFlag(ctx, "https://p.example/flags/1", peer.ID,
		[]string{acme, o.ID, "https://elsewhere.example/statuses/1"}, "  Spam, again.  ")
	if err != nil {
		t.Fatalf("ReceiveFlag: %v", err)
	}
	// Redelivered: recorded once.
	if err := e.svc.ReceiveFlag(ctx, "https://p.example/flags/1", peer.ID, []string{acme}, "x"); err != nil {
		t.Fatal(err)
	}
	// About an object only: the target is its author.
	if err := e.svc.ReceiveFlag(ctx, "https://p.example/flags/2", peer.ID, []string{o.ID}, ""); err != nil {
		t.Fatal(err)
	}
	// About nothing of ours, and from a blocked server: ignored.
	if err := e.svc.ReceiveFlag(ctx, "https://p.example/flags/3", peer.ID, []string{"https://x.example/u"}, "x"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Block(ctx, asAdmin, "d.example"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ReceiveFlag(ctx, "https://d.example/flags/1", dave.ID, []string{acme}, "x"); err != nil {
		t.Fatal(err)
	}
	// A long comment is cut.
	long := strings.Repeat("é", MaxReportComment+10)
	if err := e.svc.ReceiveFlag(ctx, "https://p.example/flags/4", peer.ID, []string{acme}, long); err != nil {
		t.Fatal(err)
	}

	rs, err := e.svc.Reports(ctx, asAdmin)
	if err != nil || len(rs) != 3 {
		t.Fatalf("Reports = %+v, %v; want 3", rs, err)
	}
	if got := []rune(rs[0].Comment); len(got) != MaxReportComment {
		t.Errorf("long comment kept %d characters, want %d", len(got), MaxReportComment)
	}
	if rs[1].Target != acme || len(rs[1].Objects) != 1 {
		t.Errorf("report about an object = %+v", rs[1])
	}
	r := rs[2]
	if r.Actor != peer.ID || r.Target != acme || !slices.Equal(r.Objects, []string{o.ID}) ||
		r.Comment != "Spam, again." || r.Local || r.Activity != "https://p.example/flags/1" || !r.Received.Equal(t0) {
		t.Errorf("report = %+v", r)
	}
}

func TestReport(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.addFollowing(t, "acme", peerOrg, model.FollowAccepted)
	obj := remoteObject(peerOrg, 1, t0)
	e.clearQueue(t)

	r, err := e.svc.Report(ctx, asAdmin, ReportInput{Actor: "zed@p.example", Objects: []string{obj.ID}, Comment: " Not a cooperative. ", Forward: true})
	if err != nil {
		t.Fatalf("Report: %v", err)
	}
	if r.ID == 0 || !r.Local || !r.Sent || r.Target != peerOrg.ID || r.Actor != e.u.Actor(model.InstanceName) ||
		r.Comment != "Not a cooperative." || !strings.HasPrefix(r.Activity, "https://local.example/flags/") {
		t.Errorf("report = %+v", r)
	}
	checkSent(t, e.sent(t), []sent{{"Flag", model.InstanceName, peerOrg.Inbox}})
	a := e.activity(t, r.Activity)
	if a.Flag == nil || !slices.Equal(a.Flag.Objects, []string{peerOrg.ID, obj.ID}) || a.Flag.Content != "Not a cooperative." {
		t.Errorf("Flag activity = %+v", a)
	}
	if len(e.outbox(t, model.InstanceName)) != 0 {
		t.Error("the Flag is in the instance actor's outbox")
	}

	// Kept here only: nothing sent. An unknown actor is resolved.
	e.clearQueue(t)
	e.resolve.actors[dave.ID] = dave
	if r, err := e.svc.Report(ctx, asAdmin, ReportInput{Actor: dave.ID}); err != nil || r.Sent {
		t.Errorf("Report without forward = %+v, %v", r, err)
	}
	if got := e.sent(t); len(got) != 0 {
		t.Errorf("a report kept here sent %+v", got)
	}

	tests := []struct {
		name string
		in   ReportInput
		want string
	}{
		{"no actor", ReportInput{}, "actor"},
		{"local actor", ReportInput{Actor: e.u.Actor("acme")}, "actor"},
		{"object elsewhere", ReportInput{Actor: peerOrg.ID, Objects: []string{"https://other.example/x"}}, "objects"},
		{"object not an IRI", ReportInput{Actor: peerOrg.ID, Objects: []string{"hello"}}, "objects"},
		{"comment too long", ReportInput{Actor: peerOrg.ID, Comment: strings.Repeat("x", MaxReportComment+1)}, "comment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.Report(ctx, asAdmin, tt.in)
			if got := validationFields(t, err); !slices.Equal(got, []string{tt.want}) {
				t.Errorf("fields = %q, want %s", got, tt.want)
			}
		})
	}
	if _, err := e.svc.Report(ctx, asAdmin, ReportInput{Actor: "ghost@nowhere.example"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown actor: err = %v, want ErrNotFound", err)
	}
	// A blocked server is sent nothing, not even a report.
	if _, err := e.svc.Block(ctx, asAdmin, "p.example"); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Report(ctx, asAdmin, ReportInput{Actor: peerOrg.ID, Forward: true})
	if got := validationFields(t, err); !slices.Equal(got, []string{"forward"}) {
		t.Errorf("forward to a blocked server: fields = %q", got)
	}
	if rs, _ := e.svc.Reports(ctx, asAdmin); len(rs) != 2 {
		t.Errorf("%d reports stored, want 2", len(rs))
	}
}

func TestSetup(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if has, err := e.svc.HasAdmins(ctx); has || err != nil {
		t.Fatalf("HasAdmins = %v, %v on a new store", has, err)
	}
	e.addFollower(t, "acme", bob, false)
	e.clearQueue(t)
	_, err := e.svc.Setup(ctx, "acme", SetupInput{Username: "Alice!", Password: "short", PasswordAgain: "other",
		DisplayName: "", Country: "France", Sectors: []string{"nonsense"}})
	want := []string{"country", "display_name", "password", "password_again", "sectors", "username"}
	if got := validationFields(t, err); !slices.Equal(got, want) {
		t.Errorf("fields = %q, want %q", got, want)
	}
	if has, _ := e.svc.HasAdmins(ctx); has {
		t.Fatal("a refused setup created an administrator")
	}
	in := SetupInput{Username: " alice ", Password: "correct horse battery", PasswordAgain: "correct horse battery",
		DisplayName: " Acme Coop ", Country: "fr", Sectors: []string{"energy"}}
	a, err := e.svc.Setup(ctx, "acme", in)
	if err != nil || a.Username != "alice" {
		t.Fatalf("Setup = %+v, %v", a, err)
	}
	if err := e.svc.CheckLogin(ctx, "alice", "correct horse battery"); err != nil {
		t.Errorf("CheckLogin after setup: %v", err)
	}
	o, _ := e.svc.Org(ctx, "acme")
	if o.DisplayName != "Acme Coop" || o.Country != "FR" || !slices.Equal(o.Sectors, []string{"energy"}) {
		t.Errorf("org after setup = %+v", o.Profile)
	}
	checkSent(t, e.sent(t), []sent{{"Update", "acme", bob.SharedInbox}})
	in.Username = "mallory"
	if _, err := e.svc.Setup(ctx, "acme", in); !errors.Is(err, ErrConflict) {
		t.Errorf("second Setup: err = %v, want ErrConflict", err)
	}
	// A first organisation renamed since: only the administrator is made.
	e2 := newTestEnv(t)
	if _, err := e2.svc.Setup(ctx, "gone", SetupInput{Username: "bob", Password: "correct horse battery",
		PasswordAgain: "correct horse battery"}); err != nil {
		t.Errorf("Setup without the organisation: %v", err)
	}
}
