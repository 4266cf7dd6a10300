package server

import (
	"io"
	"log/slog"
	"testing"

	"codeberg.org/maillage/maillage/internal/config"
)

// BenchmarkRestart builds an instance on an existing store again and
// again, as `maillage serve` does at start (no listener, no keys made):
// what start costs besides the process's own initialisation.
func BenchmarkRestart(b *testing.B) {
	cfg := config.Default()
	cfg.DataDir = b.TempDir()
	cfg.BaseURL = "http://127.0.0.1:1"
	cfg.Listen = "127.0.0.1:1"
	cfg.OrgName = "coop"
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := New(cfg, log, Options{})
	if err != nil {
		b.Fatal(err)
	}
	s.Close()
	for b.Loop() {
		s, err := New(cfg, log, Options{})
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
