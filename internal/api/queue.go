package api

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/federation/delivery"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
)

const (
	defaultQueueLimit = 100
	maxQueueLimit     = service.MaxPageSize
)

// apiDeliveries lists the queue (?host= to keep one host, ?limit= to show
// more than 100, ?after= for the deliveries after a previous answer's
// next) and sums it up by failing host.
func (h *Handler) apiDeliveries(w http.ResponseWriter, r *http.Request) {
	limit := defaultQueueLimit
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			writeAPI(w, http.StatusBadRequest, apiError{Error: "limit must be a positive number"})
			return
		}
		limit = min(n, maxQueueLimit)
	}
	if h.queue == nil {
		writeAPI(w, http.StatusServiceUnavailable, apiError{Error: "no delivery worker"})
		return
	}
	v, err := h.queue.Queue(r.URL.Query().Get("host"), r.URL.Query().Get("after"), limit)
	if err != nil {
		h.writeAPIError(w, err)
		return
	}
	if v.Next != "" {
		setNextLink(w, r, v.Next)
	}
	writeAPI(w, http.StatusOK, v)
}

// apiRetryDelivery makes a queued delivery due now and wakes the worker.
func (h *Handler) apiRetryDelivery(w http.ResponseWriter, r *http.Request) {
	h.changeDelivery(w, r, func(q DeliveryQueue, id uint64) (model.Delivery, error) { return q.RetryNow(id) })
}

// apiDropDelivery removes a queued delivery without sending it.
func (h *Handler) apiDropDelivery(w http.ResponseWriter, r *http.Request) {
	h.changeDelivery(w, r, func(q DeliveryQueue, id uint64) (model.Delivery, error) { return q.Drop(id) })
}

func (h *Handler) changeDelivery(w http.ResponseWriter, r *http.Request, change func(DeliveryQueue, uint64) (model.Delivery, error)) {
	id, err := strconv.ParseUint(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		writeAPI(w, http.StatusNotFound, apiError{Error: http.StatusText(http.StatusNotFound)})
		return
	}
	if h.queue == nil {
		writeAPI(w, http.StatusServiceUnavailable, apiError{Error: "no delivery worker"})
		return
	}
	d, err := change(h.queue, id)
	if err != nil {
		h.writeAPIError(w, err)
		return
	}
	h.log.Info("delivery changed by an administrator", "path", r.URL.Path, "inbox", d.Inbox, "activity_id", d.ActivityID)
	writeAPI(w, http.StatusOK, delivery.View(d))
}
