package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is the whole configuration of one instance.
type Config struct {
	Listen   string // address to listen on, host:port
	BaseURL  string // public base URL: the instance's identity, never changed once federated
	DataDir  string // directory holding maillage.db
	LogLevel string // debug, info, warn, error
	LogJSON  string // auto (JSON when stderr is not a terminal), true, false

	TLSCert string // PEM certificate chain: serve HTTPS directly when set with TLSKey
	TLSKey  string // PEM private key
	CAFile  string // extra CA certificates to trust for outgoing requests

	// ACMEDomain turns on built-in automatic TLS (Let's Encrypt, HTTP-01):
	// certificates for this domain, kept in <data>/acme; ACMEHTTPListen
	// answers the challenges and redirects plain HTTP to HTTPS.
	ACMEDomain     string
	ACMEEmail      string
	ACMEHTTPListen string

	// AllowPrivate lets outgoing requests reach loopback and private
	// addresses: for tests and the local demo only.
	AllowPrivate bool

	OrgName        string // first organisation created on an empty data dir
	OrgDisplayName string

	DeliveryWorkers int           // concurrent deliveries
	DeliveryPerHost int           // concurrent deliveries to one host
	DeliveryMaxAge  time.Duration // give up on a delivery after this long
	HTTPTimeout     time.Duration // outgoing request timeout

	// Metrics serves Prometheus metrics at /metrics, without authentication:
	// they hold counts only, no hosts, actors or ids.
	Metrics bool
	// TrustedProxies are the networks of reverse proxies whose
	// X-Forwarded-For is believed (login rate limiting); loopback always is.
	TrustedProxies string

	// Matching (issue #5): reminders this many days before a matched
	// call's deadline; e-mail digests through the SMTP server at SMTPAddr
	// ("": no e-mail).
	ReminderDays int
	SMTPAddr     string
	SMTPFrom     string
	SMTPUser     string
	SMTPPassword string // environment only: MAILLAGE_SMTP_PASSWORD(_FILE)
	// Signup opens /signup: anyone may ask for a member account, which an
	// administrator approves or refuses. Off by default.
	Signup bool
	// ClaimsAutoConfirm confirms a claim of an imported organisation as
	// soon as its website proves it, without an administrator. Off by
	// default.
	ClaimsAutoConfirm bool

	// The network page (issue #11): the NodeInfo of each known server is
	// read at most once per NetworkRefresh, the servers due are looked for
	// every NetworkCheck, and at most NetworkMax servers are kept.
	NetworkRefresh, NetworkCheck time.Duration
	NetworkMax                   int
	// A backfill runs at most BackfillBudget at a time, then pauses;
	// paused backfills are resumed every BackfillRetry.
	BackfillBudget, BackfillRetry time.Duration
	// TileURL, when set, turns the directory's SVG map into a slippy map
	// (Leaflet, served by the instance) over the tiles of this URL
	// template ("https://tile.example/{z}/{x}/{y}.png"), credited with
	// TileAttribution. Empty by default: no page asks another host for
	// anything.
	TileURL         string
	TileAttribution string
	// BackfillMaxOrgs bounds the organisations read from a followed
	// instance (at most service.BackfillMaxOrgs; 0: that).
	BackfillMaxOrgs int
}

// Default returns a configuration that runs a local instance as is.
func Default() Config {
	return Config{
		Listen:          "127.0.0.1:8080",
		BaseURL:         "http://127.0.0.1:8080",
		DataDir:         "maillage-data",
		LogLevel:        "info",
		LogJSON:         "auto",
		OrgName:         "coop",
		OrgDisplayName:  "My cooperative",
		ACMEHTTPListen:  ":80",
		DeliveryWorkers: 16,
		DeliveryPerHost: 2,
		DeliveryMaxAge:  48 * time.Hour,
		HTTPTimeout:     10 * time.Second,
		Metrics:         true,
		ReminderDays:    7,
		SMTPFrom:        "maillage@localhost",
		NetworkRefresh:  6 * time.Hour,
		NetworkCheck:    time.Minute,
		NetworkMax:      500,
		BackfillBudget:  2 * time.Minute,
		BackfillRetry:   5 * time.Minute,
	}
}

