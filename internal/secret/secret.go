// Package secret makes the random tokens an instance hands out (sessions,
// API tokens, invitations, password resets, e-mail confirmations, feed
// URLs, the first-run setup page) and hashes them for storage, so that
// every token has the same strength and a copy of the database gives no
// usable one.
package secret

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
)

// size is the entropy of a token in bytes: 256 bits, beyond guessing, so
// a fast hash is enough to store it (a slow one only helps low-entropy
// secrets such as passwords).
const size = 32

// Digest is the SHA-256 of a token. Stores key records by its bytes
// (Digest[:]) or keep its String form; both are the encodings that
// existing databases hold.
type Digest [sha256.Size]byte

// String is the digest in lower-case hex.
func (d Digest) String() string { return hex.EncodeToString(d[:]) }

// New returns a new random token, URL-safe base64 without padding (43
// characters), and its digest.
func New() (token string, hash Digest) {
	var b [size]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	token = base64.RawURLEncoding.EncodeToString(b[:])
	return token, Hash(token)
}

// Hash is the digest of token, for looking up or checking a stored one.
func Hash(token string) Digest { return sha256.Sum256([]byte(token)) }

// Equal reports whether a and b are equal in time that depends only on
// their lengths, for comparing a presented secret with a known one.
func Equal(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
