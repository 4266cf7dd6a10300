package delivery

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/internal/wire"
	"codeberg.org/maillage/maillage/store"
)

// This file is the queue as operators see it: the admin API and the CLI
// list it, the metrics count it, and administrators retry or drop one
// delivery (admin.go). Reading needs only the store; changes go through
// the Worker, which knows what is being sent.

// Stats is what the metrics report about the queue.
type Stats struct {
	Depth  int
	Oldest time.Time // creation of the oldest queued delivery; zero when empty
}

// QueueStats counts st's queue without decoding it (metrics call it on
// every scrape).
func QueueStats(st *store.Store) (Stats, error) {
	var s Stats
	err := st.View(func(tx *store.Tx) error {
		q, err := tx.QueueStats()
		s.Depth, s.Oldest = q.Depth, q.Oldest
		return err
	})
	return s, err
}

// Queue lists the queue in attempt order, at most limit deliveries, those
// to host only when host is not "" (any spelling: hosts compare by
// uris.HostOf), and sums it up by failing host.
func (w *Worker) Queue(host, after string, limit int) (wire.QueueView, error) {
	return ListQueue(w.st, host, after, limit)
}

// ListQueue is Worker.Queue for a store without a running worker: the
// queue's sums, and at most limit of its deliveries (to host if not ""),
// from the one after the cursor after (a previous view's Next). Each
// delivery is decoded and dropped in turn, so a view holds one page and
// one line per host whatever the queue's length.
func ListQueue(st *store.Store, host, after string, limit int) (wire.QueueView, error) {
	if host != "" {
		host = uris.HostOf(host)
	}
	cursor, err := store.ParseCursor(after)
	if err != nil {
		return wire.QueueView{}, err
	}
	limit = max(limit, 0)
	s := newSummary()
	v := wire.QueueView{Deliveries: []wire.DeliveryView{}}
	var last store.Cursor
	err = st.View(func(tx *store.Tx) error {
		err := tx.EachQueued("", func(_ store.Cursor, d model.Delivery) (bool, error) {
			if host == "" || uris.HostOf(d.Inbox) == host {
				s.add(d)
			}
			return true, nil
		})
		if err != nil {
			return err
		}
		return tx.EachQueued(cursor, func(c store.Cursor, d model.Delivery) (bool, error) {
			dv := View(d)
			if host != "" && dv.Host != host {
				return true, nil
			}
			if len(v.Deliveries) == limit {
				v.Next, v.Truncated = string(last), true
				return false, nil
			}
			v.Deliveries = append(v.Deliveries, dv)
			last = c
			return true, nil
		})
	})
	if err != nil {
		return wire.QueueView{}, fmt.Errorf("delivery: list queue: %w", err)
	}
	s.fill(&v)
	return v, nil
}

// View is a queued delivery as the admin API shows it.
func View(d model.Delivery) wire.DeliveryView {
	return wire.DeliveryView{ID: d.ID, ActivityID: d.ActivityID, Inbox: d.Inbox, Host: uris.HostOf(d.Inbox),
		Attempts: d.Attempts, Created: d.Created, NextAttempt: d.NextAttempt, LastError: d.LastError}
}

// summary sums the queue up by host.
type summary struct {
	total  int
	oldest time.Time
	byHost map[string]*wire.FailingHost
}

func newSummary() *summary { return &summary{byHost: map[string]*wire.FailingHost{}} }

func (s *summary) add(d model.Delivery) {
	s.total++
	if s.oldest.IsZero() || d.Created.Before(s.oldest) {
		s.oldest = d.Created
	}
	h := uris.HostOf(d.Inbox)
	fh := s.byHost[h]
	if fh == nil {
		fh = &wire.FailingHost{Host: h}
		s.byHost[h] = fh
	}
	fh.Queued++
	if d.Attempts > 0 {
		fh.Failing++
		if fh.NextRetry.IsZero() || d.NextAttempt.Before(fh.NextRetry) {
			fh.NextRetry, fh.LastError = d.NextAttempt, d.LastError
		}
	}
}

// fill sets v's sums: the hosts that failed, most failing first.
func (s *summary) fill(v *wire.QueueView) {
	v.Total, v.Hosts = s.total, []wire.FailingHost{}
	if s.total > 0 {
		v.Oldest = &s.oldest
	}
	for _, fh := range s.byHost {
		if fh.Failing > 0 {
			v.Hosts = append(v.Hosts, *fh)
		}
	}
	slices.SortFunc(v.Hosts, func(a, b wire.FailingHost) int {
		return cmp.Or(cmp.Compare(b.Failing, a.Failing), cmp.Compare(a.Host, b.Host))
	})
}
