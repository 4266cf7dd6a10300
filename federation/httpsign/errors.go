package httpsign

import "errors"

// Errors returned by Verify, wrapped with detail; test them with errors.Is.
// All of them mean the request must not be trusted. ErrKeyUnavailable may be
// temporary (the key owner's server did not answer), the others are not.
var (
	// ErrUnsigned means the request has no Signature header.
	ErrUnsigned = errors.New("httpsign: request not signed")
	// ErrBadSignature means the Signature header is malformed, names an
	// unsupported algorithm or key type, or does not verify.
	ErrBadSignature = errors.New("httpsign: bad signature")
	// ErrWeakSignature means the signature does not cover the headers
	// that must be signed.
	ErrWeakSignature = errors.New("httpsign: signature covers too few headers")
	// ErrStaleDate means the Date header is missing, unparsable or outside
	// the accepted window.
	ErrStaleDate = errors.New("httpsign: date missing or outside the accepted window")
	// ErrBadDigest means the Digest header is missing, not SHA-256, or does
	// not match the body.
	ErrBadDigest = errors.New("httpsign: digest missing or does not match the body")
	// ErrWrongHost means the request, and so its signed host header, is
	// addressed to another server: a signature made for one server must
	// not be replayable at another.
	ErrWrongHost = errors.New("httpsign: signed for another host")
	// ErrKeyUnavailable means the KeyFunc could not provide the key.
	ErrKeyUnavailable = errors.New("httpsign: key unavailable")
)

// ErrInvalidKey is returned by the key helpers for PEM text that does not
// hold an RSA key in a supported encoding.
var ErrInvalidKey = errors.New("httpsign: invalid key")
