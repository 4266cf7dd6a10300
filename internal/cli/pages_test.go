package cli_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/store"
)

// TestObjectsFollowsPages lists more than 16 MiB of objects, the most one
// answer may be, which the CLI once read as "unexpected end of JSON
// input": it now follows the pages and prints every object once, newest
// first; -limit stops early.
func TestObjectsFollowsPages(t *testing.T) {
	in := testenv.Start(t, "127.0.0.230", testenv.Options{})
	const actor, n = "https://remote.example/users/big", 1800
	text := strings.Repeat("solidarity economy ", 520) // about 10 KB
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	err := in.Server.Store.Update(func(tx *store.Tx) error {
		for i := range n {
			o := model.Object{ID: fmt.Sprintf("https://remote.example/notes/%05d", i), Kind: model.KindProject,
				AttributedTo: actor, Title: "Note", Text: text, Published: t0.Add(time.Duration(i) * time.Second)}
			if err := tx.PutObject(o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var objs []model.Object
	out := mustRun(t, in, "objects", "-actor", actor)
	if len(out) < 16<<20 {
		t.Fatalf("only %d bytes listed: the test needs more than 16 MiB", len(out))
	}
	if err := json.Unmarshal([]byte(out), &objs); err != nil {
		t.Fatalf("output is not one JSON array: %v", err)
	}
	if len(objs) != n {
		t.Fatalf("%d objects listed, want %d", len(objs), n)
	}
	for i, o := range objs {
		if want := fmt.Sprintf("https://remote.example/notes/%05d", n-1-i); o.ID != want {
			t.Fatalf("object %d is %s, want %s", i, o.ID, want)
		}
	}
	objs = nil
	if err := json.Unmarshal([]byte(mustRun(t, in, "objects", "-actor", actor, "-limit", "150")), &objs); err != nil || len(objs) != 150 {
		t.Errorf("-limit 150: %d objects, %v", len(objs), err)
	}
	if out := mustRun(t, in, "objects", "-actor", "https://remote.example/users/nobody"); out != "[]" {
		t.Errorf("empty listing printed %q, want []", out)
	}
}
