package httpsign

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"testing"
)

func TestKeyRoundTrip(t *testing.T) {
	key := newKey(t)
	if got := key.N.BitLen(); got != 2048 {
		t.Errorf("GenerateKey() bits = %d, want 2048", got)
	}
	privPEM := EncodePrivateKey(key)
	priv, err := DecodePrivateKey(privPEM)
	if err != nil {
		t.Fatalf("DecodePrivateKey(EncodePrivateKey()) error = %v", err)
	}
	if !priv.Equal(key) {
		t.Errorf("DecodePrivateKey(EncodePrivateKey(k)) differs from k")
	}
	pubPEM, err := EncodePublicKey(&key.PublicKey)
	if err != nil {
		t.Fatalf("EncodePublicKey() error = %v", err)
	}
	block, _ := pem.Decode([]byte(pubPEM))
	if block == nil || block.Type != "PUBLIC KEY" {
		t.Fatalf("EncodePublicKey() = %q, want a PUBLIC KEY block", pubPEM)
	}
	pkcs1 := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&key.PublicKey)}))
	pkcs1Priv := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
	mislabelled := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&key.PublicKey)}))

	for name, text := range map[string]string{"PKIX": pubPEM, "PKCS#1": pkcs1, "PKCS#1 labelled PUBLIC KEY": mislabelled} {
		got, err := DecodePublicKey(text)
		if err != nil {
			t.Errorf("DecodePublicKey(%s) error = %v", name, err)
			continue
		}
		if !got.Equal(&key.PublicKey) {
			t.Errorf("DecodePublicKey(%s) returned a different key", name)
		}
	}
	if got, err := DecodePrivateKey(pkcs1Priv); err != nil || !got.Equal(key) {
		t.Errorf("DecodePrivateKey(PKCS#1) = error %v, or a different key", err)
	}
}

func TestDecodeKeyErrors(t *testing.T) {
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecPub, err := x509.MarshalPKIXPublicKey(&ec.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	ecPriv, err := x509.MarshalPKCS8PrivateKey(ec)
	if err != nil {
		t.Fatal(err)
	}
	pemOf := func(typ string, der []byte) string {
		return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
	}
	tests := []struct{ name, text string }{
		{name: "empty"},
		{name: "not PEM", text: "hello"},
		{name: "certificate", text: pemOf("CERTIFICATE", []byte{1, 2, 3})},
		{name: "garbage DER", text: pemOf("PUBLIC KEY", []byte{1, 2, 3})},
		{name: "EC public key", text: pemOf("PUBLIC KEY", ecPub)},
		{name: "EC private key", text: pemOf("PRIVATE KEY", ecPriv)},
		{name: "garbage private DER", text: pemOf("RSA PRIVATE KEY", []byte{1, 2, 3})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := DecodePublicKey(tt.text); !errors.Is(err, ErrInvalidKey) {
				t.Errorf("DecodePublicKey() error = %v, want %v", err, ErrInvalidKey)
			}
			if _, err := DecodePrivateKey(tt.text); !errors.Is(err, ErrInvalidKey) {
				t.Errorf("DecodePrivateKey() error = %v, want %v", err, ErrInvalidKey)
			}
		})
	}
	if got := EncodePrivateKey(nil); got != "" {
		t.Errorf("EncodePrivateKey(nil) = %q, want \"\"", got)
	}
	if _, err := EncodePublicKey(nil); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("EncodePublicKey(nil) error = %v, want %v", err, ErrInvalidKey)
	}
}
