package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"

	"golang.org/x/term"

	"codeberg.org/maillage/maillage/internal/config"
	"codeberg.org/maillage/maillage/internal/server"
)

func runServe(ctx context.Context, e *env, args []string) error {
	cfg, _, err := config.Load(args, e.getenv, e.stderr)
	if err != nil {
		return err
	}
	log, err := newLogger(cfg, e)
	if err != nil {
		return err
	}
	srv, err := server.New(cfg, log, server.Options{Version: Version})
	if err != nil {
		return err
	}
	if srv.InitialToken != "" {
		// Shown once: only its hash is stored. Printed to stdout, not the log.
		fmt.Fprintf(e.stdout, "\nFirst run: admin API token (shown once, keep it):\n\n  export MAILLAGE_TOKEN=%s\n\n", srv.InitialToken)
	}
	if srv.SetupURL != "" {
		// One-time, in memory only: a restart makes a new one, and it dies
		// once the first administrator exists.
		log.Info("no administrator yet: open the setup page", "url", srv.SetupURL)
		fmt.Fprintf(e.stdout, "\nNo administrator yet: create the first one at (one-time link):\n\n  %s\n\n", srv.SetupURL)
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		srv.Close()
		return fmt.Errorf("listen %s: %w", cfg.Listen, err)
	}
	fmt.Fprintf(e.stdout, "maillage %s serving %s (listening on %s)\n", Version, cfg.BaseURL, ln.Addr())
	return srv.Run(ctx, ln)
}

func runConfig(ctx context.Context, e *env, args []string) error {
	cfg, _, err := config.Load(args, e.getenv, e.stderr)
	if err != nil {
		return err
	}
	cfg.Dump(e.stdout)
	return nil
}

// newLogger logs as text on a terminal and as JSON otherwise.
func newLogger(cfg config.Config, e *env) (*slog.Logger, error) {
	level, err := config.ParseLevel(cfg.LogLevel)
	if err != nil {
		return nil, err
	}
	opts := &slog.HandlerOptions{Level: level}
	asJSON := cfg.LogJSON == "true"
	if cfg.LogJSON == "auto" {
		f, ok := e.stderr.(*os.File)
		asJSON = !ok || !term.IsTerminal(int(f.Fd()))
	}
	if asJSON {
		return slog.New(slog.NewJSONHandler(e.stderr, opts)), nil
	}
	return slog.New(slog.NewTextHandler(e.stderr, opts)), nil
}
