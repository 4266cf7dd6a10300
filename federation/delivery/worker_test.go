package delivery_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/federation/delivery"
	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/federation/safehttp"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

const (
	testSignerName = "coop"
	testBase       = "http://127.0.0.1:9" // an identifier only: never contacted
	testActor      = testBase + "/orgs/" + testSignerName
	testKeyID      = testActor + "#main-key"
	waitTimeout    = 5 * time.Second
)

// testKey is generated once per test binary: RSA key generation is slow,
// and more so under -race. It is never modified.
var testKey = sync.OnceValues(httpsign.GenerateKey)

// newSigner stores the local actor testSignerName with the test key in st
// and returns the signing keys the Worker reads from st.
func newSigner(t testing.TB, st *store.Store) *httpsign.LocalKeys {
	t.Helper()
	k, err := testKey()
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(func(tx *store.Tx) error {
		return tx.PutOrg(model.Org{Name: testSignerName, PrivateKeyPEM: httpsign.EncodePrivateKey(k)})
	})
	if err != nil {
		t.Fatal(err)
	}
	return httpsign.NewLocalKeys(st, uris.URIs{Base: testBase})
}

// testKeyFunc is the receiving side's key lookup for the test key.
func testKeyFunc(key *rsa.PrivateKey) httpsign.KeyFunc {
	return func(_ context.Context, keyID string, _ bool) (string, crypto.PublicKey, error) {
		if keyID != testKeyID {
			return "", nil, fmt.Errorf("unknown key %q", keyID)
		}
		return testActor, &key.PublicKey, nil
	}
}

func openStore(t testing.TB, path string) *store.Store {
	t.Helper()
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	return st
}

func newStore(t testing.TB) *store.Store {
	t.Helper()
	st := openStore(t, filepath.Join(t.TempDir(), "test.db"))
	t.Cleanup(func() { st.Close() })
	return st
}

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError}))
}

