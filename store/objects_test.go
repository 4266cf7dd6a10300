package store

import (
	"errors"
	"slices"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

const alice = "https://a.example/orgs/alice"

func objectIDs(objs []model.Object) []string {
	var ids []string
	for _, o := range objs {
		ids = append(ids, o.ID)
	}
	return ids
}

func TestObjectsByNewestFirst(t *testing.T) {
	s := openTestStore(t)
	// Inserted out of order; one author's name is a prefix of another's.
	objs := []model.Object{
		{ID: alice + "/calls/b", AttributedTo: alice, Title: "b", Published: t0.Add(2 * time.Hour)},
		{ID: alice + "/calls/a", AttributedTo: alice, Title: "a", Published: t0},
		{ID: alice + "/calls/c", AttributedTo: alice, Title: "c", Published: t0.Add(time.Hour), Deleted: t0.Add(3 * time.Hour)},
		{ID: alice + "2/calls/x", AttributedTo: alice + "2", Title: "x", Published: t0.Add(5 * time.Hour)},
	}
	mustUpdate(t, s, func(tx *Tx) error {
		for _, o := range objs {
			if err := tx.PutObject(o); err != nil {
				return err
			}
		}
		return nil
	})

	tests := []struct {
		name  string
		limit int
		want  []string
	}{
		{"all", 0, []string{alice + "/calls/b", alice + "/calls/c", alice + "/calls/a"}},
		{"limit 2", 2, []string{alice + "/calls/b", alice + "/calls/c"}},
		{"limit 1", 1, []string{alice + "/calls/b"}},
		{"limit above count", 10, []string{alice + "/calls/b", alice + "/calls/c", alice + "/calls/a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mustView(t, s, func(tx *Tx) error {
				got, err := tx.ObjectsBy(alice, tt.limit)
				if err != nil {
					t.Fatal(err)
				}
				if ids := objectIDs(got); !slices.Equal(ids, tt.want) {
					t.Errorf("ObjectsBy(alice, %d) = %q, want %q", tt.limit, ids, tt.want)
				}
				return nil
			})
		})
	}

	mustView(t, s, func(tx *Tx) error {
		got, err := tx.Objects()
		if err != nil {
			t.Fatal(err)
		}
		want := []string{alice + "/calls/a", alice + "/calls/b", alice + "2/calls/x"}
		if ids := objectIDs(got); !slices.Equal(ids, want) {
			t.Errorf("Objects() = %q, want %q (tombstones excluded)", ids, want)
		}
		if none, err := tx.ObjectsBy("https://nobody.example/u", 0); err != nil || len(none) != 0 {
			t.Errorf("ObjectsBy(unknown) = %v, %v; want empty", none, err)
		}
		return nil
	})
}

func TestPutObjectReplacesAndReindexes(t *testing.T) {
	s := openTestStore(t)
	o := model.Object{ID: alice + "/calls/1", AttributedTo: alice, Title: "v1", Published: t0}
	mustUpdate(t, s, func(tx *Tx) error { return tx.PutObject(o) })
	o.Title, o.Published = "v2", t0.Add(time.Hour)
	mustUpdate(t, s, func(tx *Tx) error { return tx.PutObject(o) })
	mustView(t, s, func(tx *Tx) error {
		got, err := tx.ObjectsBy(alice, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Title != "v2" {
			t.Errorf("ObjectsBy after replace = %+v, want the single v2", got)
		}
		return nil
	})
}

func TestDeleteObjectRemovesRepliesAndReactions(t *testing.T) {
	s := openTestStore(t)
	one, two := alice+"/calls/1", alice+"/calls/10" // "1" is a prefix of "10"
	mustUpdate(t, s, func(tx *Tx) error {
		for _, id := range []string{one, two} {
			if err := tx.PutObject(model.Object{ID: id, AttributedTo: alice, Published: t0}); err != nil {
				return err
			}
			if err := tx.PutReply(model.Reply{ID: id + "#r", InReplyTo: id, Actor: "https://b.example/u/bob"}); err != nil {
				return err
			}
			if _, err := tx.AddReaction(id, model.ReactionLike, id+"#like", "https://b.example/u/bob"); err != nil {
				return err
			}
		}
		return nil
	})

	mustUpdate(t, s, func(tx *Tx) error { return tx.DeleteObject(one) })

	mustView(t, s, func(tx *Tx) error {
		if _, err := tx.Object(one); !errors.Is(err, ErrNotFound) {
			t.Errorf("Object(deleted): err = %v, want ErrNotFound", err)
		}
		if got, err := tx.Replies(one); err != nil || len(got) != 0 {
			t.Errorf("Replies(deleted) = %v, %v; want none", got, err)
		}
		if c, err := tx.Counts(one); err != nil || c != (model.Counts{}) {
			t.Errorf("Counts(deleted) = %+v, %v; want zero", c, err)
		}
		if c, err := tx.Counts(two); err != nil || c != (model.Counts{Likes: 1, Replies: 1}) {
			t.Errorf("Counts(other object) = %+v, %v; want 1 like, 1 reply", c, err)
		}
		if got, err := tx.ObjectsBy(alice, 0); err != nil || !slices.Equal(objectIDs(got), []string{two}) {
			t.Errorf("ObjectsBy after delete = %q, %v; want [%s]", objectIDs(got), err, two)
		}
		return nil
	})

	err := s.Update(func(tx *Tx) error { return tx.DeleteObject(one) })
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("DeleteObject(absent): err = %v, want ErrNotFound", err)
	}
}

