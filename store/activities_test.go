package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

func TestPutActivity(t *testing.T) {
	s := openTestStore(t)
	pub := model.Activity{ID: "https://l.example/activities/1", Type: "Create", Actor: "acme", ObjectID: "https://l.example/o/1", Published: t0}
	priv := model.Activity{ID: "https://l.example/activities/2", Type: "Follow", Actor: "acme", ObjectID: "https://b.example/u/bob", Published: t0}
	mustUpdate(t, s, func(tx *Tx) error {
		if err := tx.PutActivity(pub, []byte(`{"n":1}`), true); err != nil {
			return err
		}
		return tx.PutActivity(priv, []byte(`{"n":2}`), false)
	})
	mustView(t, s, func(tx *Tx) error {
		for _, want := range []struct {
			a    model.Activity
			body string
		}{{pub, `{"n":1}`}, {priv, `{"n":2}`}} {
			a, body, err := tx.Activity(want.a.ID)
			if err != nil {
				t.Errorf("Activity(%s): %v", want.a.ID, err)
				continue
			}
			if a.Type != want.a.Type || a.ObjectID != want.a.ObjectID || !a.Published.Equal(t0) {
				t.Errorf("Activity(%s) = %+v, want %+v", want.a.ID, a, want.a)
			}
			if string(body) != want.body {
				t.Errorf("Activity(%s) body = %s, want %s", want.a.ID, body, want.body)
			}
		}
		if _, _, err := tx.Activity("https://l.example/activities/404"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Activity(unknown): err = %v, want ErrNotFound", err)
		}
		got, total, err := tx.Outbox("acme", 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if total != 1 || len(got) != 1 || string(got[0]) != `{"n":1}` {
			t.Errorf("Outbox = %q (total %d), want only the public activity", got, total)
		}
		return nil
	})
}

func TestOutboxPaging(t *testing.T) {
	s := openTestStore(t)
	mustUpdate(t, s, func(tx *Tx) error {
		for i := range 5 {
			a := model.Activity{ID: fmt.Sprintf("https://l.example/activities/acme/%d", i), Type: "Create", Actor: "acme"}
			if err := tx.PutActivity(a, []byte(fmt.Sprint(i)), true); err != nil {
				return err
			}
			// Interleave another actor whose name extends "acme".
			b := model.Activity{ID: fmt.Sprintf("https://l.example/activities/acme2/%d", i), Type: "Create", Actor: "acme2"}
			if err := tx.PutActivity(b, []byte(`"x"`), true); err != nil {
				return err
			}
		}
		return nil
	})
	tests := []struct {
		name          string
		offset, limit int
		want          []string
	}{
		{"first page", 0, 2, []string{"4", "3"}},
		{"second page", 2, 2, []string{"2", "1"}},
		{"last page", 4, 2, []string{"0"}},
		{"past the end", 5, 2, nil},
		{"all", 0, 100, []string{"4", "3", "2", "1", "0"}},
		{"zero limit", 0, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mustView(t, s, func(tx *Tx) error {
				bodies, total, err := tx.Outbox("acme", tt.offset, tt.limit)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, b := range bodies {
					got = append(got, string(b))
				}
				if !slices.Equal(got, tt.want) {
					t.Errorf("Outbox(acme, %d, %d) = %q, want %q", tt.offset, tt.limit, got, tt.want)
				}
				if total != 5 {
					t.Errorf("Outbox total = %d, want 5", total)
				}
				return nil
			})
		})
	}
	mustView(t, s, func(tx *Tx) error {
		if got, total, err := tx.Outbox("nobody", 0, 10); err != nil || total != 0 || len(got) != 0 {
			t.Errorf("Outbox(nobody) = %q, %d, %v; want empty", got, total, err)
		}
		return nil
	})
}