// enqueue stores an activity with body and queues one delivery of it to
// each inbox, due at created, in one transaction as the service does.
func enqueue(t testing.TB, st *store.Store, activityID string, body []byte, created time.Time, inboxes ...string) []model.Delivery {
	t.Helper()
	var out []model.Delivery
	err := st.Update(func(tx *store.Tx) error {
		a := model.Activity{ID: activityID, Type: "Create", Actor: testSignerName, Published: created}
		if err := tx.PutActivity(a, body, false); err != nil {
			return err
		}
		for _, inbox := range inboxes {
			d, err := tx.Enqueue(model.Delivery{ActivityID: activityID, Signer: testSignerName, Inbox: inbox,
				Created: created, NextAttempt: created})
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("enqueue: %v", err)
	}
	return out
}

func queued(t testing.TB, st *store.Store) []model.Delivery {
	t.Helper()
	var q []model.Delivery
	err := st.View(func(tx *store.Tx) error {
		var err error
		q, _, err = tx.Queue()
		return err
	})
	if err != nil {
		t.Fatalf("read queue: %v", err)
	}
	return q
}

type result struct {
	d       model.Delivery
	outcome delivery.Outcome
}

// startWorker runs a Worker until the test ends and returns the channel its
// attempt outcomes arrive on.
func startWorker(t testing.TB, st *store.Store, client *http.Client, o delivery.Options) <-chan result {
	t.Helper()
	results, stop := runWorker(t, st, client, o)
	t.Cleanup(stop)
	return results
}

// runWorker runs a Worker until stop is called; stop returns once Run has
// returned, that is when no attempt is in flight any more. The results
// channel holds 4096 outcomes: read them, or OnResult blocks.
func runWorker(t testing.TB, st *store.Store, client *http.Client, o delivery.Options) (<-chan result, func()) {
	t.Helper()
	results := make(chan result, 4096)
	o.OnResult = func(d model.Delivery, outcome delivery.Outcome) { results <- result{d, outcome} }
	w := delivery.New(st, client, newSigner(t, st), testLogger(t), o)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	return results, stop
}

// next waits for the next attempt outcome, failing the test after a
// deadline.
func next(t testing.TB, results <-chan result) result {
	t.Helper()
	select {
	case r := <-results:
		return r
	case <-time.After(waitTimeout):
		t.Fatalf("no delivery outcome after %s", waitTimeout)
		return result{}
	}
}

func loopbackClient() *http.Client {
	return safehttp.NewClient(safehttp.Options{AllowPrivate: true, Timeout: 5 * time.Second})
}

const noteJSON = `{"@context":"https://www.w3.org/ns/activitystreams","id":"http://127.0.0.1:9/activities/1","type":"Create","actor":"http://127.0.0.1:9/orgs/coop","object":{"id":"http://127.0.0.1:9/orgs/coop/projects/1","type":"Note","content":"hello"}}`

// received is what a receiver saw of one request.
type received struct {
	contentType string
	signature   string
	digest      string
	userAgent   string
	body        []byte
	verifyErr   error
}

func TestWorkerDeliversSigned(t *testing.T) {
	key, err := testKey()
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan received, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		_, err := httpsign.Verify(r.Context(), r, body, r.Host, time.Now(), testKeyFunc(key))
		got <- received{contentType: r.Header.Get("Content-Type"), signature: r.Header.Get("Signature"),
			digest: r.Header.Get("Digest"), userAgent: r.Header.Get("User-Agent"), body: body, verifyErr: err}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	st := newStore(t)
	enqueue(t, st, "http://127.0.0.1:9/activities/1", []byte(noteJSON), time.Now(), srv.URL+"/inbox")

	results := startWorker(t, st, loopbackClient(), delivery.Options{Workers: 2, PerHost: 1, MaxAge: 48 * time.Hour,
		UserAgent: "maillage/test"})

	r := next(t, results)
	if r.outcome != delivery.Delivered {
		t.Fatalf("outcome = %s, want %s", r.outcome, delivery.Delivered)
	}
	req := <-got
	if req.verifyErr != nil {
		t.Errorf("httpsign.Verify: %v", req.verifyErr)
	}
	if req.contentType != "application/activity+json" {
		t.Errorf("Content-Type = %q, want application/activity+json", req.contentType)
	}
	if want := `headers="(request-target) host date digest"`; !strings.Contains(req.signature, want) {
		t.Errorf("Signature = %q, want it to contain %s", req.signature, want)
	}
	if want := `keyId="` + testKeyID + `"`; !strings.Contains(req.signature, want) {
		t.Errorf("Signature = %q, want it to contain %s", req.signature, want)
	}
	sum := sha256.Sum256([]byte(noteJSON))
	if want := "SHA-256=" + base64.StdEncoding.EncodeToString(sum[:]); req.digest != want {
		t.Errorf("Digest = %q, want %q", req.digest, want)
	}
	if string(req.body) != noteJSON {
		t.Errorf("body = %s, want the stored activity %s", req.body, noteJSON)
	}
	if req.userAgent != "maillage/test" {
		t.Errorf("User-Agent = %q, want maillage/test", req.userAgent)
	}
	if q := queued(t, st); len(q) != 0 {
		t.Errorf("queue after delivery = %+v, want empty", q)
	}
}

func TestWorkerStatus(t *testing.T) {
	tests := []struct {
		status  int
		want    delivery.Outcome
		wantErr string // LastError of a retried delivery
	}{
		{http.StatusOK, delivery.Delivered, ""},
		{http.StatusAccepted, delivery.Delivered, ""},
		{http.StatusNoContent, delivery.Delivered, ""},
		{http.StatusInternalServerError, delivery.Retry, "status 500"},
		{http.StatusBadGateway, delivery.Retry, "status 502"},
		{http.StatusServiceUnavailable, delivery.Retry, "status 503"},
		{http.StatusTooManyRequests, delivery.Retry, "status 429"},
		{http.StatusUnauthorized, delivery.Retry, "status 401"},
		{http.StatusRequestTimeout, delivery.Retry, "status 408"},
		{http.StatusBadRequest, delivery.Dropped, ""},
		{http.StatusForbidden, delivery.Dropped, ""},
		{http.StatusNotFound, delivery.Dropped, ""},
		{http.StatusGone, delivery.Dropped, ""},
		{http.StatusUnprocessableEntity, delivery.Dropped, ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			var requests atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				w.WriteHeader(tt.status)
			}))
			defer srv.Close()
			st := newStore(t)
			start := time.Now()
			enqueue(t, st, "http://127.0.0.1:9/activities/1", []byte(noteJSON), start, srv.URL+"/inbox")
			results := startWorker(t, st, loopbackClient(), delivery.Options{MaxAge: 48 * time.Hour})

			if r := next(t, results); r.outcome != tt.want {
				t.Fatalf("outcome = %s, want %s", r.outcome, tt.want)
			}
			if n := requests.Load(); n != 1 {
				t.Errorf("requests = %d, want 1", n)
			}
			checkRetried(t, st, tt.want == delivery.Retry, start, tt.wantErr)
		})
	}
}

