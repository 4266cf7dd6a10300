package server_test

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// directoryIDs lists the ids of in's directory (first 100 entries).
func directoryIDs(t *testing.T, in *testenv.Instance) []string {
	t.Helper()
	var res directory.Result
	if s := in.API("GET", "/directory.json?per_page=100", nil, &res); s != http.StatusOK {
		t.Fatalf("%s: directory.json: status %d", in.Host, s)
	}
	ids := make([]string, len(res.Entries))
	for i, e := range res.Entries {
		ids[i] = e.ID
	}
	return ids
}

// queued lists in's queued deliveries whose inbox is on host.
func queued(t *testing.T, in *testenv.Instance, host string) []model.Delivery {
	t.Helper()
	var out []model.Delivery
	err := in.Server.Store.View(func(tx *store.Tx) error {
		all, _, err := tx.Queue()
		for _, d := range all {
			if store.HostOf(d.Inbox) == host {
				out = append(out, d)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// waitDelivered waits until in has nothing queued for host: delivered, or
// dropped on a 4xx answer.
func waitDelivered(t *testing.T, in *testenv.Instance, host string) {
	t.Helper()
	testenv.WaitFor(t, wait, in.Host+" to empty its queue for "+host, func() bool { return len(queued(t, in, host)) == 0 })
}

// lastCreate is the JSON of the newest activity in org's outbox on in, as
// it was delivered.
func lastCreate(t *testing.T, in *testenv.Instance, org string) []byte {
	t.Helper()
	var body []byte
	err := in.Server.Store.View(func(tx *store.Tx) error {
		bodies, _, err := tx.Outbox(org, 0, 1)
		if err == nil && len(bodies) == 1 {
			body = bodies[0]
		}
		return err
	})
	if err != nil || body == nil {
		t.Fatalf("%s: outbox of %s: %v", in.Host, org, err)
	}
	return body
}

// postSigned POSTs body to inbox signed with from's key of org, as from's
// delivery workers would, and returns the status.
func postSigned(t *testing.T, from *testenv.Instance, org, inbox string, body []byte) int {
	t.Helper()
	keyID, key, err := httpsign.NewLocalKeys(from.Server.Store, uris.URIs{Base: from.Base}).Key(org)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/activity+json")
	if err := httpsign.Sign(req, keyID, key, body, time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func blockAPI(t *testing.T, in *testenv.Instance, method, target string, want int) {
	t.Helper()
	if s := in.API(method, "/api/v1/blocks", map[string]string{"target": target}, nil); s != want {
		t.Fatalf("%s: %s block %s: status %d, want %d", in.Host, method, target, s, want)
	}
}

// TestModeration runs two instances: B follows A's organisations and A
// follows B's; B blocks one of A's organisations, then A's whole server,
// then lifts both; B's instance reports A's organisation to A.
func TestModeration(t *testing.T) {
	a := testenv.Start(t, "127.0.0.90", testenv.Options{})
	b := testenv.Start(t, "127.0.0.91", testenv.Options{})
	// Profiles with maillage's terms, so that A's organisations are
	// directory entries on B.
	profile := map[string]any{"display_name": "Coop A", "country": "FR", "sectors": []string{"energy"}}
	if s := a.API("PUT", "/api/v1/orgs/coop", profile, nil); s != http.StatusOK {
		t.Fatalf("profile: %d", s)
	}
	profile["name"], profile["display_name"] = "second", "Second coop"
	if s := a.API("POST", "/api/v1/orgs", profile, nil); s != http.StatusCreated {
		t.Fatalf("create org: %d", s)
	}
	follow(t, b, "coop", a.Handle("coop"))
	follow(t, b, "coop", a.Handle("second"))
	follow(t, a, "coop", b.Handle("coop"))
	waitAccepted(t, b, "coop", a.Actor("coop"))
	waitAccepted(t, b, "coop", a.Actor("second"))
	waitAccepted(t, a, "coop", b.Actor("coop"))
	project := publish(t, a, "coop", projectInput())
	call := publish(t, a, "second", callInput())
	waitObject(t, b, a.Actor("coop"), project.ID, func(model.Object) bool { return true })
	waitObject(t, b, a.Actor("second"), call.ID, func(model.Object) bool { return true })
	shows := func(ids ...string) bool {
		got := directoryIDs(t, b)
		for _, id := range ids {
			if !slices.Contains(got, id) {
				return false
			}
		}
		return true
	}
	hides := func(ids ...string) bool {
		got := directoryIDs(t, b)
		for _, id := range ids {
			if slices.Contains(got, id) {
				return false
			}
		}
		return true
	}
	// The directory index is refreshed after the store commit: wait for it.
	testenv.WaitFor(t, wait, "B's directory to list A's organisations and objects", func() bool {
		return shows(project.ID, call.ID, a.Actor("coop"), a.Actor("second"))
	})

	t.Run("actor", func(t *testing.T) {
		blockAPI(t, b, "POST", a.Handle("second"), http.StatusCreated)
		if !hides(call.ID, a.Actor("second")) || !shows(project.ID, a.Actor("coop")) {
			t.Errorf("B's directory with second blocked = %q", directoryIDs(t, b))
		}
		if objs := objectsOf(b, a.Actor("second")); len(objs) != 0 {
			t.Errorf("B lists %d objects of the blocked actor", len(objs))
		}
		// second's next call is refused; coop's next project is not.
		newCall := publish(t, a, "second", callInput())
		newProject := publish(t, a, "coop", projectInput())
		waitObject(t, b, a.Actor("coop"), newProject.ID, func(model.Object) bool { return true })
		waitDelivered(t, a, b.Host)
		if code := postSigned(t, a, "second", b.Base+"/inbox", lastCreate(t, a, "second")); code != http.StatusForbidden {
			t.Errorf("Create from the blocked actor: status %d, want 403", code)
		}
		blockAPI(t, b, "DELETE", a.Actor("second"), http.StatusNoContent)
		if !shows(call.ID, a.Actor("second")) {
			t.Errorf("B's directory after unblocking = %q", directoryIDs(t, b))
		}
		if holds(b, a.Actor("second"), newCall.ID) {
			t.Error("B holds the call published while its author was blocked")
		}
	})

	t.Run("domain", func(t *testing.T) {
		blockAPI(t, b, "POST", a.Host, http.StatusCreated)
		if !hides(project.ID, call.ID, a.Actor("coop"), a.Actor("second")) {
			t.Errorf("B's directory with A blocked = %q", directoryIDs(t, b))
		}
		if objs := objectsOf(b, a.Actor("coop")); len(objs) != 0 {
			t.Errorf("B lists %d objects of the blocked server", len(objs))
		}
		if fs := followers(b, "coop"); len(fs) != 0 {
			t.Errorf("B's followers with A blocked = %+v", fs)
		}
		// A new Create from A: refused, not stored.
		blocked := publish(t, a, "coop", projectInput())
		waitDelivered(t, a, b.Host)
		if code := postSigned(t, a, "coop", b.Base+"/inbox", lastCreate(t, a, "coop")); code != http.StatusForbidden {
			t.Errorf("Create from the blocked server: status %d, want 403", code)
		}
		// A Follow from A: refused.
		if s := a.API("POST", "/api/v1/orgs", map[string]any{"name": "third", "display_name": "Third coop"}, nil); s != http.StatusCreated {
			t.Fatalf("create org: %d", s)
		}
		follow(t, a, "third", b.Handle("coop"))
		waitDelivered(t, a, b.Host)
		if fs := following(a, "third"); len(fs) != 1 || fs[0].State != model.FollowPending {
			t.Errorf("A's follow of B = %+v, want still pending", fs)
		}
		if fs := followers(b, "coop"); len(fs) != 0 {
			t.Errorf("B's followers after A's Follow = %+v", fs)
		}
		// B sends A nothing: publish with deliveries held, and look at the queue.
		b.Restart(true)
		mine := publish(t, b, "coop", projectInput())
		if q := queued(t, b, a.Host); len(q) != 0 {
			t.Errorf("B queued %d deliveries for the blocked server: %+v", len(q), q)
		}
		if _, err := b.Server.Service.Object(context.Background(), mine.ID); err != nil {
			t.Fatalf("B's own project: %v", err)
		}
		b.Restart(false)

		blockAPI(t, b, "DELETE", a.Host, http.StatusNoContent)
		if !shows(project.ID, call.ID, a.Actor("coop"), a.Actor("second")) {
			t.Errorf("B's directory after unblocking A = %q", directoryIDs(t, b))
		}
		if !holds(b, a.Actor("coop"), project.ID) {
			t.Error("B's object list lacks A's project after unblocking")
		}
		if holds(b, a.Actor("coop"), blocked.ID) {
			t.Error("B holds the project A published while blocked")
		}
	})

	t.Run("flag", func(t *testing.T) {
		in := map[string]any{"actor": a.Actor("coop"), "objects": []string{project.ID}, "comment": "Not a cooperative.", "forward": true}
		if s := b.API("POST", "/api/v1/reports", in, nil); s != http.StatusCreated {
			t.Fatalf("report: status %d", s)
		}
		var rs []model.Report
		testenv.WaitFor(t, wait, "A to list the report", func() bool {
			a.API("GET", "/api/v1/reports", nil, &rs)
			return len(rs) == 1
		})
		r := rs[0]
		if r.Actor != b.Actor(model.InstanceName) || r.Target != a.Actor("coop") || r.Comment != "Not a cooperative." ||
			!slices.Equal(r.Objects, []string{project.ID}) {
			t.Errorf("A's report = %+v", r)
		}
		// Once A blocks B, B's reports are ignored.
		blockAPI(t, a, "POST", b.Host, http.StatusCreated)
		in["comment"] = "Again."
		if s := b.API("POST", "/api/v1/reports", in, nil); s != http.StatusCreated {
			t.Fatalf("report: status %d", s)
		}
		waitDelivered(t, b, a.Host)
		a.API("GET", "/api/v1/reports", nil, &rs)
		if len(rs) != 1 {
			t.Errorf("A's reports after blocking B = %+v, want the first only", rs)
		}
	})
}
