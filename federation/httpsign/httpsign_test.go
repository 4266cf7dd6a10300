package httpsign

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestVerify(t *testing.T) {
	key, other := newKey(t), newKey(t)
	now := testNow()
	body := []byte(`{"type":"Follow"}`)
	post := func(t *testing.T) *http.Request { return signed(t, key, body, now) }
	byHand := func(headers, algorithm string) func(t *testing.T) *http.Request {
		return func(t *testing.T) *http.Request {
			return handSigned(t, key, http.MethodPost, inboxURL, body, testKeyID, algorithm, headers)
		}
	}
	tests := []struct {
		name  string
		req   func(t *testing.T) *http.Request
		body  []byte // the body Verify sees; nil for a GET
		keyFn KeyFunc
		want  error
	}{
		{name: "GET round trip", req: func(t *testing.T) *http.Request { return signed(t, key, nil, now) }},
		{name: "POST round trip", req: post, body: body},
		{name: "mixed-case header names", req: byHand("(Request-Target) Host Date Digest", "rsa-sha256"), body: body},
		{name: "date 64 minutes old", req: func(t *testing.T) *http.Request { return signed(t, key, body, now.Add(-64*time.Minute)) }, body: body},
		{name: "date 59 minutes ahead", req: func(t *testing.T) *http.Request { return signed(t, key, body, now.Add(59*time.Minute)) }, body: body},

		{name: "unsigned", req: func(*testing.T) *http.Request { return httptest.NewRequest(http.MethodGet, inboxURL, nil) }, want: ErrUnsigned},
		{name: "signature in Authorization only", req: func(t *testing.T) *http.Request {
			r := post(t)
			r.Header.Set("Authorization", "Signature "+r.Header.Get("Signature"))
			r.Header.Del("Signature")
			return r
		}, body: body, want: ErrUnsigned},
		{name: "garbage signature header", req: withHeader(post, "Signature", "this is not a signature"), body: body, want: ErrBadSignature},
		{name: "missing keyId", req: editSignature(post, `keyId="`+testKeyID+`",`, ""), body: body, want: ErrBadSignature},
		{name: "duplicate headers parameter", req: editSignature(post, `headers="`, `headers="date",headers="`), body: body, want: ErrBadSignature},
		{name: "comma smuggled into signature", req: editSignature(post, `",signature="`, `",signature="x,headers=date,`), body: body, want: ErrBadSignature},
		{name: "two signature headers", req: func(t *testing.T) *http.Request {
			r := post(t)
			r.Header.Add("Signature", r.Header.Get("Signature"))
			return r
		}, body: body, want: ErrBadSignature},
		{name: "algorithm hmac-sha256", req: byHand("(request-target) host date digest", "hmac-sha256"), body: body, want: ErrBadSignature},
		{name: "wrong key", req: post, body: body, keyFn: staticKey(&other.PublicKey), want: ErrBadSignature},
		{name: "ed25519 key", req: post, body: body, keyFn: staticKey(ed25519.PublicKey(make([]byte, ed25519.PublicKeySize))), want: ErrBadSignature},
		{name: "typed nil key", req: post, body: body, keyFn: staticKey((*rsa.PublicKey)(nil)), want: ErrBadSignature},
		{name: "date changed after signing", req: withHeader(post, "Date", now.Add(time.Second).Format(http.TimeFormat)), body: body, want: ErrBadSignature},
		{name: "path changed after signing", req: func(t *testing.T) *http.Request {
			r := post(t)
			r.URL.Path = "/inbox"
			return r
		}, body: body, want: ErrBadSignature},

		{name: "digest not signed", req: byHand("(request-target) host date", "rsa-sha256"), body: body, want: ErrWeakSignature},
		{name: "host not signed", req: byHand("(request-target) date digest", "rsa-sha256"), body: body, want: ErrWeakSignature},
		{name: "request-target not signed", req: byHand("host date digest", "rsa-sha256"), body: body, want: ErrWeakSignature},
		{name: "date not signed", req: byHand("(request-target) host digest", "rsa-sha256"), body: body, want: ErrWeakSignature},
		{name: "no headers parameter", req: editSignature(post, `headers="(request-target) host date digest",`, ""), body: body, want: ErrWeakSignature},
		{name: "POST signed like a GET", req: func(t *testing.T) *http.Request {
			r := signed(t, key, nil, now)
			r.Method = http.MethodPost
			return r
		}, want: ErrWeakSignature},

		{name: "host with default port and another case", req: func(t *testing.T) *http.Request {
			return handSigned(t, key, http.MethodPost, "https://Maillage.Example:443/users/org/inbox", body, testKeyID, "rsa-sha256", "(request-target) host date digest")
		}, body: body},
		{name: "signed for another host", req: func(t *testing.T) *http.Request {
			return handSigned(t, key, http.MethodPost, "https://other.example/users/org/inbox", body, testKeyID, "rsa-sha256", "(request-target) host date digest")
		}, body: body, want: ErrWrongHost},
		{name: "signed for another port", req: func(t *testing.T) *http.Request {
			return handSigned(t, key, http.MethodPost, "https://maillage.example:8443/users/org/inbox", body, testKeyID, "rsa-sha256", "(request-target) host date digest")
		}, body: body, want: ErrWrongHost},

		{name: "date 2h old", req: func(t *testing.T) *http.Request { return signed(t, key, body, now.Add(-2*time.Hour)) }, body: body, want: ErrStaleDate},
		{name: "date 66 minutes old", req: func(t *testing.T) *http.Request { return signed(t, key, body, now.Add(-66*time.Minute)) }, body: body, want: ErrStaleDate},
		{name: "date 2h in future", req: func(t *testing.T) *http.Request { return signed(t, key, body, now.Add(2*time.Hour)) }, body: body, want: ErrStaleDate},
		{name: "date header removed", req: withHeader(post, "Date", ""), body: body, want: ErrStaleDate},
		{name: "date unparsable", req: withHeader(post, "Date", "yesterday"), body: body, want: ErrStaleDate},

		{name: "tampered body", req: post, body: []byte(`{"type":"Delete"}`), want: ErrBadDigest},
		{name: "digest header removed", req: withHeader(post, "Digest", ""), body: body, want: ErrBadDigest},
		{name: "SHA-512 digest only", req: withHeader(post, "Digest", "SHA-512=AAAA"), body: body, want: ErrBadDigest},

		{name: "key lookup error", req: post, body: body, want: ErrKeyUnavailable,
			keyFn: func(context.Context, string, bool) (string, crypto.PublicKey, error) {
				return "", nil, errors.New("remote answered 410")
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keyFn := tt.keyFn
			if keyFn == nil {
				keyFn = staticKey(&key.PublicKey)
			}
			got, err := Verify(context.Background(), tt.req(t), tt.body, testHost, now, keyFn)
			t.Logf("Verify() error = %v", err)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("Verify() error = %v, want %v", err, tt.want)
			}
			if err != nil {
				return
			}
			if want := (Verified{KeyID: testKeyID, Owner: testOwner}); got != want {
				t.Errorf("Verify() = %+v, want %+v", got, want)
			}
		})
	}
}