// checkRetried checks that the queue holds the delivery once, rescheduled
// after one attempt, when retried is true, and is empty otherwise.
func checkRetried(t *testing.T, st *store.Store, retried bool, start time.Time, wantErr string) {
	t.Helper()
	q := queued(t, st)
	if !retried {
		if len(q) != 0 {
			t.Errorf("queue = %+v, want empty", q)
		}
		return
	}
	if len(q) != 1 {
		t.Fatalf("queue = %+v, want the one delivery", q)
	}
	d := q[0]
	if d.Attempts != 1 {
		t.Errorf("Attempts = %d, want 1", d.Attempts)
	}
	// The first retry waits 30 s ± 20 %.
	if min := start.Add(24 * time.Second); d.NextAttempt.Before(min) {
		t.Errorf("NextAttempt = %v, want at least %v", d.NextAttempt, min)
	}
	if max := time.Now().Add(36 * time.Second); d.NextAttempt.After(max) {
		t.Errorf("NextAttempt = %v, want at most %v", d.NextAttempt, max)
	}
	if wantErr != "" && d.LastError != wantErr {
		t.Errorf("LastError = %q, want %q", d.LastError, wantErr)
	}
	if d.LastError == "" {
		t.Error("LastError is empty")
	}
}

func TestWorkerConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	inbox := "http://" + ln.Addr().String() + "/inbox"
	ln.Close() // nothing listens there any more
	st := newStore(t)
	start := time.Now()
	enqueue(t, st, "http://127.0.0.1:9/activities/1", []byte(noteJSON), start, inbox)
	results := startWorker(t, st, loopbackClient(), delivery.Options{MaxAge: 48 * time.Hour})

	if r := next(t, results); r.outcome != delivery.Retry {
		t.Fatalf("outcome = %s, want %s", r.outcome, delivery.Retry)
	}
	checkRetried(t, st, true, start, "")
}

func TestWorkerRefusesPrivateAddress(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	st := newStore(t)
	enqueue(t, st, "http://127.0.0.1:9/activities/1", []byte(noteJSON), time.Now(), srv.URL+"/inbox")
	// The production client: loopback is not a public address.
	results := startWorker(t, st, safehttp.NewClient(safehttp.Options{}), delivery.Options{MaxAge: 48 * time.Hour})

	if r := next(t, results); r.outcome != delivery.Dropped {
		t.Fatalf("outcome = %s, want %s", r.outcome, delivery.Dropped)
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("requests received = %d, want 0", n)
	}
	if q := queued(t, st); len(q) != 0 {
		t.Errorf("queue = %+v, want empty", q)
	}
}

func TestWorkerMissingActivityDropped(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	st := newStore(t)
	now := time.Now()
	err := st.Update(func(tx *store.Tx) error {
		_, err := tx.Enqueue(model.Delivery{ActivityID: "http://127.0.0.1:9/activities/gone", Signer: testSignerName,
			Inbox: srv.URL + "/inbox", Created: now, NextAttempt: now})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	results := startWorker(t, st, loopbackClient(), delivery.Options{MaxAge: 48 * time.Hour})

	if r := next(t, results); r.outcome != delivery.Dropped {
		t.Fatalf("outcome = %s, want %s", r.outcome, delivery.Dropped)
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("requests received = %d, want 0", n)
	}
}

// blockingInbox counts requests in flight and holds each until released.
type blockingInbox struct {
	release chan struct{}
	arrived chan struct{}

	mu            sync.Mutex // guards current and peak
	current, peak int
}

func (b *blockingInbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	b.current++
	b.peak = max(b.peak, b.current)
	b.mu.Unlock()
	b.arrived <- struct{}{}
	<-b.release
	b.mu.Lock()
	b.current--
	b.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

func (b *blockingInbox) counts() (current, peak int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.current, b.peak
}

func TestWorkerPerHostCap(t *testing.T) {
	const slowN, fastN, perHost = 5, 3, 2
	slow := &blockingInbox{release: make(chan struct{}), arrived: make(chan struct{}, slowN)}
	slowSrv := httptest.NewServer(slow)
	defer slowSrv.Close()
	var releaseOnce sync.Once
	release := func() { releaseOnce.Do(func() { close(slow.release) }) }
	defer release() // before slowSrv.Close, which waits for the handlers
	fastSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusAccepted)
	}))
	defer fastSrv.Close()

	st := newStore(t)
	now := time.Now()
	slowInboxes := make([]string, slowN)
	for i := range slowInboxes {
		slowInboxes[i] = fmt.Sprintf("%s/orgs/%d/inbox", slowSrv.URL, i)
	}
	fastInboxes := make([]string, fastN)
	for i := range fastInboxes {
		fastInboxes[i] = fmt.Sprintf("%s/orgs/%d/inbox", fastSrv.URL, i)
	}
	// The slow host's deliveries are older: they are first in the queue.
	enqueue(t, st, "http://127.0.0.1:9/activities/1", []byte(noteJSON), now, slowInboxes...)
	enqueue(t, st, "http://127.0.0.1:9/activities/2", []byte(noteJSON), now.Add(time.Millisecond), fastInboxes...)
	results := startWorker(t, st, loopbackClient(), delivery.Options{Workers: 8, PerHost: perHost, MaxAge: time.Hour})

	// While the slow host holds its requests, the other host's deliveries
	// all complete.
	for range fastN {
		r := next(t, results)
		if hostOf(r.d.Inbox) != hostOf(fastSrv.URL) || r.outcome != delivery.Delivered {
			t.Fatalf("got %s for %s while the slow host blocks, want %s for %s", r.outcome, r.d.Inbox,
				delivery.Delivered, fastSrv.URL)
		}
	}
	for range perHost {
		select {
		case <-slow.arrived:
		case <-time.After(waitTimeout):
			t.Fatalf("fewer than %d requests reached the slow host", perHost)
		}
	}
	if current, _ := slow.counts(); current != perHost {
		t.Errorf("requests in flight to the slow host = %d, want %d", current, perHost)
	}

	release()
	for range slowN {
		if r := next(t, results); r.outcome != delivery.Delivered {
			t.Errorf("slow host delivery %s: outcome %s, want %s", r.d.Inbox, r.outcome, delivery.Delivered)
		}
	}
	if _, peak := slow.counts(); peak != perHost {
		t.Errorf("peak requests in flight to one host = %d, want %d", peak, perHost)
	}
	if q := queued(t, st); len(q) != 0 {
		t.Errorf("queue = %+v, want empty", q)
	}
}

