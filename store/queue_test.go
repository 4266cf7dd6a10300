package store

import (
	"slices"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

func enqueue(t *testing.T, s *Store, ds ...model.Delivery) []model.Delivery {
	t.Helper()
	var out []model.Delivery
	mustUpdate(t, s, func(tx *Tx) error {
		for _, d := range ds {
			q, err := tx.Enqueue(d)
			if err != nil {
				return err
			}
			out = append(out, q)
		}
		return nil
	})
	return out
}

func inboxes(ds []model.Delivery) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Inbox)
	}
	return out
}

func TestEnqueueAssignsIncreasingIDs(t *testing.T) {
	s := openTestStore(t)
	ds := enqueue(t, s,
		model.Delivery{Inbox: "a", NextAttempt: t0},
		model.Delivery{Inbox: "b", NextAttempt: t0},
	)
	ds = append(ds, enqueue(t, s, model.Delivery{Inbox: "c", NextAttempt: t0})...)
	for i := 1; i < len(ds); i++ {
		if ds[i].ID <= ds[i-1].ID {
			t.Errorf("IDs %d then %d, want increasing", ds[i-1].ID, ds[i].ID)
		}
	}
	if ds[0].ID == 0 {
		t.Error("first ID = 0, want a non-zero sequence")
	}
}

func TestDue(t *testing.T) {
	s := openTestStore(t)
	enqueue(t, s,
		model.Delivery{Inbox: "later", NextAttempt: t0.Add(2 * time.Hour)},
		model.Delivery{Inbox: "now", NextAttempt: t0},
		model.Delivery{Inbox: "past", NextAttempt: t0.Add(-time.Hour)},
		model.Delivery{Inbox: "soon", NextAttempt: t0.Add(time.Minute)},
		model.Delivery{Inbox: "now2", NextAttempt: t0}, // same time: enqueue order
	)
	tests := []struct {
		name     string
		now      time.Time
		limit    int
		want     []string
		wantNext time.Time
	}{
		{"before everything", t0.Add(-2 * time.Hour), 10, nil, t0.Add(-time.Hour)},
		{"at t0", t0, 10, []string{"past", "now", "now2"}, t0.Add(time.Minute)},
		{"one nanosecond before t0", t0.Add(-1), 10, []string{"past"}, t0},
		{"limit: more is due", t0, 2, []string{"past", "now"}, t0},
		{"everything due", t0.Add(3 * time.Hour), 10, []string{"past", "now", "now2", "soon", "later"}, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mustView(t, s, func(tx *Tx) error {
				due, next, err := due(tx, tt.now, tt.limit)
				if err != nil {
					t.Fatal(err)
				}
				if got := inboxes(due); !slices.Equal(got, tt.want) {
					t.Errorf("Due(%s, %d) = %q, want %q", tt.now, tt.limit, got, tt.want)
				}
				if !next.Equal(tt.wantNext) {
					t.Errorf("next = %s, want %s", next, tt.wantNext)
				}
				return nil
			})
		})
	}
}

func TestDueEmptyQueue(t *testing.T) {
	s := openTestStore(t)
	mustView(t, s, func(tx *Tx) error {
		due, next, err := due(tx, t0, 10)
		if err != nil || len(due) != 0 || !next.IsZero() {
			t.Errorf("Due on empty queue = %v, %s, %v; want nothing, zero time", due, next, err)
		}
		return nil
	})
}

