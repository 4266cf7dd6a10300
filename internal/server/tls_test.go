package server

import (
	"net"
	"testing"

	"codeberg.org/maillage/maillage/internal/config"
)

// TestACMEListener checks the wiring of built-in automatic TLS without an
// ACME server (none is reachable here): the listener serves TLS with
// certificates from the manager, for the configured domain only, cached
// in the data directory.
func TestACMEListener(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.BaseURL = "https://coop.example"
	cfg.ACMEDomain = "coop.example"
	if err := cfg.Validate(); err != nil {
		t.Fatalf("valid ACME config refused: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	tl, m, err := tlsListener(cfg, ln)
	if err != nil || m == nil {
		t.Fatalf("tlsListener = %v, %v", m, err)
	}
	if tl == ln {
		t.Error("listener not wrapped in TLS")
	}
	if err := m.HostPolicy(t.Context(), "coop.example"); err != nil {
		t.Errorf("host policy refuses the configured domain: %v", err)
	}
	if err := m.HostPolicy(t.Context(), "other.example"); err == nil {
		t.Error("host policy accepts another domain")
	}

	bad := cfg
	bad.BaseURL = "https://other.example"
	if err := bad.Validate(); err == nil {
		t.Error("acme-domain different from the base URL's host accepted")
	}
	bad = cfg
	bad.TLSCert, bad.TLSKey = "x", "y"
	if err := bad.Validate(); err == nil {
		t.Error("acme-domain with tls-cert accepted")
	}
}
