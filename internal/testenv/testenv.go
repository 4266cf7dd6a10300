package testenv

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/config"
	"codeberg.org/maillage/maillage/internal/server"
	"codeberg.org/maillage/maillage/internal/uris"
)

// Options choose how an instance runs.
type Options struct {
	Org            string // first organisation (default "coop")
	CA             *CA    // serve HTTPS with a certificate from this CA, and trust it
	HoldDeliveries bool   // start with the delivery worker stopped
	Port           int    // 0: any free port
	DenyPrivate    bool   // keep the default guard: no outgoing requests to loopback
	DataDir        string // "" : a new t.TempDir(); else an existing one (a restored backup)
	// Configure, if set, changes the configuration before the instance
	// starts (an SMTP server for digests, say).
	Configure func(*config.Config)
	// Now, if set, is the instance's clock (a Clock's Now, say).
	Now func() time.Time
	// BeforeBackfillPage, if set, is called before each document a
	// backfill fetches; it must return when ctx ends.
	BeforeBackfillPage func(ctx context.Context, url string)
	// CheckWebsites runs the background checks of websites (verified
	// marks); off, tests make no request to the websites their
	// organisations name.
	CheckWebsites bool
}

// Instance is a running instance.
type Instance struct {
	t      testing.TB
	IP     string
	Config config.Config
	Base   string // base URL
	Host   string // host:port
	Token  string // admin API token
	Server *server.Server

	opts   Options
	cancel context.CancelFunc
	done   chan error
	client *http.Client

	handlerOnly bool // built by NewHandler: no listener, nothing running
}

// Start runs an instance on ip (a 127.0.0.x address) until the test ends.
func Start(t testing.TB, ip string, o Options) *Instance {
	t.Helper()
	if o.Org == "" {
		o.Org = "coop"
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, itoa(o.Port)))
	if err != nil {
		t.Fatalf("listen on %s: %v", ip, err)
	}
	addr := ln.Addr().String()
	cfg := config.Default()
	cfg.Listen = addr
	cfg.DataDir = o.DataDir
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	cfg.AllowPrivate = !o.DenyPrivate
	cfg.OrgName = o.Org
	cfg.OrgDisplayName = "Coop " + ip
	cfg.BaseURL = "http://" + addr
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if o.CA != nil {
		cfg.BaseURL = "https://" + addr
		cfg.TLSCert, cfg.TLSKey = o.CA.Issue(t, ip)
		cfg.CAFile = o.CA.File
		pool := x509.NewCertPool()
		pem, _ := os.ReadFile(o.CA.File)
		pool.AppendCertsFromPEM(pem)
		tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	}
	if o.Configure != nil {
		o.Configure(&cfg)
	}
	in := &Instance{t: t, IP: ip, Config: cfg, Base: cfg.BaseURL, Host: addr, opts: o,
		client: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
	in.run(ln)
	t.Cleanup(in.Stop)
	return in
}

func (in *Instance) run(ln net.Listener) {
	in.t.Helper()
	log := slog.New(slog.NewTextHandler(in.t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})).With("instance", in.Host)
	srv, err := server.New(in.Config, log, server.Options{Version: "test", HoldDeliveries: in.opts.HoldDeliveries, Now: in.opts.Now, VerifySpacing: -1, NoWebsiteChecks: !in.opts.CheckWebsites,
		BeforeBackfillPage: in.opts.BeforeBackfillPage})
	if err != nil {
		ln.Close()
		in.t.Fatalf("start %s: %v", in.Host, err)
	}
	if srv.InitialToken != "" {
		in.Token = srv.InitialToken
	}
	in.Server = srv
	ctx, cancel := context.WithCancel(context.Background())
	in.cancel, in.done = cancel, make(chan error, 1)
	go func() { in.done <- srv.Run(ctx, ln) }()
}

// Stop shuts the instance down (idempotent).
func (in *Instance) Stop() {
	if in.cancel == nil {
		return
	}
	in.cancel()
	if err := <-in.done; err != nil {
		in.t.Errorf("instance %s stopped with: %v", in.Host, err)
	}
	in.cancel = nil
}

// Restart stops the instance and starts it again on the same address and
// data directory; hold decides whether deliveries stay held. A NewHandler
// instance is built again on its data directory.
func (in *Instance) Restart(hold bool) {
	in.t.Helper()
	if in.handlerOnly {
		in.close()
		in.build()
		return
	}
	in.Stop()
	in.opts.HoldDeliveries = hold
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ { // the port can take a moment to be free again
		if ln, err = net.Listen("tcp", in.Host); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		in.t.Fatalf("relisten %s: %v", in.Host, err)
	}
	in.run(ln)
}

// Actor is the IRI of a local organisation (or "instance").
func (in *Instance) Actor(name string) string {
	return uris.URIs{Base: in.Base}.Actor(name)
}

// Handle is name@host.
func (in *Instance) Handle(name string) string { return name + "@" + in.Host }

// API calls the admin API and decodes the answer (or the error body) into
// out; it returns the status code.
func (in *Instance) API(method, path string, body, out any) int {
	in.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, in.Base+path, r)
	req.Header.Set("Authorization", "Bearer "+in.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := in.client.Do(req)
	if err != nil {
		in.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			in.t.Fatalf("%s %s: decode %s: %v", method, path, data, err)
		}
	}
	return resp.StatusCode
}

// Get fetches url with an Accept header and returns status and body.
func (in *Instance) Get(url, accept string) (int, []byte) {
	in.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Accept", accept)
	resp, err := in.client.Do(req)
	if err != nil {
		in.t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data
}

// WaitFor polls cond until it holds or timeout passes.
func WaitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
