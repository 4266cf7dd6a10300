package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// DeliveryView is a queued delivery as the admin API shows it.
type DeliveryView struct {
	ID          uint64    `json:"id"`
	ActivityID  string    `json:"activity_id"`
	Inbox       string    `json:"inbox"`
	Host        string    `json:"host"`
	Attempts    int       `json:"attempts"`
	Created     time.Time `json:"created"`
	NextAttempt time.Time `json:"next_attempt"`
	LastError   string    `json:"last_error,omitempty"`
}

// FailingHost sums up the queued deliveries to one host that failed at
// least once.
type FailingHost struct {
	Host      string    `json:"host"`
	Queued    int       `json:"queued"`  // every queued delivery to the host
	Failing   int       `json:"failing"` // those tried at least once
	NextRetry time.Time `json:"next_retry"`
	LastError string    `json:"last_error"` // of the delivery retried next
}

// QueueView is the answer of GET /api/v1/deliveries.
type QueueView struct {
	Total      int            `json:"total"`
	Oldest     *time.Time     `json:"oldest,omitempty"` // creation of the oldest queued delivery
	Hosts      []FailingHost  `json:"failing_hosts"`    // most failing first
	Deliveries []DeliveryView `json:"deliveries"`       // in attempt order, at most limit
	Truncated  bool           `json:"truncated,omitempty"`
}

const (
	defaultQueueLimit = 100
	maxQueueLimit     = 10000
)

func deliveryView(d model.Delivery) DeliveryView {
	return DeliveryView{ID: d.ID, ActivityID: d.ActivityID, Inbox: d.Inbox, Host: inboxHost(d.Inbox),
		Attempts: d.Attempts, Created: d.Created, NextAttempt: d.NextAttempt, LastError: d.LastError}
}

func inboxHost(inbox string) string {
	u, err := url.Parse(inbox)
	if err != nil {
		return ""
	}
	return u.Host
}

// apiDeliveries lists the queue (?host= to keep one host, ?limit= to show
// more than 100) and sums it up by failing host.
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
	var queue []model.Delivery
	if err := h.store.View(func(tx *store.Tx) error {
		var err error
		queue, _, err = tx.Queue()
		return err
	}); err != nil {
		h.writeAPIError(w, err)
		return
	}
	writeAPI(w, http.StatusOK, summarizeQueue(queue, r.URL.Query().Get("host"), limit))
}

func summarizeQueue(queue []model.Delivery, host string, limit int) QueueView {
	v := QueueView{Hosts: []FailingHost{}, Deliveries: []DeliveryView{}}
	byHost := map[string]*FailingHost{}
	for _, d := range queue {
		dv := deliveryView(d)
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
			fh = &FailingHost{Host: dv.Host}
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
	slices.SortFunc(v.Hosts, func(a, b FailingHost) int {
		return cmp.Or(cmp.Compare(b.Failing, a.Failing), cmp.Compare(a.Host, b.Host))
	})
	return v
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
	writeAPI(w, http.StatusOK, deliveryView(d))
}