// Load reads defaults, then the environment, then flags from args. The
// rest of args (after flags) is returned.
func Load(args []string, getenv func(string) string, stderr io.Writer) (Config, []string, error) {
	c := Default()
	fs := flag.NewFlagSet("maillage serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var errs []error
	str := func(p *string, name, usage string) {
		if v := getenv(envName(name)); v != "" {
			*p = v
		}
		fs.StringVar(p, name, *p, usage+" (env "+envName(name)+")")
	}
	boolean := func(p *bool, name, usage string) {
		if v := getenv(envName(name)); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %q is not a boolean", envName(name), v))
			}
			*p = b
		}
		fs.BoolVar(p, name, *p, usage+" (env "+envName(name)+")")
	}
	integer := func(p *int, name, usage string) {
		if v := getenv(envName(name)); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %q is not a number", envName(name), v))
			}
			*p = n
		}
		fs.IntVar(p, name, *p, usage+" (env "+envName(name)+")")
	}
	duration := func(p *time.Duration, name, usage string) {
		if v := getenv(envName(name)); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %q is not a duration", envName(name), v))
			}
			*p = d
		}
		fs.DurationVar(p, name, *p, usage+" (env "+envName(name)+")")
	}
	str(&c.Listen, "listen", "address to listen on")
	str(&c.BaseURL, "base-url", "public base URL (scheme://host[:port]); the instance's identity")
	str(&c.DataDir, "data", "data directory")
	str(&c.LogLevel, "log-level", "debug, info, warn or error")
	str(&c.LogJSON, "log-json", "auto, true or false")
	str(&c.TLSCert, "tls-cert", "certificate file: serve HTTPS directly")
	str(&c.TLSKey, "tls-key", "private key file for -tls-cert")
	str(&c.CAFile, "ca-file", "extra CA certificates (PEM) to trust for outgoing requests")
	str(&c.ACMEDomain, "acme-domain", "get and renew TLS certificates for this domain automatically (ACME, HTTP-01)")
	str(&c.ACMEEmail, "acme-email", "contact address given to the ACME certificate authority")
	str(&c.ACMEHTTPListen, "acme-http-listen", "address answering ACME challenges and redirecting to HTTPS")
	boolean(&c.AllowPrivate, "allow-private", "allow outgoing requests to loopback/private addresses (tests, local demo)")
	str(&c.OrgName, "org", "name of the first organisation, created on first run")
	str(&c.OrgDisplayName, "org-display-name", "display name of the first organisation")
	integer(&c.DeliveryWorkers, "delivery-workers", "concurrent deliveries")
	integer(&c.DeliveryPerHost, "delivery-per-host", "concurrent deliveries to one host")
	duration(&c.DeliveryMaxAge, "delivery-max-age", "give up a delivery after this long")
	duration(&c.HTTPTimeout, "http-timeout", "outgoing request timeout")
	boolean(&c.Metrics, "metrics", "serve Prometheus metrics at /metrics (counts only, no authentication)")
	str(&c.TrustedProxies, "trusted-proxies", "comma-separated networks (CIDR) of reverse proxies whose X-Forwarded-For is trusted, besides loopback")
	boolean(&c.Signup, "signup", "open sign-up at /signup, each account waiting for an administrator's approval")
	boolean(&c.ClaimsAutoConfirm, "claims-auto-confirm", "confirm a claim of an imported organisation once its website proves it, without an administrator")
	str(&c.TileURL, "tile-url", "map tile URL template (https://tile.example/{z}/{x}/{y}.png): the directory's map becomes a slippy map over these tiles; empty: the SVG map only, no request to another host")
	str(&c.TileAttribution, "tile-attribution", "attribution of the tiles of -tile-url, shown on the map (plain text)")
	integer(&c.ReminderDays, "reminder-days", "remind of a matched or followed call this many days before its deadline")
	str(&c.SMTPAddr, "smtp-addr", "SMTP server (host:port) for e-mail digests; empty: no e-mail")
	str(&c.SMTPFrom, "smtp-from", "sender address of e-mail digests")
	str(&c.SMTPUser, "smtp-user", "SMTP user (PLAIN authentication, over TLS or to localhost only)")
	duration(&c.NetworkRefresh, "network-refresh", "read each known server's NodeInfo at most once this often (network page)")
	duration(&c.NetworkCheck, "network-check", "look for servers whose NodeInfo is due this often")
	integer(&c.NetworkMax, "network-max", "servers kept for the network page")
	duration(&c.BackfillBudget, "backfill-budget", "run a backfill at most this long at a time, then pause it")
	duration(&c.BackfillRetry, "backfill-retry", "resume paused backfills this often")
	integer(&c.BackfillMaxOrgs, "backfill-max-orgs", "organisations read from a followed instance (0: 20000, the most)")
	// The SMTP password comes only from the environment (or a file named
	// there), never a flag: command lines are visible to every local user.
	c.SMTPPassword = getenv(envName("smtp-password"))
	if f := getenv(envName("smtp-password") + "_FILE"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s_FILE: %w", envName("smtp-password"), err))
		}
		c.SMTPPassword = strings.TrimSpace(string(b))
	}
	if err := fs.Parse(args); err != nil {
		return c, nil, errors.Join(append(errs, err)...)
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if err := errors.Join(append(errs, c.Validate())...); err != nil {
		return c, nil, err
	}
	return c, fs.Args(), nil
}

