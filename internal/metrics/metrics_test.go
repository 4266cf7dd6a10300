package metrics

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
)

// scrape serves m's metrics and returns the lines of samples.
func scrape(t *testing.T, m *Metrics) []string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	var out []string
	for _, l := range strings.Split(rec.Body.String(), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

func hasLine(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

func TestStatusClass(t *testing.T) {
	for code, want := range map[int]string{0: "2xx", 101: "1xx", 200: "2xx", 204: "2xx", 302: "3xx", 404: "4xx", 499: "4xx", 500: "5xx", 503: "5xx"} {
		if got := statusClass(code); got != want {
			t.Errorf("statusClass(%d) = %s, want %s", code, got, want)
		}
	}
}

func TestNilMetricsRecordNothing(t *testing.T) {
	var m *Metrics
	m.Inbox("Follow", "accepted")
	m.Delivery("delivered")
	next := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	if h := m.Middleware(next); h == nil {
		t.Error("Middleware of nil Metrics = nil, want next")
	}
	if m.Registry() != nil {
		t.Error("Registry of nil Metrics != nil")
	}
}

func TestMiddlewareCountsRoutePatterns(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	stats := StoreStats{QueueDepth: 3, QueueOldest: now.Add(-90 * time.Second), SizeBytes: 4096}
	m, err := New(Options{Version: "v1", Now: func() time.Time { return now },
		StoreStats: func() (StoreStats, error) { return stats, nil }})
	if err != nil {
		t.Fatal(err)
	}
	r := chi.NewRouter()
	r.Use(m.Middleware)
	r.Get("/orgs/{org}", func(w http.ResponseWriter, r *http.Request) {})
	r.Route("/api", func(r chi.Router) {
		r.Post("/things/{id}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusConflict) })
	})
	r.Get("/boom", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusInternalServerError) })
	for _, req := range []*http.Request{
		httptest.NewRequest(http.MethodGet, "/orgs/a", nil),
		httptest.NewRequest(http.MethodGet, "/orgs/b", nil),
		httptest.NewRequest(http.MethodPost, "/api/things/7", nil),
		httptest.NewRequest(http.MethodGet, "/boom", nil),
		httptest.NewRequest(http.MethodGet, "/nowhere", nil),
	} {
		r.ServeHTTP(httptest.NewRecorder(), req)
	}
	lines := scrape(t, m)
	for _, want := range []string{
		`maillage_http_requests_total{route="/orgs/{org}",status="2xx"} 2`,
		`maillage_http_requests_total{route="/api/things/{id}",status="4xx"} 1`,
		`maillage_http_requests_total{route="/boom",status="5xx"} 1`,
		`maillage_http_requests_total{route="unmatched",status="4xx"} 1`,
		`maillage_delivery_queue_depth 3`,
		`maillage_delivery_queue_oldest_age_seconds 90`,
		`maillage_store_size_bytes 4096`,
		`maillage_build_info{version="v1"} 1`,
		`maillage_deliveries_total{outcome="dropped"} 0`,
	} {
		if !hasLine(lines, want) {
			t.Errorf("metrics lack %q:\n%s", want, strings.Join(lines, "\n"))
		}
	}
}

func TestStoreStatsError(t *testing.T) {
	m, err := New(Options{StoreStats: func() (StoreStats, error) { return StoreStats{}, errors.New("store closed") }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Registry().Gather(); err == nil || !strings.Contains(err.Error(), "store closed") {
		t.Errorf("Gather with a failing store = %v, want the store's error", err)
	}
}
