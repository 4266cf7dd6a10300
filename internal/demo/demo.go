package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"codeberg.org/maillage/maillage/internal/config"
	"codeberg.org/maillage/maillage/internal/server"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/seeds"
)

// Options choose how the demo network runs. The zero value runs four
// instances on 127.0.0.2 to 127.0.0.5, on any free port, in a temporary
// directory, printing nothing.
type Options struct {
	Instances int      // how many instances; default 4
	IPs       []string // loopback address of each instance; default 127.0.0.2, 127.0.0.3, …
	Port      int      // port of every instance; 0: any free port
	// DataDir keeps the instances' data, one subdirectory per instance;
	// "" uses a temporary directory removed by Close. A second run on the
	// same directory and addresses finds its organisations and content
	// there, and only starts the instances again.
	DataDir string
	Out     io.Writer        // progress and what to open; nil: discarded
	Log     *slog.Logger     // the instances' logs; nil: discarded
	Now     func() time.Time // counts the seeds' relative dates; default time.Now
	Version string           // reported by the instances
	// FormTimeout bounds the wait for follows to be accepted (Start) and
	// for content to reach every instance (Settle); default one minute.
	FormTimeout time.Duration
	// TileURL and TileAttribution give the instances a slippy map over
	// these tiles (config tile-url); "": the SVG map only.
	TileURL, TileAttribution string
}

// Admin is the administrator's username Start creates on every instance.
const Admin = "admin"

// Network is a running demo network.
type Network struct {
	Instances []*Instance
	// Password is the administrator's generated password, the same on
	// every instance; "" when the administrator already existed.
	Password string
	Fallback bool // every instance is on 127.0.0.1: the other addresses could not be bound

	opts    Options
	out     io.Writer
	dir     string
	tempDir bool
	seeds   []seeds.SeedOrg
	started time.Time
	cancel  context.CancelFunc
	close   sync.Once
	err     error
}

// Instance is one instance of the network.
type Instance struct {
	Host   string // host:port, the instance's identity
	Base   string // base URL
	Token  string // admin API token, "" when the data directory was already initialised
	Orgs   []seeds.SeedOrg
	Server *server.Server
	done   chan error
	// toPublish lists the organisations whose content this run publishes:
	// those it created, or found with nothing published.
	toPublish map[string]bool
}

// Directory is the URL of the instance's directory page.
func (in *Instance) Directory() string { return uris.URIs{Base: in.Base}.Directory() }

// Actor is the IRI of one of the instance's organisations.
func (in *Instance) Actor(name string) string { return uris.URIs{Base: in.Base}.Actor(name) }

// Handle is name@host, what a fediverse user types to follow name.
func (in *Instance) Handle(name string) string { return name + "@" + in.Host }

