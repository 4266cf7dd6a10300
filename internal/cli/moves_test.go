package cli_test

import (
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/testenv"
)

// TestCLIMove: aliases on the new side, a refused move and the move on
// the old side, through the admin API as the commands reach it.
func TestCLIMove(t *testing.T) {
	a := testenv.Start(t, "127.0.0.46", testenv.Options{})
	b := testenv.Start(t, "127.0.0.47", testenv.Options{})
	if _, err := run(t, a, "move", "-org", "coop", b.Handle("coop")); err == nil || !strings.Contains(err.Error(), "does not list this organisation") {
		t.Fatalf("move before the alias: %v, want the alias error", err)
	}
	out := mustRun(t, b, "aliases", "-org", "coop", a.Actor("coop"))
	if !strings.Contains(out, `"also_known_as": [`) || !strings.Contains(out, a.Actor("coop")) {
		t.Fatalf("aliases printed %s", out)
	}
	if out := mustRun(t, a, "move", "-org", "coop", b.Handle("coop")); !strings.Contains(out, `"moved_to": "`+b.Actor("coop")+`"`) {
		t.Fatalf("move printed %s", out)
	}
	if out := mustRun(t, b, "aliases", "-org", "coop"); strings.Contains(out, "also_known_as") {
		t.Errorf("aliases without arguments did not clear them: %s", out)
	}
}
