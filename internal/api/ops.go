package api

import (
	"net/http"
	"strconv"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/wire"
)

// DeliveryQueue lists and changes queued deliveries; package delivery's
// Worker implements it, and refuses (delivery.ErrInFlight) to change one
// being sent.
type DeliveryQueue interface {
	Queue(host, after string, limit int) (wire.QueueView, error)
	RetryNow(id uint64) (model.Delivery, error)
	Drop(id uint64) (model.Delivery, error)
}

// ready is the readiness probe: 200 when the instance can do its work,
// 503 otherwise. /healthz stays a liveness probe that only says the
// process answers.
func (h *Handler) ready(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if h.readyCheck != nil {
		if err := h.readyCheck(); err != nil {
			http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
	}
	_, _ = w.Write([]byte("ready\n"))
}

// backupTime bounds how long a backup download may take: its read
// transaction keeps bbolt from reusing freed pages and, if the file must
// grow, holds writers back, so a stalled client must not hold it forever.
func backupTime(size int64) time.Duration {
	const minRate = 1 << 20 // bytes per second
	return 5*time.Minute + time.Duration(size/minRate)*time.Second
}

// apiBackup streams a consistent copy of the database, taken in one read
// transaction while the instance keeps reading and writing.
func (h *Handler) apiBackup(w http.ResponseWriter, r *http.Request) {
	started := h.now()
	sent := false
	n, err := h.svc.Backup(w, func(size int64) {
		// A connection deadline is on the wall clock, not the instance's.
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(backupTime(size)))
		hd := w.Header()
		hd.Set("Content-Type", "application/octet-stream")
		hd.Set("Content-Length", strconv.FormatInt(size, 10))
		hd.Set("Content-Disposition", `attachment; filename="maillage-`+started.UTC().Format("20060102T150405Z")+`.db"`)
		w.WriteHeader(http.StatusOK)
		sent = true
	})
	if err != nil {
		if !sent {
			h.writeAPIError(w, err)
			return
		}
		// The body is shorter than its Content-Length: the client sees a
		// truncated download, never a short file that looks whole.
		h.log.Error("backup interrupted", "err", err, "bytes", n)
		return
	}
	h.log.Info("backup sent", "bytes", n, "duration", h.now().Sub(started))
}
