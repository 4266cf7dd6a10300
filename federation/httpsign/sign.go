package httpsign

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/go-fed/httpsig"
)

// Sign signs an outgoing request the way Mastodon signs its own
// (app/lib/request.rb). It sets Date (from now, in UTC) and Host, and for a
// request with a body (body != nil) Digest "SHA-256=<base64>"; then it signs
// "(request-target) host date digest", or "(request-target) host date" when
// body is nil, with RSA-SHA256 and sets the Signature header. Any earlier
// Date, Digest or Signature header is replaced, so a request can be re-signed
// for a retry. Sign does not touch r.Body: body must be what r will send.
//
// The Host header exists only so that httpsig can sign it (the client sends
// r.Host, or r.URL.Host when r.Host is empty, and never the header map's
// Host); the same value is used for both.
//
// The header carries exactly keyId, algorithm, headers and signature: no
// created or expires, which honk's verifier refuses as unknown parameters
// (humungus.tedunangst.com/r/webs, httpsig/httpsig.go). The algorithm is
// "hs2019": httpsig v1.1.0 always writes that (signing.go,
// setSignatureHeader) and offers no option to change it. Mastodon, GoToSocial
// and honk accept hs2019 and verify it as RSA-SHA256 for RSA keys; only very
// old Misskey insisted on "rsa-sha256". Rewriting the header after httpsig
// would be a hack around the library for no current peer, so we keep hs2019.
func Sign(r *http.Request, keyID string, key *rsa.PrivateKey, body []byte, now time.Time) error {
	if r == nil || r.URL == nil || key == nil {
		return errors.New("httpsign: sign: nil request, URL or key")
	}
	if keyID == "" || strings.ContainsAny(keyID, `",`) {
		return fmt.Errorf("httpsign: sign: invalid keyId %q", keyID)
	}
	if r.Header == nil {
		r.Header = make(http.Header)
	}
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	r.Header.Set("Host", host)
	r.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	r.Header.Del("Digest") // httpsig adds it and refuses to if one exists
	r.Header.Del("Signature")

	headers := []string{httpsig.RequestTarget, "host", "date"}
	if body != nil {
		headers = append(headers, "digest")
	}
	signer, _, err := httpsig.NewSigner([]httpsig.Algorithm{httpsig.RSA_SHA256},
		httpsig.DigestSha256, headers, httpsig.Signature, 0)
	if err != nil {
		return fmt.Errorf("httpsign: sign: new signer: %w", err)
	}
	// httpsig builds (request-target) from URL.Path, which is decoded; sign a
	// shallow copy whose Path is the escaped form that goes on the wire. The
	// copy shares r.Header, so the headers httpsig sets land on r.
	target := *r
	target.URL = wirePath(r.URL)
	if err := signer.SignRequest(key, keyID, &target, body); err != nil {
		return fmt.Errorf("httpsign: sign %s %s: %w", r.Method, r.URL.Redacted(), err)
	}
	return nil
}
