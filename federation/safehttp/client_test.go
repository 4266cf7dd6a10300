package safehttp

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// countingServer starts an HTTP server on addr (a loopback host:port) that
// counts the requests it sees and answers 200 "ok".
func countingServer(t *testing.T, addr string) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	var hits atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		io.WriteString(w, "ok")
	}))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &hits
}

func TestClientRefusesLoopback(t *testing.T) {
	tests := []struct {
		name, listen string
		host         string // replaces the listener's IP in the URL; "" keeps it
	}{
		{name: "127.0.0.1", listen: "127.0.0.1:0"},
		{name: "[::1]", listen: "[::1]:0"},
		{name: "IPv4-mapped", listen: "127.0.0.1:0", host: "[::ffff:127.0.0.1]"},
		{name: "unspecified", listen: "127.0.0.1:0", host: "0.0.0.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, hits := countingServer(t, tt.listen)
			target := srv.URL
			if tt.host != "" {
				target = strings.Replace(target, "127.0.0.1", tt.host, 1)
			}
			resp, err := NewClient(Options{}).Get(target)
			if err == nil {
				resp.Body.Close()
			}
			if !errors.Is(err, ErrForbiddenAddress) {
				t.Errorf("Get(%s) error = %v, want %v", target, err, ErrForbiddenAddress)
			}
			if got := hits.Load(); got != 0 {
				t.Errorf("server saw %d requests, want 0", got)
			}
		})
	}
}

func TestClientAllowPrivate(t *testing.T) {
	srv, hits := countingServer(t, "127.0.0.1:0")
	resp, err := NewClient(Options{AllowPrivate: true}).Get(srv.URL)
	if err != nil {
		t.Fatalf("Get(%s) error = %v, want nil", srv.URL, err)
	}
	body, err := ReadLimited(resp.Body, 100)
	resp.Body.Close()
	if err != nil || string(body) != "ok" {
		t.Errorf("body = %q, %v; want \"ok\", nil", body, err)
	}
	if got := hits.Load(); got != 1 {
		t.Errorf("server saw %d requests, want 1", got)
	}
}

// TestClientRefusesRedirectTarget shows that the guard also applies to a
// redirect's destination: 127.0.0.2 stands for an internal address and
// 127.0.0.1 for a public one.
func TestClientRefusesRedirectTarget(t *testing.T) {
	internal, hits := countingServer(t, "127.0.0.2:0")
	public := httptest.NewServer(http.RedirectHandler(internal.URL+"/admin", http.StatusFound))
	defer public.Close()
	internalIP := netip.MustParseAddr("127.0.0.2")
	c := newClient(Options{}, func(ip netip.Addr) bool { return ip != internalIP })

	resp, err := c.Get(public.URL)
	if err == nil {
		resp.Body.Close()
	}
	if !errors.Is(err, ErrForbiddenAddress) {
		t.Errorf("Get() error = %v, want %v", err, ErrForbiddenAddress)
	}
	if got := hits.Load(); got != 0 {
		t.Errorf("internal server saw %d requests, want 0", got)
	}
}

func TestClientRedirects(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/hop/{n}", func(w http.ResponseWriter, r *http.Request) {
		if n := r.PathValue("n"); n != "0" {
			http.Redirect(w, r, "/hop/"+string(n[0]-1), http.StatusFound)
			return
		}
		io.WriteString(w, "ok")
	})
	mux.Handle("/ftp", http.RedirectHandler("ftp://127.0.0.1/file", http.StatusFound))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	tests := []struct {
		path string
		want error
	}{
		{path: "/hop/3"},
		{path: "/hop/4", want: ErrRedirect},
		{path: "/ftp", want: ErrRedirect},
	}
	c := NewClient(Options{AllowPrivate: true})
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := c.Get(srv.URL + tt.path)
			if err == nil {
				resp.Body.Close()
			}
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("Get(%s) error = %v, want %v", tt.path, err, tt.want)
			}
		})
	}
}

func TestClientTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.Proto)
	}))
	srv.EnableHTTP2 = true
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the failing handshake logs otherwise
	srv.StartTLS()
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())

	t.Run("trusted", func(t *testing.T) {
		resp, err := NewClient(Options{AllowPrivate: true, RootCAs: pool}).Get(srv.URL)
		if err != nil {
			t.Fatalf("Get() error = %v, want nil", err)
		}
		defer resp.Body.Close()
		if resp.ProtoMajor != 2 {
			t.Errorf("protocol = %s, want HTTP/2", resp.Proto)
		}
	})
	t.Run("untrusted", func(t *testing.T) {
		resp, err := NewClient(Options{AllowPrivate: true}).Get(srv.URL)
		if err == nil {
			resp.Body.Close()
		}
		var certErr *tls.CertificateVerificationError
		if !errors.As(err, &certErr) {
			t.Errorf("Get() error = %v, want a *tls.CertificateVerificationError", err)
		}
	})
}

