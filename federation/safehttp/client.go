package safehttp

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"time"
)

// Transport limits. The whole request, body included, is bounded by
// Options.Timeout.
const (
	defaultTimeout        = 10 * time.Second
	dialTimeout           = 5 * time.Second
	tlsHandshakeTimeout   = 5 * time.Second
	responseHeaderTimeout = 10 * time.Second
	idleConnTimeout       = 90 * time.Second
	maxIdleConnsPerHost   = 4
	maxRedirects          = 3
)

// ErrRedirect is wrapped by the error a request fails with when a redirect
// is refused: more than three, or to a scheme other than http or https.
var ErrRedirect = errors.New("safehttp: redirect refused")

// Options configures NewClient. The zero value is the production setting.
type Options struct {
	// AllowPrivate allows destinations that are not public (see
	// IsPublicIP): loopback, private, link-local, CGNAT, unspecified and
	// so on. Off by default; on in tests and local demos.
	AllowPrivate bool
	// RootCAs verifies server certificates; nil means the system roots. To
	// trust an extra CA, pass a pool that holds the system roots plus it.
	// Verification is never disabled.
	RootCAs *x509.CertPool
	// Timeout bounds a whole request, reading the body included; zero means
	// 10 seconds.
	Timeout time.Duration
	// UserAgent is sent on requests that do not set their own, if non-empty.
	UserAgent string
}

// NewClient returns an HTTP client for requests to remote servers. It
// refuses addresses that are not public unless o.AllowPrivate is set, ignores
// proxy environment variables, and follows at most three redirects, only to
// http or https URLs. Each client has its own connection pool; share one
// client per process rather than creating one per request.
func NewClient(o Options) *http.Client {
	var allowed func(netip.Addr) bool
	if !o.AllowPrivate {
		allowed = IsPublicIP
	}
	return newClient(o, allowed)
}

// newClient is NewClient with the address policy as a parameter (nil allows
// every address), so that tests can forbid one loopback address.
func newClient(o Options, allowed func(netip.Addr) bool) *http.Client {
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	c := &http.Client{Timeout: timeout, CheckRedirect: CheckRedirect}
	t := newTransport(o, allowed)
	c.Transport = t
	if o.UserAgent != "" {
		c.Transport = &userAgentTransport{base: t, userAgent: o.UserAgent}
	}
	return c
}

func newTransport(o Options, allowed func(netip.Addr) bool) *http.Transport {
	dialer := &net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}
	if allowed != nil {
		dialer.Control = dialGuard(allowed)
	}
	return &http.Transport{
		Proxy:                 nil, // never from the environment
		DialContext:           dialer.DialContext,
		TLSClientConfig:       &tls.Config{RootCAs: o.RootCAs, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   tlsHandshakeTimeout,
		ResponseHeaderTimeout: responseHeaderTimeout,
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       idleConnTimeout,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   maxIdleConnsPerHost,
		ForceAttemptHTTP2:     true,
	}
}

// CheckRedirect is the redirect policy of the clients NewClient returns, for
// a caller that wraps it in its own (to re-sign each hop, say): at most
// three redirects, only to http or https, and never an HTTP signature made
// for another origin.
//
// net/http copies every header of the first request to each hop and strips
// only Authorization, Cookie and WWW-Authenticate when the host changes; a
// Signature header made for one host would reach whatever host a redirect
// names, where it is valid for the first host (its keyId, date and, for a
// POST, digest) and could be replayed there within its Date window. So when
// a hop leaves the origin of the request before it, Signature is dropped: the
// request goes on unsigned unless the caller signs it for its new target.
func CheckRedirect(r *http.Request, via []*http.Request) error {
	if len(via) > maxRedirects {
		return fmt.Errorf("%w: more than %d redirects", ErrRedirect, maxRedirects)
	}
	if r.URL.Scheme != "http" && r.URL.Scheme != "https" {
		return fmt.Errorf("%w: scheme %q", ErrRedirect, r.URL.Scheme)
	}
	if prev := via[len(via)-1].URL; prev.Scheme != r.URL.Scheme || prev.Host != r.URL.Host {
		r.Header.Del("Signature")
	}
	return nil
}

// userAgentTransport sets a default User-Agent header.
type userAgentTransport struct {
	base      *http.Transport
	userAgent string
}

// RoundTrip implements http.RoundTripper. It clones a request before adding
// the header, since a RoundTripper must not modify its request.
func (t *userAgentTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Header.Get("User-Agent") == "" {
		r = r.Clone(r.Context())
		r.Header.Set("User-Agent", t.userAgent)
	}
	return t.base.RoundTrip(r)
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the pool.
func (t *userAgentTransport) CloseIdleConnections() { t.base.CloseIdleConnections() }
