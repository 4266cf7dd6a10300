package httpsign

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const (
	testKeyID = "https://remote.example/users/alice#main-key"
	testOwner = "https://remote.example/users/alice"
	inboxURL  = "https://maillage.example/users/org/inbox"
	testHost  = "maillage.example" // the verifying server's host, inboxURL's
)

// testNow is the verifier's clock in table tests.
func testNow() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }

func newKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	k, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// staticKey is a KeyFunc that always returns pub for testOwner.
func staticKey(pub crypto.PublicKey) KeyFunc {
	return func(context.Context, string, bool) (string, crypto.PublicKey, error) {
		return testOwner, pub, nil
	}
}

// signed returns a request signed with Sign at the given time; body nil
// means a GET.
func signed(t testing.TB, key *rsa.PrivateKey, body []byte, at time.Time) *http.Request {
	t.Helper()
	method := http.MethodGet
	if body != nil {
		method = http.MethodPost
	}
	r := httptest.NewRequest(method, inboxURL, bytes.NewReader(body))
	if err := Sign(r, testKeyID, key, body, at); err != nil {
		t.Fatal(err)
	}
	return r
}

// handSigned builds a request and signs it without this package, the way
// Mastodon's app/lib/request.rb does: it sets Date, Digest for a body and
// Content-Type, then signs the listed headers with RSA-SHA256 (crypto/rsa).
func handSigned(t testing.TB, key *rsa.PrivateKey, method, target string, body []byte, keyID, algorithm, headers string) *http.Request {
	t.Helper()
	r := httptest.NewRequest(method, target, bytes.NewReader(body))
	r.Header.Set("Date", testNow().Format(http.TimeFormat))
	if body != nil {
		sum := sha256.Sum256(body)
		r.Header.Set("Digest", "SHA-256="+base64.StdEncoding.EncodeToString(sum[:]))
		r.Header.Set("Content-Type", "application/activity+json")
	}
	signHand(t, r, key, keyID, algorithm, headers)
	return r
}

// signHand signs r's current headers as listed, setting the Signature header.
func signHand(t testing.TB, r *http.Request, key *rsa.PrivateKey, keyID, algorithm, headers string) {
	t.Helper()
	var lines []string
	for _, h := range strings.Fields(headers) {
		name := strings.ToLower(h)
		switch name {
		case "(request-target)":
			lines = append(lines, name+": "+strings.ToLower(r.Method)+" "+r.URL.RequestURI())
		case "host":
			lines = append(lines, name+": "+r.Host)
		default:
			lines = append(lines, name+": "+r.Header.Get(name))
		}
	}
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Signature", `keyId="`+keyID+`",algorithm="`+algorithm+`",headers="`+headers+
		`",signature="`+base64.StdEncoding.EncodeToString(sig)+`"`)
}
