package testenv

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/internal/config"
	"codeberg.org/maillage/maillage/internal/server"
)

// NewHandler builds an instance as Start does (same configuration, a real
// store in a new t.TempDir()) but runs nothing: no listener, no delivery
// worker, no background jobs. Its client, API and Get send each request
// straight to the instance's handler through an httptest.ResponseRecorder,
// for handler tests that need no federation. Base is http://ip, without a
// port; o.CA, o.Port and o.HoldDeliveries do not apply.
func NewHandler(t testing.TB, ip string, o Options) *Instance {
	t.Helper()
	if o.Org == "" {
		o.Org = "coop"
	}
	cfg := config.Default()
	cfg.Listen = ip + ":0"
	cfg.DataDir = o.DataDir
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	cfg.AllowPrivate = !o.DenyPrivate
	cfg.OrgName = o.Org
	cfg.OrgDisplayName = "Coop " + ip
	cfg.BaseURL = "http://" + ip
	if o.Configure != nil {
		o.Configure(&cfg)
	}
	in := &Instance{t: t, IP: ip, Config: cfg, Base: cfg.BaseURL, Host: ip, opts: o, handlerOnly: true}
	in.build()
	t.Cleanup(in.close)
	return in
}

// build makes the server of a NewHandler instance and its client.
func (in *Instance) build() {
	in.t.Helper()
	log := slog.New(slog.NewTextHandler(in.t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})).With("instance", in.Host)
	srv, err := server.New(in.Config, log, server.Options{Version: "test", HoldDeliveries: true, Now: in.opts.Now, KeyPair: sharedKeyPair})
	if err != nil {
		in.t.Fatalf("build %s: %v", in.Host, err)
	}
	if srv.InitialToken != "" {
		in.Token = srv.InitialToken
	}
	in.Server = srv
	in.client = &http.Client{Transport: handlerTransport{h: srv.Handler()}}
}

// close closes the store of a NewHandler instance (idempotent).
func (in *Instance) close() {
	if in.Server == nil {
		return
	}
	if err := in.Server.Close(); err != nil {
		in.t.Errorf("close %s: %v", in.Host, err)
	}
	in.Server = nil
}

// sharedKey is one RSA key pair made on first use and given to every
// local actor of every NewHandler instance: generating a key per actor
// was half the CPU time of the web tests, and these instances never sign
// or verify anything another instance checks.
var sharedKey = sync.OnceValues(func() ([2]string, error) {
	k, err := httpsign.GenerateKey()
	if err != nil {
		return [2]string{}, err
	}
	pub, err := httpsign.EncodePublicKey(&k.PublicKey)
	return [2]string{httpsign.EncodePrivateKey(k), pub}, err
})

func sharedKeyPair() (string, string, error) {
	k, err := sharedKey()
	return k[0], k[1], err
}

// handlerTransport serves each request with h in the calling goroutine, as
// a server on the request's host would see it from a loopback client.
type handlerTransport struct {
	h http.Handler
}

func (ht handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	sreq := req.Clone(req.Context())
	u, err := url.ParseRequestURI(req.URL.RequestURI())
	if err != nil {
		return nil, err
	}
	sreq.URL, sreq.Host, sreq.RequestURI = u, req.URL.Host, req.URL.RequestURI()
	sreq.RemoteAddr = "127.0.0.1:40000"
	sreq.Proto, sreq.ProtoMajor, sreq.ProtoMinor = "HTTP/1.1", 1, 1
	if sreq.Body == nil {
		sreq.Body = http.NoBody
	}
	rec := httptest.NewRecorder()
	ht.h.ServeHTTP(rec, sreq)
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

// Client is an HTTP client that reaches the instance (through its
// handler for NewHandler instances); tests build theirs on its Transport
// to add a cookie jar.
func (in *Instance) Client() *http.Client { return in.client }
