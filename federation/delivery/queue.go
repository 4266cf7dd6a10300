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
func (w *Worker) Queue(host string, limit int) (wire.QueueView, error) {
	return ListQueue(w.st, host, limit)
}

// ListQueue is Worker.Queue for a store without a running worker.
func ListQueue(st *store.Store, host string, limit int) (wire.QueueView, error) {
	var queue []model.Delivery
	if err := st.View(func(tx *store.Tx) error {
		var err error
		queue, _, err = tx.Queue()
		return err
	}); err != nil {
		return wire.QueueView{}, fmt.Errorf("delivery: list queue: %w", err)
	}
	if host != "" {
		host = uris.HostOf(host)
	}
	return summarize(queue, host, max(limit, 0)), nil
}

// View is a queued delivery as the admin API shows it.
func View(d model.Delivery) wire.DeliveryView {
	return wire.DeliveryView{ID: d.ID, ActivityID: d.ActivityID, Inbox: d.Inbox, Host: uris.HostOf(d.Inbox),
		Attempts: d.Attempts, Created: d.Created, NextAttempt: d.NextAttempt, LastError: d.LastError}
}

func summarize(queue []model.Delivery, host string, limit int) wire.QueueView {
	v := wire.QueueView{Hosts: []wire.FailingHost{}, Deliveries: []wire.DeliveryView{}}
	byHost := map[string]*wire.FailingHost{}
	for _, d := range queue {
		dv := View(d)
		if host != "" && dv.Host != host {
			continue
		}
		v.Total++
		if v.Oldest == nil || d.Created.Before(*v.Oldest) {
			v.Oldest = &d.Created
		}
		if len(v.Deliveries) < limit {
			v.Deliveries = append(v.Deliveries, dv)
		} else {
			v.Truncated = true
		}
		fh := byHost[dv.Host]
		if fh == nil {
			fh = &wire.FailingHost{Host: dv.Host}
			byHost[dv.Host] = fh
		}
		fh.Queued++
		if d.Attempts > 0 {
			fh.Failing++
			if fh.NextRetry.IsZero() || d.NextAttempt.Before(fh.NextRetry) {
				fh.NextRetry, fh.LastError = d.NextAttempt, d.LastError
			}
		}
	}
	for _, fh := range byHost {
		if fh.Failing > 0 {
			v.Hosts = append(v.Hosts, *fh)
		}
	}
	slices.SortFunc(v.Hosts, func(a, b wire.FailingHost) int {
		return cmp.Or(cmp.Compare(b.Failing, a.Failing), cmp.Compare(a.Host, b.Host))
	})
	return v
}