func TestDeleteObjectForgetsReplyIndex(t *testing.T) {
	s := openTestStore(t)
	obj := alice + "/calls/1"
	mustUpdate(t, s, func(tx *Tx) error {
		if err := tx.PutObject(model.Object{ID: obj, AttributedTo: alice, Published: t0}); err != nil {
			return err
		}
		return tx.PutReply(model.Reply{ID: "https://b.example/n/1", InReplyTo: obj, Actor: "https://b.example/u/bob"})
	})
	mustUpdate(t, s, func(tx *Tx) error { return tx.DeleteObject(obj) })
	mustView(t, s, func(tx *Tx) error {
		if _, err := tx.Reply("https://b.example/n/1"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Reply after its object was deleted: err = %v, want ErrNotFound", err)
		}
		if v := tx.bucket(bucketReplyIndex).Get([]byte("https://b.example/n/1")); v != nil {
			t.Errorf("reply_of index after DeleteObject = %q, want no entry", v)
		}
		return nil
	})
}

func TestReplies(t *testing.T) {
	s := openTestStore(t)
	obj := alice + "/calls/1"
	r1 := model.Reply{ID: "https://b.example/n/2", InReplyTo: obj, Actor: "https://b.example/u/bob", Content: "first"}
	r2 := model.Reply{ID: "https://b.example/n/1", InReplyTo: obj, Actor: "https://b.example/u/bob", Content: "second"}
	other := model.Reply{ID: "https://b.example/n/3", InReplyTo: obj + "0", Actor: "https://b.example/u/bob"}
	mustUpdate(t, s, func(tx *Tx) error {
		for _, r := range []model.Reply{r1, r2, other} {
			if err := tx.PutReply(r); err != nil {
				return err
			}
		}
		return nil
	})
	mustView(t, s, func(tx *Tx) error {
		got, err := tx.Reply(r1.ID)
		if err != nil {
			t.Fatalf("Reply: %v", err)
		}
		if got.Content != "first" || got.InReplyTo != obj {
			t.Errorf("Reply = %+v, want %+v", got, r1)
		}
		rs, err := tx.Replies(obj)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range rs {
			ids = append(ids, r.ID)
		}
		if want := []string{r2.ID, r1.ID}; !slices.Equal(ids, want) {
			t.Errorf("Replies = %q, want %q (IRI order, other object's reply excluded)", ids, want)
		}
		if _, err := tx.Reply("https://b.example/n/404"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Reply(unknown): err = %v, want ErrNotFound", err)
		}
		return nil
	})

	// Replacing keeps one copy.
	r1.Content = "edited"
	mustUpdate(t, s, func(tx *Tx) error { return tx.PutReply(r1) })
	mustUpdate(t, s, func(tx *Tx) error {
		if err := tx.DeleteReply(r2.ID); err != nil {
			return err
		}
		return tx.DeleteReply("https://b.example/n/404") // unknown: not an error
	})
	mustView(t, s, func(tx *Tx) error {
		rs, err := tx.Replies(obj)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != 1 || rs[0].Content != "edited" {
			t.Errorf("Replies after edit and delete = %+v, want only the edited first", rs)
		}
		if _, err := tx.Reply(r2.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("Reply(deleted): err = %v, want ErrNotFound", err)
		}
		return nil
	})
}

