package store

import (
	"fmt"
	"slices"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
)

// TestEachAfterResumes walks in both directions from cursors, including
// the cursor of an entry deleted since: the walk resumes at the next key,
// neither repeating nor skipping one.
func TestEachAfterResumes(t *testing.T) {
	s := openTestStore(t)
	var all []string
	err := s.Update(func(tx *Tx) error {
		for i := range 6 {
			b := model.Block{Target: fmt.Sprintf("h%d.example", i)}
			all = append(all, b.Target)
			if err := tx.PutBlock(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	walk := func(after Cursor, reverse bool) (got []string, cursors []Cursor) {
		err := s.View(func(tx *Tx) error {
			return eachJSON(tx, bucketBlocks, nil, after, reverse, func(c Cursor, b model.Block) (bool, error) {
				got, cursors = append(got, b.Target), append(cursors, c)
				return true, nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		return got, cursors
	}
	got, cursors := walk("", false)
	if !slices.Equal(got, all) {
		t.Fatalf("forward walk = %v, want %v", got, all)
	}
	if got, _ := walk(cursors[2], false); !slices.Equal(got, all[3:]) {
		t.Errorf("forward after %s = %v, want %v", all[2], got, all[3:])
	}
	if got, _ := walk(cursors[2], true); !slices.Equal(got, []string{all[1], all[0]}) {
		t.Errorf("backward after %s = %v, want h1, h0", all[2], got)
	}
	if err := s.Update(func(tx *Tx) error { return tx.DeleteBlock(all[2]) }); err != nil {
		t.Fatal(err)
	}
	if got, _ := walk(cursors[2], false); !slices.Equal(got, all[3:]) {
		t.Errorf("forward after deleted %s = %v, want %v", all[2], got, all[3:])
	}
	if got, _ := walk(cursors[2], true); !slices.Equal(got, []string{all[1], all[0]}) {
		t.Errorf("backward after deleted %s = %v, want h1, h0", all[2], got)
	}
	if got, _ := walk(cursors[5], false); len(got) != 0 {
		t.Errorf("after the last: %v", got)
	}
	if _, err := ParseCursor("not base64!"); err == nil {
		t.Error("ParseCursor accepted a malformed cursor")
	}
}