func hostOf(u string) string {
	u = strings.TrimPrefix(strings.TrimPrefix(u, "http://"), "https://")
	host, _, _ := strings.Cut(u, "/")
	return host
}

// TestWorkerDeliversAfterRestart checks the at-least-once promise: a
// delivery queued before a restart is sent by the next process.
func TestWorkerDeliversAfterRestart(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "test.db")

	st := openStore(t, path)
	enqueue(t, st, "http://127.0.0.1:9/activities/1", []byte(noteJSON), time.Now(), srv.URL+"/inbox")
	if err := st.Close(); err != nil { // "crash" before any worker ran
		t.Fatal(err)
	}
	if n := requests.Load(); n != 0 {
		t.Fatalf("requests before restart = %d, want 0", n)
	}

	st = openStore(t, path)
	t.Cleanup(func() { st.Close() })
	if q := queued(t, st); len(q) != 1 {
		t.Fatalf("queue after reopen = %+v, want the one delivery", q)
	}
	results := startWorker(t, st, loopbackClient(), delivery.Options{MaxAge: 48 * time.Hour})
	if r := next(t, results); r.outcome != delivery.Delivered {
		t.Fatalf("outcome = %s, want %s", r.outcome, delivery.Delivered)
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("requests = %d, want 1", n)
	}
	if q := queued(t, st); len(q) != 0 {
		t.Errorf("queue = %+v, want empty", q)
	}
}

// TestWorkerShutdownKeepsQueued checks that a delivery interrupted by
// shutdown stays queued as it was, to be tried again at the next start.
func TestWorkerShutdownKeepsQueued(t *testing.T) {
	arrived := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body) // then the server notices when the client hangs up
		close(arrived)
		<-r.Context().Done() // never answers; the client gives up on shutdown
	}))
	defer srv.Close()
	st := newStore(t)
	enqueue(t, st, "http://127.0.0.1:9/activities/1", []byte(noteJSON), time.Now(), srv.URL+"/inbox")

	var outcomes atomic.Int32
	w := delivery.New(st, loopbackClient(), newSigner(t, st), testLogger(t), delivery.Options{MaxAge: 48 * time.Hour,
		OnResult: func(model.Delivery, delivery.Outcome) { outcomes.Add(1) }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	select {
	case <-arrived:
	case <-time.After(waitTimeout):
		t.Fatal("the request never arrived")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(waitTimeout):
		t.Fatal("Run did not return after cancel")
	}
	if n := outcomes.Load(); n != 0 {
		t.Errorf("outcomes recorded = %d, want 0 for an interrupted attempt", n)
	}
	q := queued(t, st)
	if len(q) != 1 || q[0].Attempts != 0 {
		t.Errorf("queue = %+v, want the delivery unchanged (Attempts 0)", q)
	}
}
