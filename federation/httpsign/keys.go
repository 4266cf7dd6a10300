package httpsign

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
)

// keyBits is the size of generated keys, the same as Mastodon's.
const keyBits = 2048

// GenerateKey returns a new RSA-2048 private key.
func GenerateKey() (*rsa.PrivateKey, error) {
	k, err := rsa.GenerateKey(rand.Reader, keyBits)
	if err != nil {
		return nil, fmt.Errorf("httpsign: generate key: %w", err)
	}
	return k, nil
}

// EncodePrivateKey returns k as a PKCS#8 "PRIVATE KEY" PEM block, or "" if k
// is nil or not a valid key.
func EncodePrivateKey(k *rsa.PrivateKey) string {
	if k == nil {
		return ""
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return ""
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// DecodePrivateKey parses the first PEM block of pemText: a PKCS#8 "PRIVATE
// KEY" holding an RSA key, or a PKCS#1 "RSA PRIVATE KEY".
func DecodePrivateKey(pemText string) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode([]byte(pemText))
	if block == nil {
		return nil, fmt.Errorf("%w: no PEM block", ErrInvalidKey)
	}
	switch block.Type {
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalidKey, err)
		}
		rsaKey, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("%w: %T is not an RSA key", ErrInvalidKey, k)
		}
		return rsaKey, nil
	case "RSA PRIVATE KEY":
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalidKey, err)
		}
		return k, nil
	}
	return nil, fmt.Errorf("%w: PEM type %q", ErrInvalidKey, block.Type)
}

// EncodePublicKey returns k as a PKIX "PUBLIC KEY" PEM block, the form
// ActivityPub servers publish as publicKeyPem.
func EncodePublicKey(k *rsa.PublicKey) (string, error) {
	if k == nil {
		return "", fmt.Errorf("%w: nil key", ErrInvalidKey)
	}
	der, err := x509.MarshalPKIXPublicKey(k)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrInvalidKey, err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})), nil
}

// DecodePublicKey parses the first PEM block of a publicKeyPem: PKIX "PUBLIC
// KEY" (what Mastodon and GoToSocial publish) or PKCS#1 "RSA PUBLIC KEY".
// Since some servers mislabel the block, both encodings are tried for both
// labels.
func DecodePublicKey(pemText string) (*rsa.PublicKey, error) {
	block, _ := pem.Decode([]byte(pemText))
	if block == nil {
		return nil, fmt.Errorf("%w: no PEM block", ErrInvalidKey)
	}
	if block.Type != "PUBLIC KEY" && block.Type != "RSA PUBLIC KEY" {
		return nil, fmt.Errorf("%w: PEM type %q", ErrInvalidKey, block.Type)
	}
	if k, err := x509.ParsePKCS1PublicKey(block.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidKey, err)
	}
	rsaKey, ok := k.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%w: %T is not an RSA key", ErrInvalidKey, k)
	}
	return rsaKey, nil
}
