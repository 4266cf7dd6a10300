package cli

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"strings"

	"codeberg.org/maillage/maillage/internal/config"
	"codeberg.org/maillage/maillage/internal/demo"
)

// runDemo runs a demo network of several instances on loopback addresses
// until ctx ends (Ctrl-C). Progress and what to open go to stdout, the
// instances' logs to stderr.
func runDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "demo")
	instances := fs.Int("instances", 4, "number of instances")
	ips := fs.String("ips", "", "comma-separated loopback addresses, one per instance (default 127.0.0.2, 127.0.0.3, …)")
	port := fs.Int("port", 8080, "port of every instance (0: any free port; a taken port falls back to a free one)")
	data := fs.String("data", "", "keep the instances' data in this directory (default: a temporary directory, removed on exit)")
	level := fs.String("log-level", "warn", "level of the instances' logs on stderr: debug, info, warn or error")
	tiles := fs.String("tile-url", "", "map tile URL template ({z}/{x}/{y}): the directory's slippy map over these tiles")
	credit := fs.String("tile-attribution", "", "attribution of the tiles of -tile-url")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return errors.New("usage: maillage demo [-instances N] [-ips A,B,…] [-port P] [-data DIR] [-log-level L] [-tile-url URL -tile-attribution TEXT]")
	}
	lvl, err := config.ParseLevel(*level)
	if err != nil {
		return err
	}
	o := demo.Options{Instances: *instances, Port: *port, DataDir: *data, Out: e.stdout, Version: Version, TileURL: *tiles, TileAttribution: *credit,
		Log: slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: lvl}))}
	if *ips != "" {
		o.IPs = strings.Split(*ips, ",")
		for i := range o.IPs {
			o.IPs[i] = strings.TrimSpace(o.IPs[i])
		}
		o.Instances = len(o.IPs)
		fs.Visit(func(f *flag.Flag) { // an explicit -instances must match
			if f.Name == "instances" {
				o.Instances = *instances
			}
		})
	}
	if o.Instances < 1 {
		return errors.New("demo: -instances must be at least 1")
	}
	return demo.Run(ctx, o)
}
