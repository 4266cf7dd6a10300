package metrics

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// StoreStats are the store figures read at each scrape.
type StoreStats struct {
	QueueDepth  int
	QueueOldest time.Time // creation of the oldest queued delivery; zero when empty
	SizeBytes   int64
}

// Options wire the metrics to one instance.
type Options struct {
	// Registry receives every collector; New makes a fresh one when nil.
	Registry *prometheus.Registry
	// StoreStats is called once per scrape; it must be cheap.
	StoreStats func() (StoreStats, error)
	Version    string
	Now        func() time.Time
}

// Metrics records one instance's metrics.
type Metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.CounterVec
	inbox      *prometheus.CounterVec
	deliveries *prometheus.CounterVec
}

// Delivery outcomes, pre-set to zero so that rates work from the start.
var deliveryOutcomes = []string{"delivered", "retry", "dropped"}

// New registers the collectors on o.Registry.
func New(o Options) (*Metrics, error) {
	if o.Registry == nil {
		o.Registry = prometheus.NewRegistry()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	m := &Metrics{
		reg: o.Registry,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "maillage_http_requests_total",
			Help: "HTTP requests served, by chi route pattern and status class."}, []string{"route", "status"}),
		inbox: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "maillage_inbox_activities_total",
			Help: "Activities POSTed to an inbox, by type and outcome (accepted, ignored, refused, rejected-signature)."},
			[]string{"type", "outcome"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "maillage_deliveries_total",
			Help: "Delivery attempts, by outcome (delivered, retry, dropped)."}, []string{"outcome"}),
	}
	for _, oc := range deliveryOutcomes {
		m.deliveries.WithLabelValues(oc)
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{Name: "maillage_build_info",
		Help: "Always 1; the version label names the running binary.", ConstLabels: prometheus.Labels{"version": o.Version}})
	build.Set(1)
	cs := []prometheus.Collector{m.requests, m.inbox, m.deliveries, build,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})}
	if o.StoreStats != nil {
		cs = append(cs, newStoreCollector(o.StoreStats, o.Now))
	}
	for _, c := range cs {
		if err := o.Registry.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Registry is the registry the metrics live on.
func (m *Metrics) Registry() *prometheus.Registry {
	if m == nil {
		return nil
	}
	return m.reg
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Middleware counts requests by route pattern (never the raw path, which
// would make a series per object) and status class. Put it first, so that
// it sees the 500 of a recovered panic.
func (m *Metrics) Middleware(next http.Handler) http.Handler {
	if m == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		defer func() {
			route := chi.RouteContext(r.Context()).RoutePattern()
			if route == "" {
				route = "unmatched"
			}
			m.requests.WithLabelValues(route, statusClass(ww.Status())).Inc()
		}()
		next.ServeHTTP(ww, r)
	})
}

func statusClass(code int) string {
	switch {
	case code == 0: // nothing written: net/http sends 200
		return "2xx"
	case code < 200:
		return "1xx"
	case code < 300:
		return "2xx"
	case code < 400:
		return "3xx"
	case code < 500:
		return "4xx"
	}
	return "5xx"
}

// Inbox counts one activity POSTed to an inbox.
func (m *Metrics) Inbox(activityType, outcome string) {
	if m != nil {
		m.inbox.WithLabelValues(activityType, outcome).Inc()
	}
}

// Delivery counts one delivery attempt.
func (m *Metrics) Delivery(outcome string) {
	if m != nil {
		m.deliveries.WithLabelValues(outcome).Inc()
	}
}
