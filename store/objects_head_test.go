package store

import (
	"errors"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// TestObjectHead checks that the head of a stored object reads the fields
// it names as the whole object does.
func TestObjectHead(t *testing.T) {
	s := openTestStore(t)
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	objs := []model.Object{
		{ID: "https://a.example/o/1", Kind: model.KindCall, AttributedTo: "https://a.example/u", Title: "A call", Content: "<p>Text</p>",
			Published: t0, Image: &model.Image{URL: "https://a.example/i.png", Alt: "A tool"}, Audience: model.AudiencePublic},
		{ID: "https://a.example/o/2", AttributedTo: "https://a.example/u", Content: "<p>A note</p>", Published: t0, Audience: model.AudienceFollowers},
		{ID: "https://a.example/o/3", AttributedTo: "https://a.example/u", Published: t0, Deleted: t0.Add(time.Hour), Local: true},
	}
	err := s.Update(func(tx *Tx) error {
		for _, o := range objs {
			if err := tx.PutObject(o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(func(tx *Tx) error {
		for _, want := range objs {
			o, err := tx.Object(want.ID)
			if err != nil {
				return err
			}
			h, err := tx.ObjectHead(want.ID)
			if err != nil {
				return err
			}
			if h.Local != o.Local || h.Kind != o.Kind || h.Audience != o.Audience || !h.Deleted.Equal(o.Deleted) ||
				(h.Image == nil) != (o.Image == nil) || h.Image != nil && *h.Image != *o.Image ||
				h.IsPublic() != o.IsPublic() || h.IsDeleted() != o.IsDeleted() {
				t.Errorf("head of %s = %+v, object %+v", want.ID, h, o)
			}
		}
		if _, err := tx.ObjectHead("https://a.example/none"); !errors.Is(err, ErrNotFound) {
			t.Errorf("head of a missing object: %v, want ErrNotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
