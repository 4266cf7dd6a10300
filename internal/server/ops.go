package server

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"codeberg.org/maillage/maillage/federation/delivery"
	"codeberg.org/maillage/maillage/internal/config"
	"codeberg.org/maillage/maillage/internal/metrics"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// newMetrics builds the instance's metrics on opt.Registry (a fresh
// registry when nil), or returns nil when the config turns them off.
func newMetrics(cfg config.Config, opt Options, st *store.Store, version string) (*metrics.Metrics, error) {
	if !cfg.Metrics {
		return nil, nil
	}
	return metrics.New(metrics.Options{Registry: opt.Registry, Version: version,
		StoreStats: func() (metrics.StoreStats, error) {
			var s metrics.StoreStats
			err := st.View(func(tx *store.Tx) error {
				q, err := tx.QueueStats()
				s.QueueDepth, s.QueueOldest = q.Depth, q.Oldest
				return err
			})
			s.SizeBytes = st.Size()
			return s, err
		}})
}

// countResults counts delivery outcomes in m, then passes them on to next
// (the embedder's hook, may be nil).
func countResults(m *metrics.Metrics, next func(model.Delivery, delivery.Outcome)) func(model.Delivery, delivery.Outcome) {
	if m == nil {
		return next
	}
	return func(d model.Delivery, o delivery.Outcome) {
		m.Delivery(string(o))
		if next != nil {
			next(d, o)
		}
	}
}

// readiness is what /readyz checks: Run sets the flags, the probe reads them
// and asks the store for a read transaction.
type readiness struct {
	st       *store.Store
	log      *slog.Logger
	worker   atomic.Bool // the delivery worker is running
	stopping atomic.Bool // shutdown has begun
}

// Errors of the readiness check; their text is shown by /readyz.
var (
	errStopping      = errors.New("shutting down")
	errWorkerStopped = errors.New("delivery worker not running")
	errStoreDown     = errors.New("store not answering")
)

func (r *readiness) check() error {
	switch {
	case r.stopping.Load():
		return errStopping
	case !r.worker.Load():
		return errWorkerStopped
	}
	if err := r.st.View(func(*store.Tx) error { return nil }); err != nil {
		r.log.Warn("readiness: store read failed", "err", err)
		return errStoreDown
	}
	return nil
}

// Ready reports whether the instance can do its work (what /readyz says).
func (s *Server) Ready() error { return s.ready.check() }

// inboxHook is federation's OnInbox: nil without metrics, so that the inbox
// does not even read the type of a rejected activity.
func inboxHook(m *metrics.Metrics) func(activityType, outcome string) {
	if m == nil {
		return nil
	}
	return m.Inbox
}

// maintain runs the daily housekeeping until ctx ends: reminders,
// forgetting old remote deletions, the ids of old incoming activities and
// the remote actors nothing refers to any more.
func (s *Server) maintain(ctx context.Context) {
	tick := time.NewTicker(24 * time.Hour)
	defer tick.Stop()
	for {
		if n, err := s.Service.SendReminders(ctx); err != nil {
			s.log.Error("reminders failed", "err", err)
		} else if n > 0 {
			s.log.Info("reminders added", "count", n)
		}
		if n, err := s.Service.PruneTombstones(ctx); err != nil {
			s.log.Error("housekeeping failed", "err", err)
		} else if n > 0 {
			s.log.Info("old tombstones forgotten", "count", n)
		}
		if n, err := s.Service.PruneSeen(ctx); err != nil {
			s.log.Error("housekeeping failed", "err", err)
		} else if n > 0 {
			s.log.Info("old activity ids forgotten", "count", n)
		}
		if n, err := s.Service.PruneActors(ctx); err != nil {
			s.log.Error("housekeeping failed", "err", err)
		} else if n > 0 {
			s.log.Info("unneeded remote actors forgotten", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