// withHeader changes (or, for "", removes) a header after signing.
func withHeader(req func(*testing.T) *http.Request, name, value string) func(*testing.T) *http.Request {
	return func(t *testing.T) *http.Request {
		r := req(t)
		r.Header.Del(name)
		if value != "" {
			r.Header.Set(name, value)
		}
		return r
	}
}

// editSignature replaces old with repl in the Signature header.
func editSignature(req func(*testing.T) *http.Request, old, repl string) func(*testing.T) *http.Request {
	return func(t *testing.T) *http.Request {
		r := req(t)
		sig := r.Header.Get("Signature")
		if !strings.Contains(sig, old) {
			t.Fatalf("Signature %q does not contain %q", sig, old)
		}
		r.Header.Set("Signature", strings.Replace(sig, old, repl, 1))
		return r
	}
}

func TestVerifyKeyRotation(t *testing.T) {
	oldKey, newKey := newKey(t), newKey(t)
	body := []byte(`{"type":"Create"}`)
	r := signed(t, newKey, body, testNow())
	var calls []bool
	keyFn := func(_ context.Context, keyID string, refresh bool) (string, crypto.PublicKey, error) {
		calls = append(calls, refresh)
		if refresh {
			return testOwner, &newKey.PublicKey, nil
		}
		return testOwner, &oldKey.PublicKey, nil
	}
	got, err := Verify(context.Background(), r, body, testHost, testNow(), keyFn)
	if err != nil {
		t.Fatalf("Verify() error = %v, want nil", err)
	}
	if want := (Verified{KeyID: testKeyID, Owner: testOwner}); got != want {
		t.Errorf("Verify() = %+v, want %+v", got, want)
	}
	if want := []bool{false, true}; !slices.Equal(calls, want) {
		t.Errorf("keyFn refresh arguments = %v, want %v", calls, want)
	}
}