func TestMarkSeen(t *testing.T) {
	s := openTestStore(t)
	seen := func(id string) bool {
		t.Helper()
		var first bool
		mustUpdate(t, s, func(tx *Tx) error {
			var err error
			first, err = tx.MarkSeen(id, t0)
			return err
		})
		return first
	}
	if !seen("https://b.example/a/1") {
		t.Error("MarkSeen first time = false, want true")
	}
	if seen("https://b.example/a/1") {
		t.Error("MarkSeen second time = true, want false")
	}
	if !seen("https://b.example/a/2") {
		t.Error("MarkSeen of another id = false, want true")
	}
	// A rolled-back MarkSeen leaves the id unseen.
	_ = s.Update(func(tx *Tx) error {
		if _, err := tx.MarkSeen("https://b.example/a/3", t0.Add(time.Minute)); err != nil {
			return err
		}
		return errors.New("rollback")
	})
	if !seen("https://b.example/a/3") {
		t.Error("MarkSeen after a rolled-back MarkSeen = false, want true")
	}
}

// longContext is a @context as federation renders it: long enough to be
// shared between activities.
const longContext = `["https://www.w3.org/ns/activitystreams","https://w3id.org/security/v1",{"mai":"https://w3id.org/maillage/ns#","title":"mai:title","deadline":{"@id":"mai:deadline","@type":"xsd:dateTime"}}]`

// TestActivityContextShared stores activities whose JSON starts with the
// same @context and checks that the JSON read back is byte for byte what
// was stored, while the context is stored once.
func TestActivityContextShared(t *testing.T) {
	s := openTestStore(t)
	bodies := []string{
		`{"@context":` + longContext + `,"actor":"https://l.example/u/acme","id":"https://l.example/activities/1","object":{"id":"https://l.example/o/1","title":"é \u003c"},"type":"Create"}`,
		`{"@context":` + longContext + `,"id":"https://l.example/activities/2","type":"Update"}`,
		`{"@context":` + longContext + `}`,
		`{"@context":"https://www.w3.org/ns/activitystreams","id":"https://l.example/activities/4","type":"Follow"}`, // short: kept whole
		`{"id":"https://l.example/activities/5","type":"Undo"}`,
		`{"@context":[1,2`, // not JSON: kept whole
	}
	mustUpdate(t, s, func(tx *Tx) error {
		for i, b := range bodies {
			obj := &model.Object{ID: "https://l.example/o/1", Title: "a title repeated in the object's bucket", Text: "a long text"}
			a := model.Activity{ID: fmt.Sprintf("https://l.example/activities/%d", i+1), Type: "Create", Actor: "acme", ObjectID: obj.ID, Object: obj, Published: t0}
			if err := tx.PutActivity(a, []byte(b), true); err != nil {
				return err
			}
		}
		return nil
	})
	mustView(t, s, func(tx *Tx) error {
		for i, want := range bodies {
			id := fmt.Sprintf("https://l.example/activities/%d", i+1)
			a, body, err := tx.Activity(id)
			if err != nil {
				t.Fatalf("Activity(%s): %v", id, err)
			}
			if string(body) != want {
				t.Errorf("Activity(%s) body =\n%s\nwant\n%s", id, body, want)
			}
			if a.ID != id || a.Type != "Create" || a.Actor != "acme" || a.ObjectID != "https://l.example/o/1" || !a.Published.Equal(t0) {
				t.Errorf("Activity(%s) = %+v", id, a)
			}
			if a.Object != nil {
				t.Errorf("Activity(%s) kept its object in the record", id)
			}
			if rec := tx.bucket(bucketActivities).Get([]byte(id)); i < 3 && len(rec) >= len(want) {
				t.Errorf("record of %s is %d bytes, its JSON %d: context not shared", id, len(rec), len(want))
			}
		}
		if n := tx.bucket(bucketContexts).Stats().KeyN; n != 1 {
			t.Errorf("contexts stored = %d, want 1", n)
		}
		got, total, err := tx.Outbox("acme", 0, 2)
		if err != nil || total != len(bodies) || len(got) != 2 || string(got[0]) != bodies[5] || string(got[1]) != bodies[4] {
			t.Errorf("Outbox = %q (total %d), %v", got, total, err)
		}
		return nil
	})
}

