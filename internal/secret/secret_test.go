package secret

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"testing"
)

func TestNew(t *testing.T) {
	a, ha := New()
	b, _ := New()
	if a == b {
		t.Fatalf("two tokens are equal: %q", a)
	}
	raw, err := base64.RawURLEncoding.DecodeString(a)
	if err != nil || len(raw) != size {
		t.Fatalf("token %q: %d bytes, err %v; want %d bytes of URL-safe base64", a, len(raw), err, size)
	}
	if ha != Hash(a) {
		t.Fatalf("New's digest %s != Hash(token) %s", ha, Hash(a))
	}
}

// TestHashCompatible pins the encodings databases already hold: the store
// keys sessions, API tokens, invitations, resets and feed secrets by the
// raw SHA-256 bytes, and keeps e-mail confirmations as lower-case hex.
func TestHashCompatible(t *testing.T) {
	token := "dGhlIHF1aWNrIGJyb3duIGZveA"
	want := sha256.Sum256([]byte(token))
	d := Hash(token)
	if string(d[:]) != string(want[:]) {
		t.Errorf("Hash(%q) = %x, want %x", token, d[:], want[:])
	}
	if got, want := d.String(), hex.EncodeToString(want[:]); got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
}

func TestEqual(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"abc", "abc", true},
		{"abc", "abd", false},
		{"abc", "ab", false},
		{"", "", true},
		{"", "a", false},
	} {
		if got := Equal(c.a, c.b); got != c.want {
			t.Errorf("Equal(%q, %q) = %t, want %t", c.a, c.b, got, c.want)
		}
	}
}