func TestVerifyRefreshFails(t *testing.T) {
	key, other := newKey(t), newKey(t)
	body := []byte(`{"type":"Create"}`)
	keyFn := func(_ context.Context, _ string, refresh bool) (string, crypto.PublicKey, error) {
		if refresh {
			return "", nil, errors.New("timeout")
		}
		return testOwner, &other.PublicKey, nil
	}
	_, err := Verify(context.Background(), signed(t, key, body, testNow()), body, testHost, testNow(), keyFn)
	if !errors.Is(err, ErrKeyUnavailable) {
		t.Errorf("Verify() error = %v, want %v", err, ErrKeyUnavailable)
	}
}

// TestVerifyMastodon checks a request signed as Mastodon's app/lib/request.rb
// signs deliveries: algorithm rsa-sha256, a fragment keyId, and content-type
// signed as well.
func TestVerifyMastodon(t *testing.T) {
	key := newKey(t)
	body := []byte(`{"@context":"https://www.w3.org/ns/activitystreams","type":"Follow"}`)
	keyID := "https://mastodon.example/users/alice#main-key"
	r := handSigned(t, key, http.MethodPost, inboxURL, body, keyID, "rsa-sha256",
		"(request-target) host date digest content-type")
	got, err := Verify(context.Background(), r, body, testHost, testNow(), staticKey(&key.PublicKey))
	if err != nil {
		t.Fatalf("Verify() error = %v, want nil", err)
	}
	if got.KeyID != keyID {
		t.Errorf("Verify().KeyID = %q, want %q", got.KeyID, keyID)
	}
}

// TestVerifyGoToSocial checks a GET signed as GoToSocial's
// internal/transport/signing.go signs: algorithm hs2019, a keyId path ending
// in /main-key, and the query string in (request-target).
func TestVerifyGoToSocial(t *testing.T) {
	key := newKey(t)
	keyID := "https://gts.example/users/bob/main-key"
	r := handSigned(t, key, http.MethodGet, "https://maillage.example/users/org/outbox?page=true", nil,
		keyID, "hs2019", "(request-target) host date")
	got, err := Verify(context.Background(), r, nil, testHost, testNow(), staticKey(&key.PublicKey))
	if err != nil {
		t.Fatalf("Verify() error = %v, want nil", err)
	}
	if got.KeyID != keyID {
		t.Errorf("Verify().KeyID = %q, want %q", got.KeyID, keyID)
	}
}

func TestSignHeaders(t *testing.T) {
	key := newKey(t)
	tests := []struct {
		name        string
		body        []byte
		wantHeaders string
		wantDigest  string
	}{
		{name: "GET", wantHeaders: "(request-target) host date"},
		{name: "POST", body: []byte("{}"), wantHeaders: "(request-target) host date digest",
			wantDigest: "SHA-256=RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := signed(t, key, tt.body, testNow())
			if err := Sign(r, testKeyID, key, tt.body, testNow()); err != nil { // re-signing replaces
				t.Fatalf("second Sign() error = %v", err)
			}
			sigs := r.Header.Values("Signature")
			if len(sigs) != 1 {
				t.Fatalf("Signature headers = %q, want exactly one", sigs)
			}
			var names []string
			for pair := range strings.SplitSeq(sigs[0], ",") {
				name, _, _ := strings.Cut(pair, "=")
				names = append(names, name)
			}
			if got, want := strings.Join(names, " "), "keyId algorithm headers signature"; got != want {
				t.Errorf("Signature parameters = %q, want %q", got, want)
			}
			p, err := parseParams(sigs[0])
			if err != nil {
				t.Fatalf("parseParams(%q) error = %v", sigs[0], err)
			}
			checks := []struct{ what, got, want string }{
				{"algorithm", p.algorithm, "hs2019"},
				{"keyId", p.keyID, testKeyID},
				{"headers", strings.Join(p.headers, " "), tt.wantHeaders},
				{"Date", r.Header.Get("Date"), "Sun, 01 Mar 2026 12:00:00 GMT"},
				{"Host", r.Header.Get("Host"), "maillage.example"},
				{"Digest", r.Header.Get("Digest"), tt.wantDigest},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
				}
			}
		})
	}
}