// TestActivityOldRecord reads an activity stored before migration 11, as
// its whole metadata and JSON.
func TestActivityOldRecord(t *testing.T) {
	s := openTestStore(t)
	a := model.Activity{ID: "https://l.example/activities/old", Type: "Follow", Actor: "acme", ObjectID: "https://b.example/u/bob", Published: t0}
	body := `{"@context":` + longContext + `,"type":"Follow"}`
	mustUpdate(t, s, func(tx *Tx) error {
		return tx.putJSON(bucketActivities, []byte(a.ID), activityRecord{a, []byte(body)})
	})
	mustView(t, s, func(tx *Tx) error {
		got, b, err := tx.Activity(a.ID)
		if err != nil || string(b) != body || got.Type != "Follow" || got.ObjectID != a.ObjectID {
			t.Errorf("Activity(old) = %+v, %s, %v", got, b, err)
		}
		return nil
	})
}

// fakeEmbed renders an object as a test activity embeds it.
func fakeEmbed(o model.Object) ([]byte, error) {
	return json.Marshal(map[string]any{"id": o.ID, "title": o.Title, "text": o.Text})
}

// TestActivityObjectElided stores a Create whose JSON embeds the stored
// object's rendering and checks that the record leaves it out, that the
// JSON read back is the same bytes, that an edit shows in it, and that an
// activity whose object is gone is not found and left out of the outbox.
func TestActivityObjectElided(t *testing.T) {
	s := openTestStore(t)
	s.SetObjectRenderer(fakeEmbed)
	o := model.Object{ID: "https://l.example/o/1", Kind: model.KindProject, AttributedTo: "https://l.example/u/acme", Local: true,
		Title: "Autopartage", Text: strings.Repeat("Une flotte de véhicules partagés. ", 40), Published: t0}
	emb, _ := fakeEmbed(o)
	body := `{"@context":` + longContext + `,"actor":"https://l.example/u/acme","id":"https://l.example/activities/1","object":` + string(emb) + `,"type":"Create"}`
	a := model.Activity{ID: "https://l.example/activities/1", Type: "Create", Actor: "acme", ObjectID: o.ID, Object: &o, Published: t0}
	mustUpdate(t, s, func(tx *Tx) error {
		if err := tx.PutObject(o); err != nil {
			return err
		}
		return tx.PutActivity(a, []byte(body), true)
	})
	mustView(t, s, func(tx *Tx) error {
		if rec := tx.bucket(bucketActivities).Get([]byte(a.ID)); len(rec) > 300 {
			t.Errorf("record is %d bytes: object or context kept (JSON %d bytes)", len(rec), len(body))
		}
		if _, got, err := tx.Activity(a.ID); err != nil || string(got) != body {
			t.Errorf("Activity = %s, %v\nwant %s", got, err, body)
		}
		return nil
	})

	edited := o
	edited.Title = "Autopartage rural"
	mustUpdate(t, s, func(tx *Tx) error { return tx.PutObject(edited) })
	emb2, _ := fakeEmbed(edited)
	mustView(t, s, func(tx *Tx) error {
		want := strings.Replace(body, string(emb), string(emb2), 1)
		if _, got, err := tx.Activity(a.ID); err != nil || string(got) != want {
			t.Errorf("Activity after edit = %s, %v\nwant %s", got, err, want)
		}
		return nil
	})

	// The same body stored without a renderer is kept whole: nothing to
	// render it back with.
	s2 := openTestStore(t)
	mustUpdate(t, s2, func(tx *Tx) error {
		if err := tx.PutObject(o); err != nil {
			return err
		}
		return tx.PutActivity(a, []byte(body), true)
	})
	mustView(t, s2, func(tx *Tx) error {
		if _, got, err := tx.Activity(a.ID); err != nil || string(got) != body {
			t.Errorf("Activity without renderer = %s, %v", got, err)
		}
		return nil
	})

	mustUpdate(t, s, func(tx *Tx) error { return tx.DeleteObject(o.ID) })
	mustView(t, s, func(tx *Tx) error {
		if _, _, err := tx.Activity(a.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("Activity of a deleted object: err = %v, want ErrNotFound", err)
		}
		if got, _, err := tx.Outbox("acme", 0, 10); err != nil || len(got) != 0 {
			t.Errorf("Outbox = %q, %v; want none", got, err)
		}
		return nil
	})
}