// Start starts the instances, creates the seed organisations on them, has
// them follow each other, waits for the Accepts and publishes the seed
// projects and calls. The instances run until ctx ends or Close is called;
// Close also waits for them to stop, and must be called in either case. On
// error, Start has already stopped what it started.
func Start(ctx context.Context, o Options) (*Network, error) {
	o = withDefaults(o)
	if len(o.IPs) != o.Instances {
		return nil, fmt.Errorf("demo: %d addresses for %d instances", len(o.IPs), o.Instances)
	}
	for _, ip := range o.IPs {
		// The demo allows outgoing requests to private addresses and prints
		// its secrets: it must stay on this machine.
		if a, err := netip.ParseAddr(ip); err != nil || !a.IsLoopback() {
			return nil, fmt.Errorf("demo: %q is not a loopback address (127.0.0.0/8 or ::1)", ip)
		}
	}
	all, err := seeds.Network(o.Now())
	if err != nil {
		return nil, err
	}
	n := &Network{opts: o, out: o.Out, seeds: all, started: time.Now(), dir: o.DataDir}
	if n.dir == "" {
		if n.dir, err = os.MkdirTemp("", "maillage-demo-"); err != nil {
			return nil, fmt.Errorf("demo: data directory: %w", err)
		}
		n.tempDir = true
	}
	rctx, cancel := context.WithCancel(ctx)
	n.cancel = cancel
	if err := n.start(rctx); err != nil {
		n.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	return n, nil
}

func withDefaults(o Options) Options {
	if o.Instances == 0 {
		o.Instances = 4
		if len(o.IPs) > 0 {
			o.Instances = len(o.IPs)
		}
	}
	if len(o.IPs) == 0 {
		o.IPs = defaultIPs(o.Instances)
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.FormTimeout == 0 {
		o.FormTimeout = time.Minute
	}
	return o
}

// start runs every step of Start in order.
func (n *Network) start(ctx context.Context) error {
	if err := n.startInstances(ctx); err != nil {
		return err
	}
	if err := n.createOrgs(ctx); err != nil {
		return err
	}
	if err := n.createAdmin(ctx); err != nil {
		return err
	}
	if err := n.follow(ctx); err != nil {
		return err
	}
	if err := n.waitAccepted(ctx); err != nil {
		return err
	}
	return n.publish(ctx)
}

// startInstances binds the addresses, then builds and runs one server per
// address, each with its own data directory.
func (n *Network) startInstances(ctx context.Context) error {
	lns, fellBack, err := listenAll(net.Listen, n.opts.IPs, n.opts.Port)
	if err != nil {
		return err
	}
	n.Fallback = fellBack
	if fellBack {
		fmt.Fprintf(n.out, "only %s can be bound here: the instances share it, each on its own port\n", fallbackIP)
	}
	total := len(lns)
	for i, ln := range lns {
		host := ln.Addr().String()
		cfg := config.Default()
		cfg.Listen, cfg.BaseURL = host, "http://"+host
		cfg.DataDir = filepath.Join(n.dir, strings.ReplaceAll(host, ":", "_"))
		cfg.AllowPrivate = true // the peers are on loopback
		cfg.OrgName = ""        // the seed organisations only
		cfg.TileURL, cfg.TileAttribution = n.opts.TileURL, n.opts.TileAttribution
		if err := cfg.Validate(); err != nil {
			closeAll(lns[i:])
			return err
		}
		srv, err := server.New(cfg, n.opts.Log.With("instance", host), server.Options{Version: n.opts.Version,
			NoWebsiteChecks: true}) // the seeds' websites are real organisations': no requests to them
		if err != nil {
			closeAll(lns[i:])
			return fmt.Errorf("demo: instance %s: %w", host, err)
		}
		in := &Instance{Host: host, Base: cfg.BaseURL, Token: srv.InitialToken, Server: srv,
			done: make(chan error, 1), toPublish: map[string]bool{}}
		n.Instances = append(n.Instances, in)
		go func() { in.done <- srv.Run(ctx, ln) }()
		fmt.Fprintf(n.out, "[%d/%d] instance %s up\n", i+1, total, host)
	}
	for k, so := range n.seeds {
		in := n.Instances[k%total]
		in.Orgs = append(in.Orgs, so)
	}
	return nil
}

func closeAll(lns []net.Listener) {
	for _, ln := range lns {
		ln.Close()
	}
}

// Close stops every instance and waits for each to return from Run, then
// removes a temporary data directory. It returns what the instances
// returned; calling it again returns the same.
func (n *Network) Close() error {
	n.close.Do(func() {
		n.cancel()
		var errs []error
		for _, in := range n.Instances {
			if err := <-in.done; err != nil {
				errs = append(errs, fmt.Errorf("demo: instance %s: %w", in.Host, err))
			}
		}
		if n.tempDir {
			if err := os.RemoveAll(n.dir); err != nil {
				errs = append(errs, fmt.Errorf("demo: remove data: %w", err))
			}
		}
		n.err = errors.Join(errs...)
	})
	return n.err
}

// Run runs the demo network until ctx ends: it starts it, waits for it to
// form while showing progress, prints the addresses to open, the handles to
// follow and how to log in, then waits. It returns once every instance has
// stopped.
func Run(ctx context.Context, o Options) error {
	n, err := Start(ctx, o)
	if err != nil {
		if ctx.Err() != nil {
			return nil // interrupted while forming: Start has stopped everything
		}
		return err
	}
	if err := n.Settle(ctx); err != nil && ctx.Err() == nil {
		fmt.Fprintf(n.out, "warning: %v\n", err)
	}
	if ctx.Err() == nil {
		n.Summary(n.out)
		<-ctx.Done()
		fmt.Fprintln(n.out, "\nstopping…")
	}
	err = n.Close()
	fmt.Fprintln(n.out, "stopped")
	return err
}