func TestSignRejects(t *testing.T) {
	key := newKey(t)
	tests := []struct {
		name  string
		keyID string
		key   *rsa.PrivateKey
	}{
		{name: "empty keyId", keyID: "", key: key},
		{name: "quote in keyId", keyID: `https://x.example/"k`, key: key},
		{name: "comma in keyId", keyID: "https://x.example/a,b", key: key},
		{name: "nil key", keyID: testKeyID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, inboxURL, nil)
			if err := Sign(r, tt.keyID, tt.key, nil, testNow()); err == nil {
				t.Errorf("Sign() error = nil, want an error")
			}
		})
	}
}

// TestVerifyOverHTTP signs real requests and verifies them in a handler on
// loopback, where Go has moved Host out of the header map and decoded the
// path.
func TestVerifyOverHTTP(t *testing.T) {
	key := newKey(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body []byte
		if r.Method == http.MethodPost {
			var err error
			if body, err = io.ReadAll(r.Body); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
		}
		if _, err := Verify(r.Context(), r, body, r.Host, time.Now(), staticKey(&key.PublicKey)); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()

	tests := []struct {
		name, method, path string
		body               []byte
	}{
		{name: "GET with query", method: http.MethodGet, path: "/users/org/outbox?page=2"},
		{name: "POST", method: http.MethodPost, path: "/users/org/inbox", body: []byte(`{"type":"Follow"}`)},
		{name: "POST to escaped path", method: http.MethodPost, path: "/users/caf%C3%A9%2Fx/inbox", body: []byte(`{}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := http.NewRequestWithContext(t.Context(), tt.method, srv.URL+tt.path, strings.NewReader(string(tt.body)))
			if err != nil {
				t.Fatal(err)
			}
			if err := Sign(r, testKeyID, key, tt.body, time.Now()); err != nil {
				t.Fatal(err)
			}
			resp, err := srv.Client().Do(r)
			if err != nil {
				t.Fatal(err)
			}
			msg, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusAccepted {
				t.Errorf("status = %d (%s), want %d", resp.StatusCode, msg, http.StatusAccepted)
			}
		})
	}
}

func BenchmarkVerify(b *testing.B) {
	key := newKey(b)
	body := []byte(`{"@context":"https://www.w3.org/ns/activitystreams","type":"Create","object":{"type":"Note"}}`)
	r := signed(b, key, body, testNow())
	keyFn := staticKey(&key.PublicKey)
	ctx := context.Background()
	for b.Loop() {
		if _, err := Verify(ctx, r, body, testHost, testNow(), keyFn); err != nil {
			b.Fatal(err)
		}
	}
}

// TestVerifyLeavesRequestAlone: Verify neither adds to nor changes the
// request's header (httpsig adds Host to the header it is given), and it
// checks a signed header beyond those it requires with the value the
// request carries.
func TestVerifyLeavesRequestAlone(t *testing.T) {
	key := newKey(t)
	body := []byte(`{"type":"Create"}`)
	r := handSigned(t, key, http.MethodPost, inboxURL, body, testKeyID, "rsa-sha256",
		"(request-target) host date digest content-type")
	r.Header.Set("X-Extra", "not signed")
	before := r.Header.Clone()
	keyFn := func(context.Context, string, bool) (string, crypto.PublicKey, error) {
		return testOwner, &key.PublicKey, nil
	}
	if _, err := Verify(context.Background(), r, body, testHost, testNow(), keyFn); err != nil {
		t.Fatalf("Verify() error = %v", err)
	}
	if len(r.Header) != len(before) {
		t.Errorf("header after Verify = %v, want %v", r.Header, before)
	}
	for k, v := range before {
		if !slices.Equal(r.Header[k], v) {
			t.Errorf("header %s after Verify = %q, want %q", k, r.Header[k], v)
		}
	}
	r.Header.Set("Content-Type", "application/ld+json")
	if _, err := Verify(context.Background(), r, body, testHost, testNow(), keyFn); !errors.Is(err, ErrBadSignature) {
		t.Errorf("Verify() with the signed Content-Type changed = %v, want ErrBadSignature", err)
	}
	// A signature over Authorization is refused, as when httpsig was
	// given the request without it: it is not a header we verify.
	r = handSigned(t, key, http.MethodPost, inboxURL, body, testKeyID, "rsa-sha256",
		"(request-target) host date digest authorization")
	r.Header.Set("Authorization", "Bearer x")
	signHand(t, r, key, testKeyID, "rsa-sha256", "(request-target) host date digest authorization")
	if _, err := Verify(context.Background(), r, body, testHost, testNow(), keyFn); !errors.Is(err, ErrBadSignature) {
		t.Errorf("Verify() of a signature over Authorization = %v, want ErrBadSignature", err)
	}
}