func envName(flagName string) string {
	return "MAILLAGE_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// Validate reports every problem of c at once.
func (c Config) Validate() error {
	var errs []error
	u, err := url.Parse(c.BaseURL)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https"):
		errs = append(errs, fmt.Errorf("base-url: %q must be http(s)://host[:port]", c.BaseURL))
	case u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		errs = append(errs, fmt.Errorf("base-url: %q must have no path, query or user", c.BaseURL))
	}
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		errs = append(errs, fmt.Errorf("listen: %q: %w", c.Listen, err))
	}
	if c.SMTPAddr != "" {
		if _, _, err := net.SplitHostPort(c.SMTPAddr); err != nil {
			errs = append(errs, fmt.Errorf("smtp-addr: %q: %w", c.SMTPAddr, err))
		}
	}
	if c.TileURL != "" {
		if _, err := TileOrigin(c.TileURL); err != nil {
			errs = append(errs, err)
		}
		if c.TileAttribution == "" {
			errs = append(errs, errors.New("tile-attribution: tiles need their attribution (the tile server's terms ask for it)"))
		}
	}
	if c.ReminderDays < 1 {
		errs = append(errs, fmt.Errorf("reminder-days: %d must be at least 1", c.ReminderDays))
	}
	if c.DataDir == "" {
		errs = append(errs, errors.New("data: a data directory is required"))
	}
	if _, err := ParseLevel(c.LogLevel); err != nil {
		errs = append(errs, err)
	}
	if c.LogJSON != "auto" && c.LogJSON != "true" && c.LogJSON != "false" {
		errs = append(errs, fmt.Errorf("log-json: %q must be auto, true or false", c.LogJSON))
	}
	if c.ACMEDomain != "" {
		if c.TLSCert != "" {
			errs = append(errs, errors.New("acme-domain and tls-cert exclude each other"))
		}
		if u, err := url.Parse(c.BaseURL); err == nil && (u.Scheme != "https" || u.Hostname() != c.ACMEDomain) {
			errs = append(errs, fmt.Errorf("acme-domain %q needs base-url https://%s", c.ACMEDomain, c.ACMEDomain))
		}
	}
	if _, err := c.ProxyNets(); err != nil {
		errs = append(errs, err)
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("tls-cert and tls-key go together"))
	}
	for _, f := range []struct{ name, path string }{{"tls-cert", c.TLSCert}, {"tls-key", c.TLSKey}, {"ca-file", c.CAFile}} {
		if f.path == "" {
			continue
		}
		if _, err := os.Stat(f.path); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f.name, err))
		}
	}
	if c.DeliveryWorkers < 1 || c.DeliveryPerHost < 1 {
		errs = append(errs, errors.New("delivery-workers and delivery-per-host must be at least 1"))
	}
	if c.DeliveryMaxAge <= 0 || c.HTTPTimeout <= 0 {
		errs = append(errs, errors.New("delivery-max-age and http-timeout must be positive"))
	}
	return errors.Join(errs...)
}

// ParseLevel turns a level name into a slog.Level.
func ParseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return l, fmt.Errorf("log-level: %q must be debug, info, warn or error", s)
	}
	return l, nil
}

// Dump writes the effective configuration, one key per line. Nothing in
// Config is secret today (keys and tokens live in the store); file paths are
// shown, never their contents.
func (c Config) Dump(w io.Writer) {
	fmt.Fprintf(w, "listen=%s\nbase-url=%s\ndata=%s\nlog-level=%s\nlog-json=%s\ntls-cert=%s\ntls-key=%s\nca-file=%s\nacme-domain=%s\nacme-email=%s\nacme-http-listen=%s\nallow-private=%t\norg=%s\norg-display-name=%s\ndelivery-workers=%d\ndelivery-per-host=%d\ndelivery-max-age=%s\nhttp-timeout=%s\n",
		c.Listen, c.BaseURL, c.DataDir, c.LogLevel, c.LogJSON, c.TLSCert, c.TLSKey, c.CAFile, c.ACMEDomain, c.ACMEEmail, c.ACMEHTTPListen, c.AllowPrivate,
		c.OrgName, c.OrgDisplayName, c.DeliveryWorkers, c.DeliveryPerHost, c.DeliveryMaxAge, c.HTTPTimeout)
	fmt.Fprintf(w, "metrics=%t\ntrusted-proxies=%s\n", c.Metrics, c.TrustedProxies)
	fmt.Fprintf(w, "reminder-days=%d\nsmtp-addr=%s\nsmtp-from=%s\nsmtp-user=%s\n",
		c.ReminderDays, c.SMTPAddr, c.SMTPFrom, c.SMTPUser)
	fmt.Fprintf(w, "signup=%t\n", c.Signup)
	fmt.Fprintf(w, "claims-auto-confirm=%t\n", c.ClaimsAutoConfirm)
	fmt.Fprintf(w, "network-refresh=%s\nnetwork-check=%s\nnetwork-max=%d\nbackfill-budget=%s\nbackfill-retry=%s\nbackfill-max-orgs=%d\n",
		c.NetworkRefresh, c.NetworkCheck, c.NetworkMax, c.BackfillBudget, c.BackfillRetry, c.BackfillMaxOrgs)
	// The tile URL is public (every visitor's browser gets it), keys included.
	fmt.Fprintf(w, "tile-url=%s\ntile-attribution=%s\n", c.TileURL, c.TileAttribution)
}

// ProxyNets parses TrustedProxies.
func (c Config) ProxyNets() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(c.TrustedProxies, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("trusted-proxies: %q is not a network such as 10.0.0.0/8", f)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
