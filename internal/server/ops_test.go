package server_test

import (
	"bufio"
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"codeberg.org/maillage/maillage/internal/config"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/server"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/store"
)

// scrape reads an instance's /metrics into "name{labels}" -> value.
func scrape(t *testing.T, in *testenv.Instance) map[string]float64 {
	t.Helper()
	status, body := in.Get(in.Base+"/metrics", "text/plain")
	if status != http.StatusOK {
		t.Fatalf("GET /metrics = %d", status)
	}
	out := map[string]float64{}
	s := bufio.NewScanner(bytes.NewReader(body))
	for s.Scan() {
		line := s.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

func get(t *testing.T, url string, accept string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Accept", accept)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func postInbox(t *testing.T, url, contentType, body string) int {
	t.Helper()
	resp, err := http.Post(url, contentType, strings.NewReader(body))
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestMetrics federates two instances and reads what each counted: both
// live in this process, each on its own registry.
func TestMetrics(t *testing.T) {
	a := testenv.Start(t, "127.0.0.82", testenv.Options{})
	b := testenv.Start(t, "127.0.0.84", testenv.Options{})
	follow(t, b, "coop", a.Handle("coop"))
	waitAccepted(t, b, "coop", a.Actor("coop"))
	o := publish(t, a, "coop", callInput())
	testenv.WaitFor(t, wait, "B to hold the call", func() bool { return holds(b, a.Actor("coop"), o.ID) })

	for range 2 {
		get(t, a.Base+"/orgs/coop", "text/html")
	}
	if s := get(t, a.Base+"/no/such/page", "text/html"); s != http.StatusNotFound {
		t.Fatalf("unknown page: %d", s)
	}
	unsigned := `{"@context":"https://www.w3.org/ns/activitystreams","id":"` + b.Base + `/x","type":"Follow","actor":"` +
		b.Actor("coop") + `","object":"` + a.Actor("coop") + `"}`
	if s := postInbox(t, a.Base+"/inbox", "application/activity+json", unsigned); s != http.StatusUnauthorized {
		t.Errorf("unsigned Follow: %d, want 401", s)
	}
	if s := postInbox(t, a.Base+"/inbox", "text/plain", unsigned); s != http.StatusUnsupportedMediaType {
		t.Errorf("text/plain POST: %d, want 415", s)
	}

	var ma map[string]float64
	testenv.WaitFor(t, wait, "A's queue to drain", func() bool {
		ma = scrape(t, a)
		return ma["maillage_delivery_queue_depth"] == 0 && ma[`maillage_deliveries_total{outcome="delivered"}`] >= 2
	})
	mb := scrape(t, b)
	atLeast := func(who string, m map[string]float64, key string, want float64) {
		t.Helper()
		if got, ok := m[key]; !ok || got < want {
			t.Errorf("%s: %s = %v (present %t), want at least %v", who, key, got, ok, want)
		}
	}
	atLeast("A", ma, `maillage_http_requests_total{route="/orgs/{org}",status="2xx"}`, 2)
	atLeast("A", ma, `maillage_http_requests_total{route="unmatched",status="4xx"}`, 1)
	atLeast("A", ma, `maillage_http_requests_total{route="/api/v1/orgs/{org}/objects",status="2xx"}`, 1)
	atLeast("A", ma, `maillage_inbox_activities_total{outcome="accepted",type="Follow"}`, 1)
	// An unverified body is never decoded, not even to label the count.
	atLeast("A", ma, `maillage_inbox_activities_total{outcome="rejected-signature",type="unknown"}`, 1)
	atLeast("A", ma, `maillage_inbox_activities_total{outcome="refused",type="unknown"}`, 1)
	atLeast("A", ma, `maillage_deliveries_total{outcome="delivered"}`, 2) // the Accept and the Create
	atLeast("A", ma, `maillage_store_size_bytes`, 1)
	atLeast("A", ma, `maillage_build_info{version="test"}`, 1)
	atLeast("A", ma, `go_goroutines`, 1)
	atLeast("A", ma, `process_resident_memory_bytes`, 1)
	atLeast("B", mb, `maillage_inbox_activities_total{outcome="accepted",type="Accept"}`, 1)
	atLeast("B", mb, `maillage_inbox_activities_total{outcome="accepted",type="Create"}`, 1)
	for k := range ma {
		if strings.Contains(k, `route="/orgs/coop"`) || strings.Contains(k, "/no/such/page") {
			t.Errorf("A counts a raw path, not a route pattern: %s", k)
		}
	}
	for _, key := range []string{`maillage_inbox_activities_total{outcome="rejected-signature",type="unknown"}`,
		`maillage_http_requests_total{route="unmatched",status="4xx"}`} {
		if _, ok := mb[key]; ok {
			t.Errorf("B has %s, which only A counted: the registries are shared", key)
		}
	}
	if fams, err := prometheus.DefaultGatherer.Gather(); err == nil {
		for _, f := range fams {
			if strings.HasPrefix(f.GetName(), "maillage_") {
				t.Errorf("the global default registry holds %s", f.GetName())
			}
		}
	}
}

// TestQueueGaugesAndReadiness holds deliveries: the queue gauges show the
// waiting one and /readyz says the worker is not running; after shutdown
// /readyz answers 503 too, while /healthz never depends on either.
func TestQueueGaugesAndReadiness(t *testing.T) {
	a := testenv.Start(t, "127.0.0.85", testenv.Options{})
	if status, body := a.Get(a.Base+"/readyz", "text/plain"); status != http.StatusOK || string(body) != "ready\n" {
		t.Errorf("/readyz of a running instance = %d %q, want 200 ready", status, body)
	}

	h := testenv.Start(t, "127.0.0.86", testenv.Options{HoldDeliveries: true})
	err := h.Server.Store.Update(func(tx *store.Tx) error {
		return tx.PutFollower("coop", model.Follower{Actor: a.Actor("coop"), Inbox: a.Actor("coop") + "/inbox",
			SharedInbox: a.Base + "/inbox", FollowID: a.Base + "/follows/1", Since: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	publish(t, h, "coop", callInput())
	time.Sleep(10 * time.Millisecond) // so that the oldest delivery has an age
	m := scrape(t, h)
	if got := m["maillage_delivery_queue_depth"]; got != 1 {
		t.Errorf("queue depth = %v, want 1", got)
	}
	if got := m["maillage_delivery_queue_oldest_age_seconds"]; got <= 0 || got > 60 {
		t.Errorf("oldest age = %v, want a few milliseconds", got)
	}
	if status, body := h.Get(h.Base+"/readyz", "text/plain"); status != http.StatusServiceUnavailable ||
		!strings.Contains(string(body), "delivery worker not running") {
		t.Errorf("/readyz with deliveries held = %d %q, want 503 naming the worker", status, body)
	}
	if status, _ := h.Get(h.Base+"/healthz", "text/plain"); status != http.StatusOK {
		t.Errorf("/healthz with deliveries held = %d, want 200", status)
	}

	a.Stop()
	rec := httptest.NewRecorder()
	a.Server.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "shutting down") {
		t.Errorf("/readyz after shutdown = %d %q, want 503 shutting down", rec.Code, rec.Body.String())
	}
	if err := a.Server.Ready(); err == nil {
		t.Error("Ready after shutdown = nil")
	}
}

// TestMetricsOff checks that -metrics=false removes /metrics, and that an
// embedder's registry receives the metrics when on.
func TestMetricsOff(t *testing.T) {
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	for _, on := range []bool{false, true} {
		cfg := config.Default()
		cfg.DataDir, cfg.Metrics = t.TempDir(), on
		reg := prometheus.NewRegistry()
		srv, err := server.New(cfg, log, server.Options{Version: "test", Registry: reg})
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		fams, _ := reg.Gather()
		if on && (rec.Code != http.StatusOK || len(fams) == 0) {
			t.Errorf("metrics on: /metrics = %d, %d families in the given registry", rec.Code, len(fams))
		}
		if !on && (rec.Code != http.StatusNotFound || len(fams) != 0) {
			t.Errorf("metrics off: /metrics = %d, %d families registered; want 404 and none", rec.Code, len(fams))
		}
		if err := srv.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
