package server_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/store"
)

func followers(in *testenv.Instance, org string) []model.Follower {
	var fs []model.Follower
	in.API("GET", "/api/v1/orgs/"+org+"/followers", nil, &fs)
	return fs
}

func following(in *testenv.Instance, org string) []model.Following {
	var fs []model.Following
	in.API("GET", "/api/v1/orgs/"+org+"/following", nil, &fs)
	return fs
}

// TestFollowLifecycle covers manual approval, rejection, unfollowing and a
// profile update reaching followers.
func TestFollowLifecycle(t *testing.T) {
	a := testenv.Start(t, "127.0.0.9", testenv.Options{})
	b := testenv.Start(t, "127.0.0.10", testenv.Options{})
	c := testenv.Start(t, "127.0.0.11", testenv.Options{})
	if s := a.API("PUT", "/api/v1/orgs/coop", map[string]any{"display_name": "Coop A", "manual_approve": true}, nil); s != 200 {
		t.Fatalf("profile: %d", s)
	}

	follow(t, b, "coop", a.Handle("coop"))
	follow(t, c, "coop", a.Handle("coop"))
	testenv.WaitFor(t, wait, "two pending requests on A", func() bool {
		fs := followers(a, "coop")
		return len(fs) == 2 && fs[0].Pending && fs[1].Pending
	})
	if fs := following(b, "coop"); len(fs) != 1 || fs[0].State != model.FollowPending {
		t.Fatalf("B following = %+v, want pending", fs)
	}
	// Pending followers get no content.
	publish(t, a, "coop", projectInput())

	if s := a.API("POST", "/api/v1/orgs/coop/followers/approve", map[string]any{"actor": b.Actor("coop"), "approve": true}, nil); s != http.StatusNoContent {
		t.Fatalf("approve: %d", s)
	}
	if s := a.API("POST", "/api/v1/orgs/coop/followers/approve", map[string]any{"actor": c.Actor("coop"), "approve": false}, nil); s != http.StatusNoContent {
		t.Fatalf("reject: %d", s)
	}
	waitAccepted(t, b, "coop", a.Actor("coop"))
	testenv.WaitFor(t, wait, "C's rejected follow to disappear", func() bool { return len(following(c, "coop")) == 0 })
	if fs := followers(a, "coop"); len(fs) != 1 || fs[0].Actor != b.Actor("coop") || fs[0].Pending {
		t.Fatalf("A followers = %+v, want B only", fs)
	}
	if objs := objectsOf(c, a.Actor("coop")); len(objs) != 0 {
		t.Errorf("C holds %d objects without an accepted follow", len(objs))
	}

	// A's profile edit reaches B.
	if s := a.API("PUT", "/api/v1/orgs/coop", map[string]any{"display_name": "Coop A renamed", "manual_approve": true}, nil); s != 200 {
		t.Fatalf("profile: %d", s)
	}
	testenv.WaitFor(t, wait, "B to see A's new name", func() bool {
		var name string
		_ = b.Server.Store.View(func(tx *store.Tx) error {
			act, err := tx.Actor(a.Actor("coop"))
			name = act.Name
			return err
		})
		return name == "Coop A renamed"
	})

	// B unfollows by handle.
	if s := b.API("POST", "/api/v1/orgs/coop/unfollow", map[string]string{"target": a.Handle("coop")}, nil); s != http.StatusNoContent {
		t.Fatalf("unfollow: %d", s)
	}
	testenv.WaitFor(t, wait, "A to lose its follower", func() bool { return len(followers(a, "coop")) == 0 })
	if fs := following(b, "coop"); len(fs) != 0 {
		t.Errorf("B still following: %+v", fs)
	}
}

// TestSSRFGuard: an instance with the default configuration refuses to
// resolve or contact loopback addresses, and sends no request there.
func TestSSRFGuard(t *testing.T) {
	var hits atomic.Int32
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	target := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	target.Listener.Close()
	target.Listener = ln
	target.Start()
	defer target.Close()
	in := testenv.Start(t, "127.0.0.12", testenv.Options{DenyPrivate: true})
	host := ln.Addr().String()
	for _, tgt := range []string{"someone@" + host, "http://" + host + "/users/someone", host} {
		if s := in.API("POST", "/api/v1/orgs/coop/follow", map[string]string{"target": tgt}, nil); s != http.StatusBadGateway {
			t.Errorf("follow %s: status %d, want 502", tgt, s)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("loopback target received %d requests", n)
	}
	if fs := following(in, "coop"); len(fs) != 0 {
		t.Errorf("following stored: %+v", fs)
	}
}