func TestClientUserAgent(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.UserAgent())
	}))
	defer srv.Close()
	tests := []struct{ name, option, header, want string }{
		{name: "default", option: "maillage/1.0 (+https://maillage.example/)", want: "maillage/1.0 (+https://maillage.example/)"},
		{name: "request's own", option: "maillage/1.0", header: "custom/2", want: "custom/2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.header != "" {
				req.Header.Set("User-Agent", tt.header)
			}
			resp, err := NewClient(Options{AllowPrivate: true, UserAgent: tt.option}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := ReadLimited(resp.Body, 1000)
			resp.Body.Close()
			if string(got) != tt.want {
				t.Errorf("User-Agent = %q, want %q", got, tt.want)
			}
			if h := req.Header.Get("User-Agent"); h != tt.header {
				t.Errorf("caller's request header changed to %q", h)
			}
		})
	}
}

func TestTransportSettings(t *testing.T) {
	c := NewClient(Options{})
	tr, ok := c.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("Transport is %T, want *http.Transport", c.Transport)
	}
	if tr.Proxy != nil {
		t.Errorf("Proxy is set, want nil")
	}
	if !tr.ForceAttemptHTTP2 || tr.MaxIdleConnsPerHost != maxIdleConnsPerHost {
		t.Errorf("ForceAttemptHTTP2 = %t, MaxIdleConnsPerHost = %d", tr.ForceAttemptHTTP2, tr.MaxIdleConnsPerHost)
	}
	if tr.TLSClientConfig.InsecureSkipVerify {
		t.Errorf("InsecureSkipVerify is set")
	}
	if c.Timeout != defaultTimeout {
		t.Errorf("Timeout = %v, want %v", c.Timeout, defaultTimeout)
	}
}

func TestReadLimited(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		max     int64
		want    string
		wantErr error
	}{
		{name: "empty", in: "", max: 10, want: ""},
		{name: "under", in: "abc", max: 10, want: "abc"},
		{name: "exactly max", in: "abcdefghij", max: 10, want: "abcdefghij"},
		{name: "one over", in: "abcdefghijk", max: 10, wantErr: ErrTooLarge},
		{name: "zero max", in: "a", max: 0, wantErr: ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadLimited(strings.NewReader(tt.in), tt.max)
			if !errors.Is(err, tt.wantErr) || string(got) != tt.want {
				t.Errorf("ReadLimited(%q, %d) = %q, %v; want %q, %v", tt.in, tt.max, got, err, tt.want, tt.wantErr)
			}
		})
	}
	readErr := errors.New("connection reset")
	if _, err := ReadLimited(io.MultiReader(strings.NewReader("ab"), errReader{readErr}), 10); !errors.Is(err, readErr) {
		t.Errorf("ReadLimited(failing reader) error = %v, want %v", err, readErr)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// TestClientDropsSignatureAcrossOrigins: a Signature header is valid only
// for the host it was made for, so a redirect to another origin (here
// 127.0.0.3, from 127.0.0.1) must not carry it, for a GET (302) or for a
// POST that a 307 resends with its body. A redirect within the origin keeps
// it.
func TestClientDropsSignatureAcrossOrigins(t *testing.T) {
	type seen struct{ path, signature string }
	var mu sync.Mutex
	var got []seen
	record := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, seen{r.URL.Path, r.Header.Get("Signature")})
		mu.Unlock()
		io.WriteString(w, "ok")
	})
	other := listenOn(t, "127.0.0.3:0", record)
	mux := http.NewServeMux()
	mux.Handle("/target", record)
	mux.Handle("/found-other", http.RedirectHandler(other.URL+"/target", http.StatusFound))
	mux.Handle("/temporary-other", http.RedirectHandler(other.URL+"/target", http.StatusTemporaryRedirect))
	mux.Handle("/found-same", http.RedirectHandler("/target", http.StatusFound))
	origin := listenOn(t, "127.0.0.1:0", mux)

	const signature = `keyId="http://127.0.0.1/actor#main-key",signature="c2lnbmF0dXJl"`
	tests := []struct {
		method, path string
		want         seen
	}{
		{http.MethodGet, "/found-other", seen{"/target", ""}},
		{http.MethodPost, "/temporary-other", seen{"/target", ""}},
		{http.MethodGet, "/found-same", seen{"/target", signature}},
	}
	c := NewClient(Options{AllowPrivate: true})
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			mu.Lock()
			got = nil
			mu.Unlock()
			req, err := http.NewRequest(tt.method, origin.URL+tt.path, strings.NewReader("{}"))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Signature", signature)
			resp, err := c.Do(req)
			if err != nil {
				t.Fatalf("%s %s: %v", tt.method, tt.path, err)
			}
			resp.Body.Close()
			mu.Lock()
			defer mu.Unlock()
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("redirect target saw %+v, want one request %+v", got, tt.want)
			}
		})
	}
}

// listenOn starts an HTTP server for h on addr (a loopback host:port).
func listenOn(t *testing.T, addr string, h http.Handler) *httptest.Server {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}
