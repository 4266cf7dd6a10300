// Package server is the composition root: New builds one instance (store,
// service, federation, delivery, routes) from a Config, visibly and in
// order; Run serves it until its context ends. Tests and `maillage serve`
// build instances the same way.
package server

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"codeberg.org/maillage/maillage/federation"
	"codeberg.org/maillage/maillage/federation/delivery"
	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/federation/safehttp"
	"codeberg.org/maillage/maillage/internal/api"
	"codeberg.org/maillage/maillage/internal/config"
	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/i18n"
	"codeberg.org/maillage/maillage/internal/media"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/sanitize"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/sitecheck"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/internal/web"
	"codeberg.org/maillage/maillage/internal/web/admin"
	"codeberg.org/maillage/maillage/internal/web/webkit"
	"codeberg.org/maillage/maillage/store"
)

// DBFile is the name of the bbolt file in the data directory.
const DBFile = "maillage.db"

// Server is one running instance.
type Server struct {
	cfg     config.Config
	log     *slog.Logger
	Store   *store.Store
	Service *service.Service
	Fed     *federation.Federation
	// Fetch is the outgoing half of federation (signed fetches, WebFinger).
	Fetch   *federation.Client
	worker  *delivery.Worker
	handler http.Handler

	// InitialToken is the admin API token created on first run ("" after).
	InitialToken string
	// SetupURL is the first-run setup page with its one-time token, ""
	// when the store has an administrator (setup.go).
	SetupURL string
	hold     bool
	ready    *readiness
	verify   service.VerifyOptions
	noVerify bool
	// Media holds uploaded images; Images, the cache of remote ones.
	Media  *media.Files
	Images *media.Cache
}

// Options are test and embedding hooks; the zero value is right for serve.
type Options struct {
	Version string
	// HoldDeliveries keeps the delivery worker stopped: activities stay
	// queued in the store (tests use it to restart between a publish and
	// its delivery).
	HoldDeliveries bool
	OnResult       func(d model.Delivery, o delivery.Outcome) // delivery outcomes (tests, metrics)
	// Registry receives the instance's metrics when cfg.Metrics is on;
	// nil: a new registry of its own (never the global default one).
	Registry *prometheus.Registry
	// Now is the instance's clock for the service, federation and pages;
	// nil: time.Now. Tests move it instead of sleeping.
	Now func() time.Time
	// KeyPair makes the key pairs of new local actors; nil: a new RSA
	// key each time. Handler tests that never federate reuse one key.
	KeyPair service.KeyPair
	// BeforeBackfillPage, if set, is called before each document a
	// backfill fetches (tests hold a backfill there to restart).
	BeforeBackfillPage func(ctx context.Context, url string)
	// VerifySpacing is the least time between two website checks on one
	// host (0: service's default; negative: none, for tests).
	VerifySpacing time.Duration
	// NoWebsiteChecks keeps the background checks of websites stopped
	// (service.RunVerifications): tests, and the demo, whose seeds name
	// real organisations' websites, make no request to them. Claims are
	// still checked when a claimant asks.
	NoWebsiteChecks bool
}

