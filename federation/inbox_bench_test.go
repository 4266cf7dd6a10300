package federation_test

import (
	"bytes"
	"crypto/rsa"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/internal/config"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/server"
	"codeberg.org/maillage/maillage/store"
)

// Identifiers only: nothing listens there and nothing is fetched, because
// the remote actor and its key are stored before the benchmark starts.
const (
	benchBase   = "http://127.0.0.1:18080"
	benchRemote = "http://127.0.0.2:18081"
	benchActor  = benchRemote + "/users/Gargron"
	benchKeyID  = benchActor + "#main-key"
	benchOrg    = "coop-a"
	// The status number in the fixture, replaced by a fresh one per request.
	fixtureStatus = "117054747363739171"
)

// newBenchServer builds an instance (not listening: requests go straight to
// its handler) whose org follows benchActor, with the actor's key stored.
func newBenchServer(b *testing.B) (*server.Server, *rsa.PrivateKey) {
	b.Helper()
	cfg := config.Default()
	cfg.DataDir = b.TempDir()
	cfg.BaseURL = benchBase
	cfg.Listen = strings.TrimPrefix(benchBase, "http://")
	cfg.OrgName = benchOrg
	cfg.AllowPrivate = true
	log := slog.New(slog.NewTextHandler(b.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := server.New(cfg, log, server.Options{Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close() })

	key, err := httpsign.GenerateKey()
	if err != nil {
		b.Fatal(err)
	}
	pub, err := httpsign.EncodePublicKey(&key.PublicKey)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	err = srv.Store.Update(func(tx *store.Tx) error {
		err := tx.PutActor(model.Actor{ID: benchActor, Type: "Person", Username: "Gargron",
			Host: strings.TrimPrefix(benchRemote, "http://"), Inbox: benchActor + "/inbox",
			SharedInbox: benchRemote + "/inbox", Followers: benchActor + "/followers",
			KeyID: benchKeyID, PublicKeyPEM: pub, Fetched: now})
		if err != nil {
			return err
		}
		return tx.PutFollowing(benchOrg, model.Following{Target: benchActor,
			FollowID: benchBase + "/activities/follow-1", State: model.FollowAccepted, Since: now})
	})
	if err != nil {
		b.Fatal(err)
	}
	return srv, key
}

// noteTemplate is Mastodon's Create of a public Note (the recorded fixture,
// made a top-level post instead of a reply) with fixtureStatus to replace.
func noteTemplate(b *testing.B) string {
	b.Helper()
	raw, err := os.ReadFile("testdata/mastodon/create_note_reply.json")
	if err != nil {
		b.Fatal(err)
	}
	s := strings.NewReplacer("{{REMOTE}}", benchRemote, "{{LOCAL_ORG}}", benchBase+"/orgs/"+benchOrg,
		"{{LOCAL_OBJECT}}", benchBase+"/orgs/"+benchOrg+"/projects/x",
		"{{LOCAL_HOST}}", strings.TrimPrefix(benchBase, "http://")).Replace(string(raw))
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		b.Fatal(err)
	}
	obj := m["object"].(map[string]any)
	delete(obj, "inReplyTo")
	delete(obj, "inReplyToAtomUri")
	out, err := json.Marshal(m)
	if err != nil {
		b.Fatal(err)
	}
	return string(out)
}

// signedInbox is one prepared POST to the shared inbox.
type signedInbox struct {
	body   []byte
	header http.Header
}

// signRequests signs n Creates with fresh ids, starting after *seq, on all
// CPUs: signing is the sender's cost and is kept out of the timing.
func signRequests(b *testing.B, key *rsa.PrivateKey, tmpl string, seq *atomic.Int64, n int) []signedInbox {
	b.Helper()
	out := make([]signedInbox, n)
	var wg sync.WaitGroup
	var failed atomic.Bool
	const shards = 4
	for s := range shards {
		wg.Go(func() {
			for i := s; i < n; i += shards {
				body := []byte(strings.ReplaceAll(tmpl, fixtureStatus, strconv.FormatInt(seq.Add(1), 10)))
				r := httptest.NewRequest(http.MethodPost, benchBase+"/inbox", bytes.NewReader(body))
				r.Header.Set("Content-Type", "application/activity+json")
				if err := httpsign.Sign(r, benchKeyID, key, body, time.Now()); err != nil {
					failed.Store(true)
					return
				}
				out[i] = signedInbox{body, r.Header}
			}
		})
	}
	wg.Wait()
	if failed.Load() {
		b.Fatal("signing failed")
	}
	return out
}

// BenchmarkInbox measures the shared inbox receiving signed Creates of
// Notes from a followed Mastodon account: size limit, content type,
// signature verification with the key from the store, decoding, dedupe and
// storing the object (bbolt Batch, fsync on). Each request is a new
// activity. Concurrent senders are b.RunParallel goroutines; bbolt groups
// their writes into one commit.
func BenchmarkInbox(b *testing.B) {
	srv, key := newBenchServer(b)
	h := srv.Handler()
	tmpl := noteTemplate(b)
	var seq atomic.Int64
	for _, perCPU := range []int{1, 32} {
		b.Run("goroutines="+strconv.Itoa(perCPU)+"xGOMAXPROCS", func(b *testing.B) {
			reqs := signRequests(b, key, tmpl, &seq, b.N)
			// The requests are built before the timer: httptest.NewRequest
			// parses a request with a 4 KiB bufio.Reader of its own, which
			// is the harness's cost, not the inbox's (net/http reuses one
			// reader per connection).
			built := make([]*http.Request, len(reqs))
			for i, in := range reqs {
				built[i] = httptest.NewRequest(http.MethodPost, benchBase+"/inbox", bytes.NewReader(in.body))
				built[i].Header = in.header
			}
			var next atomic.Int64
			var bad atomic.Int64
			var badStatus atomic.Int64
			b.SetParallelism(perCPU)
			commits := srv.Store.Commits()
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					r := built[next.Add(1)-1]
					w := httptest.NewRecorder()
					h.ServeHTTP(w, r)
					if w.Code != http.StatusAccepted {
						bad.Add(1)
						badStatus.Store(int64(w.Code))
					}
				}
			})
			b.StopTimer()
			if n := bad.Load(); n > 0 {
				b.Fatalf("%d of %d requests answered %d, want 202", n, b.N, badStatus.Load())
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "activities/s")
			// What a commit costs is shared by the Creates bbolt's Batch
			// grouped into it: the fewer concurrent senders, the more of
			// it each Create pays.
			b.ReportMetric(float64(b.N)/float64(srv.Store.Commits()-commits), "creates/commit")
		})
	}
	var stored int
	err := srv.Store.View(func(tx *store.Tx) error {
		objs, err := tx.ObjectsBy(benchActor, 0)
		stored = len(objs)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	if want := int(seq.Load()); stored != want {
		b.Errorf("objects stored = %d, want %d (one per Create)", stored, want)
	}
}
