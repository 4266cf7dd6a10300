package httpsign

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-fed/httpsig"
)

// Mastodon's window (HttpSignature#matches_time_window?): a signature
// expires 5 minutes after its Date, and either side may be an hour off.
const (
	signatureLifetime = 5 * time.Minute
	clockSkew         = time.Hour
)

// KeyFunc returns the public key for keyID and the IRI of the actor that owns
// it. refresh=true asks it to bypass any cache: Verify calls it once more with
// refresh=true when the cached key does not verify (the sender rotated its
// key). The caller must check that owner is the activity's actor.
type KeyFunc func(ctx context.Context, keyID string, refresh bool) (owner string, key crypto.PublicKey, err error)

// Verified is the outcome of a successful verification.
type Verified struct{ KeyID, Owner string }

// Verify checks the HTTP signature of an incoming request whose body has
// already been read into body (nil for a GET), made to this server, whose
// host[:port] is host. It checks, in order, and fails with the sentinel
// named:
//
//  1. a Signature header exists (ErrUnsigned; Authorization is not looked at);
//  2. it parses, and its algorithm is absent, "hs2019" or "rsa-sha256"
//     (ErrBadSignature);
//  3. it signs (request-target), host and date, and digest for a request with
//     a body (ErrWeakSignature), and the request's host, which the signature
//     covers, is host (ErrWrongHost; case and a default port aside);
//  4. Date parses and is no more than an hour ahead of now, and now is no more
//     than 5 minutes plus an hour after it (ErrStaleDate);
//  5. for a body, Digest has a SHA-256 value equal to the body's (ErrBadDigest);
//  6. keyFn returns the key (ErrKeyUnavailable, wrapping keyFn's error);
//  7. the RSA-SHA256 signature verifies; if not, keyFn is asked again with
//     refresh=true and the check repeated (ErrBadSignature, or
//     ErrKeyUnavailable if the refresh fails).
//
// A request has a body when body is not empty or its method is POST (an
// empty POST must still sign the Digest of nothing). Only RSA keys are
// supported. Verify does not modify r. If the signature carries created or
// expires parameters, httpsig also checks them, against the wall clock rather
// than now, with 10 seconds of slack.
func Verify(ctx context.Context, r *http.Request, body []byte, host string, now time.Time, keyFn KeyFunc) (Verified, error) {
	values := r.Header.Values("Signature")
	if len(values) == 0 || len(values) == 1 && strings.TrimSpace(values[0]) == "" {
		return Verified{}, ErrUnsigned
	}
	if len(values) > 1 {
		return Verified{}, fmt.Errorf("%w: %d Signature headers", ErrBadSignature, len(values))
	}
	p, err := parseParams(values[0])
	if err != nil {
		return Verified{}, fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	if a := strings.ToLower(p.algorithm); a != "" && a != "hs2019" && a != "rsa-sha256" {
		return Verified{}, fmt.Errorf("%w: unsupported algorithm %.40q", ErrBadSignature, p.algorithm)
	}
	hasBody := len(body) > 0 || r.Method == http.MethodPost
	if err := checkSignedHeaders(p.headers, hasBody); err != nil {
		return Verified{}, err
	}
	if canonicalHost(r.Host) != canonicalHost(host) || host == "" {
		return Verified{}, fmt.Errorf("%w: %.100q, not %q", ErrWrongHost, r.Host, host)
	}
	if err := checkDate(r.Header.Get("Date"), now); err != nil {
		return Verified{}, err
	}
	if hasBody {
		if err := checkDigest(r.Header.Values("Digest"), body); err != nil {
			return Verified{}, err
		}
	}
	if r.URL == nil {
		return Verified{}, fmt.Errorf("%w: request has no URL", ErrBadSignature)
	}
	verifier, err := httpsig.NewVerifier(verificationRequest(r, p))
	if err != nil {
		return Verified{}, fmt.Errorf("%w: %w", ErrBadSignature, err)
	}

	owner, key, err := lookupKey(ctx, keyFn, p.keyID, false)
	if err != nil {
		return Verified{}, err
	}
	if verifyWith(verifier, key) == nil {
		return Verified{KeyID: p.keyID, Owner: owner}, nil
	}
	owner, key, err = lookupKey(ctx, keyFn, p.keyID, true)
	if err != nil {
		return Verified{}, err
	}
	if err := verifyWith(verifier, key); err != nil {
		return Verified{}, fmt.Errorf("%w: key %s: %w", ErrBadSignature, p.keyID, err)
	}
	return Verified{KeyID: p.keyID, Owner: owner}, nil
}

func checkSignedHeaders(signed []string, hasBody bool) error {
	required := []string{httpsig.RequestTarget, "host", "date"}
	if hasBody {
		required = append(required, "digest")
	}
	for _, h := range required {
		if !slices.Contains(signed, h) {
			return fmt.Errorf("%w: %q not signed", ErrWeakSignature, h)
		}
	}
	return nil
}

func checkDate(value string, now time.Time) error {
	if value == "" {
		return fmt.Errorf("%w: no Date header", ErrStaleDate)
	}
	date, err := http.ParseTime(value)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrStaleDate, err)
	}
	if date.After(now.Add(clockSkew)) {
		return fmt.Errorf("%w: %s is in the future", ErrStaleDate, value)
	}
	if now.After(date.Add(signatureLifetime + clockSkew)) {
		return fmt.Errorf("%w: %s has expired", ErrStaleDate, value)
	}
	return nil
}

