package store

import (
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
)

func TestIsListed(t *testing.T) {
	s := openTestStore(t)
	note := model.Object{ID: "https://r.example/n/1", AttributedTo: "https://r.example/u/a", Kind: model.KindNote, Content: "x"}
	project := model.Object{ID: "https://r.example/p/1", AttributedTo: "https://r.example/u/a", Kind: model.KindProject, Title: "P"}
	mustUpdate(t, s, func(tx *Tx) error {
		if err := tx.PutObject(note); err != nil {
			return err
		}
		return tx.PutObject(project)
	})
	mustView(t, s, func(tx *Tx) error {
		for _, c := range []struct {
			id             string
			listed, stored bool
		}{{note.ID, false, true}, {project.ID, true, true}, {"https://r.example/p/1x", false, false}, {"https://r.example/p/", false, false}} {
			if got := tx.IsListed(c.id); got != c.listed {
				t.Errorf("IsListed(%s) = %v", c.id, got)
			}
			if got := tx.HasObject(c.id); got != c.stored {
				t.Errorf("HasObject(%s) = %v", c.id, got)
			}
		}
		return nil
	})
}