func TestPutReplyMovedToAnotherObject(t *testing.T) {
	s := openTestStore(t)
	first, second := alice+"/calls/1", alice+"/calls/2"
	r := model.Reply{ID: "https://b.example/n/1", InReplyTo: first, Actor: "https://b.example/u/bob"}
	mustUpdate(t, s, func(tx *Tx) error { return tx.PutReply(r) })
	r.InReplyTo = second
	mustUpdate(t, s, func(tx *Tx) error { return tx.PutReply(r) })
	mustView(t, s, func(tx *Tx) error {
		got, err := tx.Reply(r.ID)
		if err != nil || got.InReplyTo != second {
			t.Errorf("Reply = %+v, %v; want InReplyTo %s", got, err, second)
		}
		if rs, err := tx.Replies(first); err != nil || len(rs) != 0 {
			t.Errorf("Replies(first) = %+v, %v; want none once the reply moved", rs, err)
		}
		if c, err := tx.Counts(first); err != nil || c.Replies != 0 {
			t.Errorf("Counts(first).Replies = %d, %v; want 0", c.Replies, err)
		}
		return nil
	})
}

func TestReactions(t *testing.T) {
	s := openTestStore(t)
	obj := alice + "/calls/1"
	const bob, carol = "https://b.example/u/bob", "https://c.example/u/carol"

	add := func(kind, id, actor string) bool {
		t.Helper()
		var added bool
		mustUpdate(t, s, func(tx *Tx) error {
			var err error
			added, err = tx.AddReaction(obj, kind, id, actor)
			return err
		})
		return added
	}
	counts := func() model.Counts {
		t.Helper()
		var c model.Counts
		mustView(t, s, func(tx *Tx) error {
			var err error
			c, err = tx.Counts(obj)
			return err
		})
		return c
	}

	if !add(model.ReactionLike, bob+"/like/1", bob) {
		t.Error("first AddReaction = false, want true")
	}
	if add(model.ReactionLike, bob+"/like/1", bob) {
		t.Error("repeated AddReaction = true, want false")
	}
	add(model.ReactionLike, carol+"/like/1", carol)
	add(model.ReactionAnnounce, bob+"/boost/1", bob)
	mustUpdate(t, s, func(tx *Tx) error {
		return tx.PutReply(model.Reply{ID: carol + "/n/1", InReplyTo: obj, Actor: carol})
	})
	if got, want := counts(), (model.Counts{Likes: 2, Announces: 1, Replies: 1}); got != want {
		t.Fatalf("Counts = %+v, want %+v", got, want)
	}

	tests := []struct {
		name   string
		remove func(tx *Tx) error
		want   model.Counts
	}{
		{"remove by another actor is ignored",
			func(tx *Tx) error { return tx.RemoveReaction(obj, model.ReactionLike, bob+"/like/1", carol) },
			model.Counts{Likes: 2, Announces: 1, Replies: 1}},
		{"remove with the wrong kind is ignored",
			func(tx *Tx) error { return tx.RemoveReaction(obj, model.ReactionAnnounce, bob+"/like/1", bob) },
			model.Counts{Likes: 2, Announces: 1, Replies: 1}},
		{"remove by the same actor",
			func(tx *Tx) error { return tx.RemoveReaction(obj, model.ReactionLike, bob+"/like/1", bob) },
			model.Counts{Likes: 1, Announces: 1, Replies: 1}},
		{"remove unknown is not an error",
			func(tx *Tx) error { return tx.RemoveReaction(obj, model.ReactionLike, "https://x.example/none", bob) },
			model.Counts{Likes: 1, Announces: 1, Replies: 1}},
		{"remove by id by another actor is ignored",
			func(tx *Tx) error { return tx.RemoveReactionByID(bob+"/boost/1", carol) },
			model.Counts{Likes: 1, Announces: 1, Replies: 1}},
		{"remove by id",
			func(tx *Tx) error { return tx.RemoveReactionByID(bob+"/boost/1", bob) },
			model.Counts{Likes: 1, Replies: 1}},
		{"remove by unknown id is not an error",
			func(tx *Tx) error { return tx.RemoveReactionByID("https://x.example/none", bob) },
			model.Counts{Likes: 1, Replies: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mustUpdate(t, s, tt.remove)
			if got := counts(); got != tt.want {
				t.Errorf("Counts = %+v, want %+v", got, tt.want)
			}
		})
	}

	// A removed reaction can be counted again.
	if !add(model.ReactionLike, bob+"/like/1", bob) {
		t.Error("AddReaction after removal = false, want true")
	}
}