func TestRescheduleAndDequeue(t *testing.T) {
	s := openTestStore(t)
	ds := enqueue(t, s,
		model.Delivery{Inbox: "a", NextAttempt: t0, Created: t0},
		model.Delivery{Inbox: "b", NextAttempt: t0, Created: t0},
	)
	a := ds[0]
	next := a
	next.Attempts, next.NextAttempt, next.LastError = 1, t0.Add(time.Hour), "503"
	mustUpdate(t, s, func(tx *Tx) error { return tx.Reschedule(a, next) })
	mustView(t, s, func(tx *Tx) error {
		due, when, err := due(tx, t0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if got := inboxes(due); !slices.Equal(got, []string{"b"}) {
			t.Errorf("Due after Reschedule = %q, want [b]", got)
		}
		if !when.Equal(t0.Add(time.Hour)) {
			t.Errorf("next = %s, want %s", when, t0.Add(time.Hour))
		}
		all, st, err := tx.Queue()
		if err != nil {
			t.Fatal(err)
		}
		if st.Depth != 2 || len(all) != 2 {
			t.Errorf("Queue depth = %d (%d listed), want 2: Reschedule must move, not copy", st.Depth, len(all))
		}
		if last := all[len(all)-1]; last.ID != a.ID || last.Attempts != 1 || last.LastError != "503" {
			t.Errorf("rescheduled delivery = %+v, want attempts 1, error 503", last)
		}
		return nil
	})

	mustUpdate(t, s, func(tx *Tx) error {
		if err := tx.Dequeue(next); err != nil {
			return err
		}
		return tx.Dequeue(ds[1])
	})
	mustView(t, s, func(tx *Tx) error {
		all, st, err := tx.Queue()
		if err != nil || len(all) != 0 || st.Depth != 0 || !st.Oldest.IsZero() {
			t.Errorf("Queue after Dequeue = %v, %+v, %v; want empty", all, st, err)
		}
		return nil
	})
}

func TestQueueStats(t *testing.T) {
	s := openTestStore(t)
	enqueue(t, s,
		model.Delivery{Inbox: "a", NextAttempt: t0, Created: t0.Add(-time.Minute)},
		model.Delivery{Inbox: "b", NextAttempt: t0.Add(time.Hour), Created: t0.Add(-time.Hour)},
		model.Delivery{Inbox: "c", NextAttempt: t0.Add(-time.Hour), Created: t0},
	)
	mustView(t, s, func(tx *Tx) error {
		all, st, err := tx.Queue()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := inboxes(all), []string{"c", "a", "b"}; !slices.Equal(got, want) {
			t.Errorf("Queue order = %q, want %q (attempt order)", got, want)
		}
		if st.Depth != 3 {
			t.Errorf("Depth = %d, want 3", st.Depth)
		}
		if want := t0.Add(-time.Hour); !st.Oldest.Equal(want) {
			t.Errorf("Oldest = %s, want %s", st.Oldest, want)
		}
		return nil
	})
}

// due collects up to limit due deliveries with EachDue.
func due(tx *Tx, now time.Time, limit int) ([]model.Delivery, time.Time, error) {
	var out []model.Delivery
	next, err := tx.EachDue(now, 1000, func(uint64) bool { return false }, func(d model.Delivery) bool {
		out = append(out, d)
		return len(out) < limit
	})
	return out, next, err
}

func TestEachDueSkipsAndBoundsTheScan(t *testing.T) {
	s := openTestStore(t)
	ds := enqueue(t, s,
		model.Delivery{Inbox: "a", NextAttempt: t0},
		model.Delivery{Inbox: "b", NextAttempt: t0},
		model.Delivery{Inbox: "c", NextAttempt: t0},
	)
	mustView(t, s, func(tx *Tx) error {
		var got []string
		next, err := tx.EachDue(t0, 10, func(id uint64) bool { return id == ds[0].ID }, func(d model.Delivery) bool {
			got = append(got, d.Inbox)
			return true
		})
		if err != nil || !slices.Equal(got, []string{"b", "c"}) || !next.IsZero() {
			t.Errorf("EachDue skipping a = %q, next %s, %v; want [b c], zero", got, next, err)
		}
		got = nil
		next, err = tx.EachDue(t0, 2, func(uint64) bool { return false }, func(d model.Delivery) bool {
			got = append(got, d.Inbox)
			return true
		})
		if err != nil || !slices.Equal(got, []string{"a", "b"}) || !next.Equal(t0) {
			t.Errorf("EachDue limit 2 = %q, next %s, %v; want [a b] and next = now", got, next, err)
		}
		return nil
	})
}