// checkDigest accepts one or more comma-separated "algorithm=value" pairs, as
// Mastodon does, and requires a SHA-256 pair equal to the body's hash.
func checkDigest(values []string, body []byte) error {
	sum := sha256.Sum256(body)
	want := base64.StdEncoding.EncodeToString(sum[:])
	for pair := range strings.SplitSeq(strings.Join(values, ","), ",") {
		algo, got, _ := strings.Cut(strings.TrimSpace(pair), "=")
		if strings.EqualFold(algo, "SHA-256") {
			if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
				return fmt.Errorf("%w: SHA-256 does not match the body", ErrBadDigest)
			}
			return nil
		}
	}
	return fmt.Errorf("%w: no SHA-256 digest", ErrBadDigest)
}

// canonicalHost folds the spellings of one host[:port]: case, a trailing dot
// and the default ports (which senders may or may not write).
func canonicalHost(h string) string {
	h = strings.ToLower(h)
	for _, port := range []string{":443", ":80"} {
		h = strings.TrimSuffix(h, port)
	}
	return strings.TrimSuffix(h, ".")
}

func lookupKey(ctx context.Context, keyFn KeyFunc, keyID string, refresh bool) (string, *rsa.PublicKey, error) {
	owner, key, err := keyFn(ctx, keyID, refresh)
	if err != nil {
		return "", nil, fmt.Errorf("%w: %s (refresh=%t): %w", ErrKeyUnavailable, keyID, refresh, err)
	}
	rsaKey, ok := key.(*rsa.PublicKey)
	if !ok || rsaKey == nil || rsaKey.N == nil {
		return "", nil, fmt.Errorf("%w: key %s (%T) is not a usable RSA key", ErrBadSignature, keyID, key)
	}
	return owner, rsaKey, nil
}

func verifyWith(v httpsig.Verifier, key *rsa.PublicKey) error {
	return v.Verify(key, httpsig.RSA_SHA256)
}

// verificationRequest returns the request httpsig verifies: r's method,
// the escaped path that was on the wire, and a header of only what
// httpsig reads: the headers p signs (their values shared with r, which
// httpsig does not modify), Host from r.Host (Go moves it out of the
// header map), and the Signature header re-serialised from p. r's header
// map, to which httpsig would add Host, is neither touched nor copied
// whole. Authorization is left out even when signed: httpsig would read
// a signature there too, and such a signature fails as "missing header".
func verificationRequest(r *http.Request, p params) *http.Request {
	h := make(http.Header, len(p.headers)+1)
	for _, name := range p.headers {
		if strings.HasPrefix(name, "(") || name == "authorization" {
			continue // (request-target), (created), (expires) are not headers
		}
		k := textproto.CanonicalMIMEHeaderKey(name)
		if v, ok := r.Header[k]; ok {
			h[k] = v
		}
	}
	if r.Host != "" {
		h["Host"] = []string{r.Host}
	}
	h["Signature"] = []string{p.canonical()}
	return &http.Request{Method: r.Method, URL: wirePath(r.URL), Host: r.Host, Header: h}
}

// wirePath returns a copy of u whose Path is the escaped form sent on the
// wire ("/" if empty), because httpsig builds (request-target) from Path.
func wirePath(u *url.URL) *url.URL {
	c := *u
	c.Path = u.EscapedPath()
	if c.Path == "" {
		c.Path = "/"
	}
	c.RawPath = ""
	return &c
}
