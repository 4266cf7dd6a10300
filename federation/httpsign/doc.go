// Package httpsign signs outgoing and verifies incoming ActivityPub requests
// with HTTP Signatures (draft-cavage-http-signatures), the scheme Mastodon,
// GoToSocial and honk use for server-to-server authentication.
//
// Signing and the RSA-SHA256 check are done by github.com/go-fed/httpsig
// v1.1.0. That library verifies only the signature string, so Verify adds what
// Mastodon's SignatureVerification concern enforces
// (app/controllers/concerns/signature_verification.rb): a
// minimum set of signed headers, a Date window, and a Digest that matches the
// body. The Signature header is parsed here, strictly, and handed to httpsig
// re-serialised, so the headers this package checks are exactly the ones
// httpsig verifies.
//
// httpsig signers and verifiers are not safe for concurrent use; Sign and
// Verify create their own per call and are safe to call concurrently.
package httpsign