// New builds an instance: opens (and on first run initialises) the store.
func New(cfg config.Config, log *slog.Logger, opt Options) (*Server, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("server: data dir: %w", err)
	}
	st, err := store.Open(filepath.Join(cfg.DataDir, DBFile), store.Options{})
	if err != nil {
		return nil, err
	}
	roots, err := rootCAs(cfg.CAFile)
	if err != nil {
		st.Close()
		return nil, err
	}
	version := opt.Version
	if version == "" {
		version = "dev"
	}
	client := safehttp.NewClient(safehttp.Options{AllowPrivate: cfg.AllowPrivate, RootCAs: roots,
		Timeout: cfg.HTTPTimeout, UserAgent: "maillage/" + version + " (+" + cfg.BaseURL + ")"})
	u := uris.URIs{Base: cfg.BaseURL}
	san := sanitize.New()
	render := &federation.Renderer{URIs: u, San: san}
	st.SetObjectRenderer(render.EmbeddedObject) // stored activities leave out the object they embed
	m, err := newMetrics(cfg, opt, st, version)
	if err != nil {
		st.Close()
		return nil, err
	}
	// The graph, bottom up: what the service needs exists before it, and
	// nothing is assigned after a constructor returns.
	keyPair := opt.KeyPair
	if keyPair == nil {
		keyPair = newKeyPair
	}
	keys := httpsign.NewLazyLocalKeys(st, u, httpsign.KeyPair(keyPair)) // local actors' signing keys, read from the store
	fetch, err := federation.NewClient(federation.ClientConfig{URIs: u, LocalKeys: keys, HTTP: client,
		Sanitize: san, Log: log.With("component", "federation"), Now: opt.Now})
	if err != nil {
		st.Close()
		return nil, err
	}
	worker := delivery.New(st, client, keys, log.With("component", "delivery"), delivery.Options{
		Workers: cfg.DeliveryWorkers, PerHost: cfg.DeliveryPerHost, MaxAge: cfg.DeliveryMaxAge,
		UserAgent: "maillage/" + version, OnResult: countResults(m, opt.OnResult)})
	dir, err := directory.Load(st, u)
	if err != nil {
		st.Close()
		return nil, err
	}
	refreshDirectory := func(tx *store.Tx, ids ...string) func() {
		apply, err := dir.Changes(tx, u, ids...)
		if err != nil {
			log.Error("directory refresh failed", "err", err)
		}
		return apply
	}
	docs := federation.NewDocuments()
	files, cache, err := openMedia(cfg, client, log)
	if err != nil {
		st.Close()
		return nil, err
	}
	svc, err := service.New(service.Deps{Store: st, URIs: u, Renderer: render, Resolver: fetch, KeyPair: keyPair,
		Poke: worker.Poke, OnCommit: []service.Observer{refreshDirectory,
			func(_ *store.Tx, ids ...string) func() { docs.Changed(ids...); return nil }, prefetchImages(cache)},
		Log: log.With("component", "service"), ReminderDays: cfg.ReminderDays, Mail: mailer(cfg), Now: opt.Now,
		Sites: &sitecheck.Checker{HTTP: client}, AutoConfirmClaims: cfg.ClaimsAutoConfirm})
	if err != nil {
		st.Close()
		return nil, err
	}
	fed, err := federation.New(federation.Config{URIs: u, Service: svc, Client: fetch, Renderer: render,
		Sanitize: san, Log: log.With("component", "federation"), Version: version, OnInbox: inboxHook(m), Now: opt.Now,
		BeforeBackfillPage: opt.BeforeBackfillPage, Docs: docs,
		Network:        federation.NetworkOptions{Refresh: cfg.NetworkRefresh, Check: cfg.NetworkCheck, Max: cfg.NetworkMax},
		BackfillBudget: cfg.BackfillBudget, BackfillRetry: cfg.BackfillRetry, BackfillMaxOrgs: cfg.BackfillMaxOrgs})
	if err != nil {
		st.Close()
		return nil, err
	}
	token, err := svc.Bootstrap(context.Background(), cfg.OrgName, cfg.OrgDisplayName)
	if err != nil {
		st.Close()
		return nil, err
	}
	if err := svc.EnsureMemberActors(context.Background()); err != nil {
		st.Close()
		return nil, err
	}
	if err := svc.LoadInterests(context.Background()); err != nil {
		st.Close()
		return nil, err
	}
	setupToken, err := newSetupToken(svc)
	if err != nil {
		st.Close()
		return nil, err
	}
	ready := &readiness{st: st, log: log}
	proxies, _ := cfg.ProxyNets() // validated with the configuration
	texts, err := i18n.Load()
	if err != nil {
		st.Close()
		return nil, err
	}
	kit, err := webkit.New(webkit.Deps{Service: svc, URIs: u, Log: log.With("component", "web"), Messages: texts,
		TrustedProxies: proxies, Now: opt.Now})
	if err != nil {
		st.Close()
		return nil, err
	}
	h, err := web.New(web.Deps{Kit: kit, Service: svc, URIs: u, Log: log.With("component", "web"), Messages: texts,
		Directory: dir, Sanitize: san, Images: cache, Interaction: fetch,
		SetupToken: setupToken, SetupOrg: cfg.OrgName, Signup: cfg.Signup, Now: opt.Now,
		TileURL: cfg.TileURL, TileAttribution: cfg.TileAttribution})
	if err != nil {
		st.Close()
		return nil, err
	}
	forms, err := admin.New(admin.Deps{Kit: kit, Service: svc, URIs: u, Log: log.With("component", "admin"), Messages: texts,
		Sanitize: san, Now: opt.Now, Media: files, Images: cache})
	if err != nil {
		st.Close()
		return nil, err
	}
	jsonAPI := api.New(api.Deps{Service: svc, URIs: u, Log: log.With("component", "api"), Messages: texts,
		Metrics: m, Ready: ready.check, Deliveries: worker, Now: opt.Now, Media: files})
	return &Server{cfg: cfg, log: log, Store: st, Service: svc, Fed: fed, Fetch: fetch, worker: worker, handler: routes(m, fed, h, forms, jsonAPI, &media.Handler{Files: files, Cache: cache}),
		Media: files, Images: cache,
		InitialToken: token, SetupURL: setupURL(cfg.BaseURL, setupToken), hold: opt.HoldDeliveries, ready: ready,
		verify: service.VerifyOptions{Spacing: opt.VerifySpacing}, noVerify: opt.NoWebsiteChecks}, nil
}

