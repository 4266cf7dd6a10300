package server_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/seeds"
)

const wait = 20 * time.Second

// TestNetwork runs three instances on distinct loopback addresses that
// federate over real HTTP with real signatures, in plain HTTP and in HTTPS
// with a CA made by the test.
func TestNetwork(t *testing.T) {
	t.Run("http", func(t *testing.T) { runNetwork(t, nil, "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.15") })
	t.Run("https", func(t *testing.T) {
		runNetwork(t, testenv.NewCA(t), "127.0.0.5", "127.0.0.6", "127.0.0.7", "127.0.0.16")
	})
}

func runNetwork(t *testing.T, ca *testenv.CA, ipA, ipB, ipC, ipD string) {
	a := testenv.Start(t, ipA, testenv.Options{CA: ca})
	b := testenv.Start(t, ipB, testenv.Options{CA: ca})
	c := testenv.Start(t, ipC, testenv.Options{CA: ca})

	// B follows A's organisation by handle, C by actor URL.
	follow(t, b, "coop", a.Handle("coop"))
	follow(t, c, "coop", a.Actor("coop"))
	waitAccepted(t, b, "coop", a.Actor("coop"))
	waitAccepted(t, c, "coop", a.Actor("coop"))
	var followers []model.Follower
	a.API("GET", "/api/v1/orgs/coop/followers", nil, &followers)
	if len(followers) != 2 {
		t.Fatalf("A has %d followers, want 2: %+v", len(followers), followers)
	}

	// A publishes a project and a call; B and C get every structured field.
	project := publish(t, a, "coop", projectInput())
	call := publish(t, a, "coop", callInput())
	for _, peer := range []*testenv.Instance{b, c} {
		for _, want := range []model.Object{project, call} {
			got := waitObject(t, peer, a.Actor("coop"), want.ID, func(o model.Object) bool { return true })
			compareFederated(t, peer.Host, got, want)
		}
	}

	// A edits the call: B and C see the edit.
	edited := callInput()
	edited.Title = "EXAMPLE: Looking for pilot territories (extended)"
	var callAfter model.Object
	if s := a.API("PUT", apiPath(a, call.ID), edited, &callAfter); s != http.StatusOK {
		t.Fatalf("edit: status %d", s)
	}
	for _, peer := range []*testenv.Instance{b, c} {
		got := waitObject(t, peer, a.Actor("coop"), call.ID, func(o model.Object) bool { return o.Title == edited.Title })
		compareFederated(t, peer.Host, got, callAfter)
	}

	// A deletes the project: gone from B and C, 410 on A.
	if s := a.API("DELETE", apiPath(a, project.ID), nil, nil); s != http.StatusNoContent {
		t.Fatalf("delete: status %d", s)
	}
	for _, peer := range []*testenv.Instance{b, c} {
		testenv.WaitFor(t, wait, peer.Host+" to drop the deleted project", func() bool {
			return !holds(peer, a.Actor("coop"), project.ID)
		})
	}
	if s, _ := a.Get(project.ID, "application/activity+json"); s != http.StatusGone {
		t.Errorf("GET deleted project: status %d, want 410", s)
	}

	// C answers the call; A lists the reply in the call's replies collection.
	var reply model.Reply
	if s := c.API("POST", "/api/v1/orgs/coop/replies", map[string]string{"in_reply_to": call.ID, "text": "We can be a pilot territory."}, &reply); s != http.StatusCreated {
		t.Fatalf("reply: status %d", s)
	}
	testenv.WaitFor(t, wait, "A to list C's reply", func() bool {
		var rs []model.Reply
		a.API("GET", apiPath(a, call.ID)+"/replies", nil, &rs)
		return len(rs) == 1 && rs[0].ID == reply.ID && rs[0].Actor == c.Actor("coop")
	})
	// The object embeds the first page of its replies (what GoToSocial reads).
	_, body := a.Get(call.ID, "application/activity+json")
	var note struct {
		Replies struct {
			First struct{ OrderedItems []string }
		}
	}
	if err := json.Unmarshal(body, &note); err != nil || len(note.Replies.First.OrderedItems) != 1 || note.Replies.First.OrderedItems[0] != reply.ID {
		t.Errorf("embedded replies page = %+v, want the reply %s", note.Replies, reply.ID)
	}
	_, body = a.Get(call.ID+"/replies?page=1", "application/activity+json")
	var page struct{ OrderedItems []string }
	if err := json.Unmarshal(body, &page); err != nil || len(page.OrderedItems) != 1 || page.OrderedItems[0] != reply.ID {
		t.Errorf("replies collection page = %s, want the reply %s", body, reply.ID)
	}

	// C's instance follows A's instance; what a second organisation of A,
	// which C's organisation does not follow, publishes reaches C through
	// A's instance actor.
	if s := a.API("POST", "/api/v1/orgs", map[string]any{"name": "second", "display_name": "Second coop"}, nil); s != http.StatusCreated {
		t.Fatalf("create org: status %d", s)
	}
	follow(t, c, "instance", a.Host)
	waitAccepted(t, c, "instance", a.Actor("instance"))
	viaInstance := publish(t, a, "second", callInput())
	got := waitObject(t, c, a.Actor("second"), viaInstance.ID, func(model.Object) bool { return true })
	compareFederated(t, c.Host, got, viaInstance)
	if holds(b, a.Actor("second"), viaInstance.ID) {
		t.Errorf("B holds %s although it follows neither A's instance nor its author", viaInstance.ID)
	}

	// A fourth instance following A later gets A's earlier posts from its
	// outbox (backfill), without the deleted project.
	d := testenv.Start(t, ipD, testenv.Options{CA: ca})
	follow(t, d, "coop", a.Handle("coop"))
	waitAccepted(t, d, "coop", a.Actor("coop"))
	waitObject(t, d, a.Actor("coop"), call.ID, func(o model.Object) bool { return o.Title == edited.Title })
	// The outbox is applied oldest first, its last item being the project's
	// Delete: once applied, the project must be absent for good.
	testenv.WaitFor(t, wait, "backfill to apply the project's Delete", func() bool {
		return !holds(d, a.Actor("coop"), project.ID)
	})

	// A restarts between a publish and its delivery: nothing is lost.
	a.Restart(true)
	held := publish(t, a, "coop", projectInput())
	a.Restart(false)
	for _, peer := range []*testenv.Instance{b, c} {
		got := waitObject(t, peer, a.Actor("coop"), held.ID, func(model.Object) bool { return true })
		compareFederated(t, peer.Host, got, held)
	}
}

