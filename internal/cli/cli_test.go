package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/cli"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/testenv"
)

// run runs one maillage command against in, as a user with MAILLAGE_URL
// and MAILLAGE_TOKEN set would.
func run(t *testing.T, in *testenv.Instance, args ...string) (string, error) {
	t.Helper()
	env := map[string]string{"MAILLAGE_URL": in.Base, "MAILLAGE_TOKEN": in.Token}
	var out, errOut bytes.Buffer
	err := cli.RunWith(context.Background(), args, &out, &errOut, func(k string) string { return env[k] })
	return strings.TrimSpace(out.String()), err
}

func mustRun(t *testing.T, in *testenv.Instance, args ...string) string {
	t.Helper()
	out, err := run(t, in, args...)
	if err != nil {
		t.Fatalf("maillage %s: %v", strings.Join(args, " "), err)
	}
	return out
}

func TestCLI(t *testing.T) {
	a := testenv.Start(t, "127.0.0.13", testenv.Options{})
	b := testenv.Start(t, "127.0.0.14", testenv.Options{})

	mustRun(t, b, "follow", "-org", "coop", a.Handle("coop"))
	testenv.WaitFor(t, 20*time.Second, "B's follow accepted", func() bool {
		return strings.Contains(mustRun(t, b, "following", "-org", "coop"), `"state": "accepted"`)
	})
	if out := mustRun(t, a, "followers", "-org", "coop"); !strings.Contains(out, b.Actor("coop")) {
		t.Errorf("followers = %s", out)
	}

	id := mustRun(t, a, "publish", "-org", "coop", "-kind", "call", "-title", "Looking for a supplier",
		"-text", "Recycled textile fibre.", "-sectors", "circular-economy", "-roles", "supplier",
		"-deadline", "2027-06-30", "-place", "Lyon", "-country", "fr", "-lat", "45.76", "-lon", "4.83")
	if !strings.HasPrefix(id, a.Base+"/orgs/coop/calls/") {
		t.Fatalf("publish printed %q, want the call's id", id)
	}
	mustRun(t, a, "edit", "-id", id, "-title", "Looking for two suppliers", "-sectors", "circular-economy", "-roles", "supplier")
	var objs []model.Object
	if err := json.Unmarshal([]byte(mustRun(t, a, "objects", "-org", "coop")), &objs); err != nil || len(objs) != 1 {
		t.Fatalf("objects: %v %v", objs, err)
	}
	if objs[0].Title != "Looking for two suppliers" || objs[0].Kind != model.KindCall {
		t.Errorf("after edit: %+v", objs[0])
	}

	testenv.WaitFor(t, 20*time.Second, "B to hold the call", func() bool {
		return strings.Contains(mustRun(t, b, "objects", "-actor", a.Actor("coop")), "Looking for two suppliers")
	})
	replyID := mustRun(t, b, "reply", "-org", "coop", "-id", id, "-text", "We recycle 200 t a year.")
	testenv.WaitFor(t, 20*time.Second, "A to list the reply", func() bool {
		return strings.Contains(mustRun(t, a, "replies", "-id", id), replyID)
	})

	mustRun(t, a, "delete", "-id", id)
	if out := mustRun(t, a, "objects", "-org", "coop"); out != "[]" {
		t.Errorf("objects after delete = %s", out)
	}
	mustRun(t, b, "unfollow", "-org", "coop", a.Handle("coop"))

	// Errors are reported, not hidden.
	if _, err := run(t, a, "publish", "-org", "coop", "-title", ""); err == nil || !strings.Contains(err.Error(), "422") {
		t.Errorf("invalid publish: err = %v, want a 422", err)
	}
	a.Token = "wrong"
	if _, err := run(t, a, "orgs"); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("bad token: err = %v, want a 401", err)
	}
	if err := cli.RunWith(context.Background(), []string{"nonsense"}, &bytes.Buffer{}, &bytes.Buffer{}, func(string) string { return "" }); err != cli.ErrUsage {
		t.Errorf("unknown command: err = %v, want ErrUsage", err)
	}
}
