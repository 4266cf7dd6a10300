package federation_test

import (
	"context"
	"crypto"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/internal/config"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/server"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/store"
)

const (
	fanOutFollowers = 10000
	fanOutHosts     = 1000
)

func projectInput(n int) service.ObjectInput {
	text := strings.Repeat("Nous cherchons des partenaires pour une coopérative de mobilité partagée en milieu rural. ", 14)
	return service.ObjectInput{Kind: model.KindProject, Title: "Autopartage rural " + strconv.Itoa(n),
		Summary: "Une flotte de véhicules partagés pour trois communes.", Text: text,
		Sectors: []string{"mobility", "energy"}, Location: &model.Place{Name: "Die", Country: "FR"}}
}

// BenchmarkFanOutPublish measures the whole publishing path of a real
// instance: service.Publish of a project by an org with 10,000 followers on
// 1,000 servers (10 per shared inbox) writes the object, the Create and one
// delivery per shared inbox in one transaction; the instance's delivery
// worker (default config: 16 workers, 2 per host) then signs and POSTs them
// to 1,000 in-process inboxes on loopback. ns/op is the time until every
// delivery succeeded.
func BenchmarkFanOutPublish(b *testing.B) {
	rs := testenv.StartReceivers(b, fanOutHosts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	cfg := config.Default()
	cfg.DataDir = b.TempDir()
	cfg.Listen = ln.Addr().String()
	cfg.BaseURL = "http://" + cfg.Listen
	cfg.OrgName = benchOrg
	cfg.AllowPrivate = true
	done := testenv.NewDelivered()
	log := slog.New(slog.NewTextHandler(b.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := server.New(cfg, log, server.Options{Version: "bench", OnResult: done.OnResult})
	if err != nil {
		ln.Close()
		b.Fatal(err)
	}
	ctx := context.Background()

	now := time.Now().UTC()
	err = srv.Store.Update(func(tx *store.Tx) error {
		for j := range fanOutFollowers {
			host := rs.URL(j % fanOutHosts)
			actor := host + "/users/u" + strconv.Itoa(j)
			err := tx.PutFollower(benchOrg, model.Follower{Actor: actor, Inbox: actor + "/inbox",
				SharedInbox: host + "/inbox", FollowID: host + "/follows/" + strconv.Itoa(j), Since: now})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}

	// The worker is not running yet (it starts with Run): count what one
	// Publish queues.
	if _, err := srv.Service.Publish(ctx, service.System("test"), benchOrg, projectInput(0)); err != nil {
		b.Fatal(err)
	}
	var q []model.Delivery
	if err := srv.Store.View(func(tx *store.Tx) error { q, _, err = tx.Queue(); return err }); err != nil {
		b.Fatal(err)
	}
	inboxes := map[string]bool{}
	for _, d := range q {
		inboxes[d.Inbox] = true
	}
	if len(q) != fanOutHosts || len(inboxes) != fanOutHosts {
		b.Fatalf("one Publish to %d followers queued %d deliveries to %d inboxes, want %d shared inboxes",
			fanOutFollowers, len(q), len(inboxes), fanOutHosts)
	}

	runCtx, stop := context.WithCancel(ctx)
	stopped := make(chan error, 1)
	go func() { stopped <- srv.Run(runCtx, ln) }() // Run closes the store when it returns
	done.Wait(b, fanOutHosts, time.Minute)

	n := 1
	for b.Loop() {
		n++
		if _, err := srv.Service.Publish(ctx, service.System("test"), benchOrg, projectInput(n)); err != nil {
			b.Fatal(err)
		}
		done.Wait(b, n*fanOutHosts, time.Minute)
	}
	elapsed := b.Elapsed()

	var org model.Org
	err = srv.Store.View(func(tx *store.Tx) error { org, err = tx.Org(benchOrg); return err })
	if err != nil {
		b.Fatal(err)
	}
	stop()
	if err := <-stopped; err != nil {
		b.Errorf("Run: %v", err)
	}

	pub, err := httpsign.DecodePublicKey(org.PublicKeyPEM)
	if err != nil {
		b.Fatal(err)
	}
	keyFn := func(context.Context, string, bool) (string, crypto.PublicKey, error) {
		return cfg.BaseURL + "/orgs/" + benchOrg, pub, nil
	}
	sample, sampleBody := rs.Sample()
	if sample == nil {
		b.Fatal("receiver 0 got no request")
	}
	if _, err := httpsign.Verify(ctx, sample, sampleBody, sample.Host, time.Now(), keyFn); err != nil {
		b.Errorf("sample delivery signature: %v", err)
	}
	dups := rs.Check(b, int64(n))
	b.ReportMetric(float64((n-1)*fanOutHosts)/elapsed.Seconds(), "deliveries/s")
	b.ReportMetric(float64(dups)/float64(n), "duplicate-POSTs/op")
	b.ReportMetric(testenv.PeakRSSMB(), "peak-RSS-MB")
}