func projectInput() service.ObjectInput { return seeds.Example("mobility-project") }
func callInput() service.ObjectInput    { return seeds.Example("pilot-call") }

func follow(t *testing.T, in *testenv.Instance, local, target string) {
	t.Helper()
	if s := in.API("POST", "/api/v1/orgs/"+local+"/follow", map[string]string{"target": target}, nil); s != http.StatusAccepted {
		t.Fatalf("%s: follow %s: status %d", in.Host, target, s)
	}
}

func waitAccepted(t *testing.T, in *testenv.Instance, local, target string) {
	t.Helper()
	testenv.WaitFor(t, wait, in.Host+" follow of "+target+" accepted", func() bool {
		var fs []model.Following
		in.API("GET", "/api/v1/orgs/"+local+"/following", nil, &fs)
		for _, f := range fs {
			if f.Target == target && f.State == model.FollowAccepted {
				return true
			}
		}
		return false
	})
}

func publish(t *testing.T, in *testenv.Instance, org string, input service.ObjectInput) model.Object {
	t.Helper()
	var o model.Object
	if s := in.API("POST", "/api/v1/orgs/"+org+"/objects", input, &o); s != http.StatusCreated {
		t.Fatalf("publish: status %d", s)
	}
	return o
}

func apiPath(in *testenv.Instance, iri string) string { return "/api/v1" + iri[len(in.Base):] }

func objectsOf(in *testenv.Instance, actor string) []model.Object {
	var objs []model.Object
	in.API("GET", "/api/v1/objects?actor="+actor, nil, &objs)
	return objs
}

func holds(in *testenv.Instance, actor, id string) bool {
	for _, o := range objectsOf(in, actor) {
		if o.ID == id {
			return true
		}
	}
	return false
}

func waitObject(t *testing.T, in *testenv.Instance, actor, id string, ok func(model.Object) bool) model.Object {
	t.Helper()
	var found model.Object
	testenv.WaitFor(t, wait, in.Host+" to hold "+id, func() bool {
		for _, o := range objectsOf(in, actor) {
			if o.ID == id && ok(o) {
				found = o
				return true
			}
		}
		return false
	})
	return found
}

// compareFederated checks that every structured field survived the trip.
func compareFederated(t *testing.T, where string, got, want model.Object) {
	t.Helper()
	if got.Local {
		t.Errorf("%s: %s marked local", where, got.ID)
	}
	if got.Content == "" {
		t.Errorf("%s: %s has no content", where, got.ID)
	}
	if got.EffectiveAudience() != model.AudiencePublic || want.EffectiveAudience() != model.AudiencePublic {
		t.Errorf("%s: %s audience %q, published %q; want public both", where, got.ID, got.EffectiveAudience(), want.EffectiveAudience())
	}
	got.Local, want.Local = false, false
	got.Content, want.Content = "", ""
	got.Audience, want.Audience = "", "" // recorded on the received copy only
	if !got.Published.Equal(want.Published) || !got.Updated.Equal(want.Updated) {
		t.Errorf("%s: times published %v/%v updated %v/%v", where, got.Published, want.Published, got.Updated, want.Updated)
	}
	got.Published, want.Published, got.Updated, want.Updated = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if !reflect.DeepEqual(got, want) {
		gj, _ := json.MarshalIndent(got, "", " ")
		wj, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("%s: federated object differs\n got: %s\nwant: %s", where, gj, wj)
	}
}
