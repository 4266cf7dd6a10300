package cli_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/testenv"
)

func TestCLIModeration(t *testing.T) {
	a := testenv.Start(t, "127.0.0.98", testenv.Options{})
	b := testenv.Start(t, "127.0.0.99", testenv.Options{})

	var blk model.Block
	if err := json.Unmarshal([]byte(mustRun(t, a, "block", "Spam.Example")), &blk); err != nil || blk.Target != "spam.example" || blk.Kind != model.BlockDomain {
		t.Fatalf("block printed %+v, %v", blk, err)
	}
	if out := mustRun(t, a, "blocks"); !strings.Contains(out, `"target": "spam.example"`) {
		t.Errorf("blocks = %s", out)
	}
	mustRun(t, a, "unblock", "spam.example")
	if out := mustRun(t, a, "blocks"); out != "[]" {
		t.Errorf("blocks after unblock = %s", out)
	}
	if _, err := run(t, a, "unblock", "spam.example"); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("unblock of nothing: err = %v, want a 404", err)
	}
	if _, err := run(t, a, "block"); err == nil {
		t.Error("block without a target succeeded")
	}

	// B reports A's organisation to A, by handle (resolved by WebFinger).
	out := mustRun(t, b, "report", "-comment", "Not a cooperative.", "-forward", a.Handle("coop"))
	var sent model.Report
	if err := json.Unmarshal([]byte(out), &sent); err != nil || !sent.Sent || sent.Target != a.Actor("coop") {
		t.Fatalf("report printed %s (%v)", out, err)
	}
	testenv.WaitFor(t, 20*time.Second, "A to list the report", func() bool {
		return strings.Contains(mustRun(t, a, "reports"), "Not a cooperative.")
	})
	var rs []model.Report
	if err := json.Unmarshal([]byte(mustRun(t, a, "reports")), &rs); err != nil || len(rs) != 1 || rs[0].Actor != b.Actor(model.InstanceName) {
		t.Errorf("A's reports = %+v, %v", rs, err)
	}
}