func newKeyPair() (string, string, error) {
	k, err := httpsign.GenerateKey()
	if err != nil {
		return "", "", err
	}
	pub, err := httpsign.EncodePublicKey(&k.PublicKey)
	if err != nil {
		return "", "", err
	}
	return httpsign.EncodePrivateKey(k), pub, nil
}

// rootCAs is the system pool plus the PEM certificates of caFile.
func rootCAs(caFile string) (*x509.CertPool, error) {
	if caFile == "" {
		return nil, nil
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("server: ca-file: %w", err)
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("server: ca-file %s: no PEM certificate found", caFile)
	}
	return pool, nil
}

// Handler is the instance's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Run serves on ln (HTTPS when the config has a certificate) and delivers
// until ctx ends, then shuts down in reverse order: stop accepting, let
// requests and deliveries in flight finish, close the store.
func (s *Server) Run(ctx context.Context, ln net.Listener) error {
	ln, acme, err := tlsListener(s.cfg, ln)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelDebug)}
	wctx, stopWorker := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	if !s.hold {
		wg.Add(1)
		s.ready.worker.Store(true)
		go func() { defer wg.Done(); defer s.ready.worker.Store(false); _ = s.worker.Run(wctx) }()
	}
	wg.Add(1)
	go func() { defer wg.Done(); s.Fed.Run(wctx) }()
	wg.Add(1)
	go func() { defer wg.Done(); s.maintain(wctx) }()
	wg.Add(1)
	go func() { defer wg.Done(); s.digests(wctx) }()
	wg.Add(1)
	go func() { defer wg.Done(); s.Service.RunResets(wctx) }()
	if !s.noVerify {
		wg.Add(1)
		go func() { defer wg.Done(); s.Service.RunVerifications(wctx, s.verify) }()
	}
	wg.Add(1)
	go func() { defer wg.Done(); s.Images.Run(wctx) }()
	errc := make(chan error, 2)
	go func() { errc <- hs.Serve(ln) }()
	releaseStartMemory()
	if acme != nil {
		go func() {
			if err := serveACMEChallenges(wctx, s.cfg, acme, s.log); err != nil {
				errc <- err
			}
		}()
	}
	s.log.Info("serving", "base_url", s.cfg.BaseURL, "listen", ln.Addr().String(),
		"tls", s.cfg.TLSCert != "" || s.cfg.ACMEDomain != "")
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	s.ready.stopping.Store(true)
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if hs.Shutdown(sctx) != nil {
		_ = hs.Close() // cut what still runs (a slow backup download) so the store can close
	}
	stopWorker()
	wg.Wait()
	if cerr := s.Store.Close(); cerr != nil && err == nil {
		err = cerr
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	s.log.Info("stopped")
	return err
}

// Close releases the store of a server that was never Run.
func (s *Server) Close() error { return s.Store.Close() }
