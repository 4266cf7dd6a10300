package config

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// env returns a getenv func reading from m.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestDefaultValidates(t *testing.T) {
	if err := Default().Validate(); err != nil {
		t.Errorf("Default().Validate() = %v, want nil", err)
	}
}

func TestLoadPrecedence(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want func(c Config) Config // from Default()
	}{
		{"defaults", nil, nil, func(c Config) Config { return c }},
		{"env over default",
			map[string]string{"MAILLAGE_LISTEN": "127.0.0.3:9000", "MAILLAGE_LOG_LEVEL": "debug",
				"MAILLAGE_ALLOW_PRIVATE": "true", "MAILLAGE_DELIVERY_WORKERS": "3", "MAILLAGE_HTTP_TIMEOUT": "2s",
				"MAILLAGE_ORG": "envorg", "MAILLAGE_BASE_URL": "https://env.example"},
			nil,
			func(c Config) Config {
				c.Listen, c.LogLevel, c.AllowPrivate, c.DeliveryWorkers, c.HTTPTimeout = "127.0.0.3:9000", "debug", true, 3, 2*time.Second
				c.OrgName, c.BaseURL = "envorg", "https://env.example"
				return c
			}},
		{"flag over env",
			map[string]string{"MAILLAGE_LISTEN": "127.0.0.3:9000", "MAILLAGE_LOG_LEVEL": "debug",
				"MAILLAGE_ALLOW_PRIVATE": "true", "MAILLAGE_DELIVERY_WORKERS": "3", "MAILLAGE_HTTP_TIMEOUT": "2s",
				"MAILLAGE_ORG": "envorg"},
			[]string{"-listen", "127.0.0.4:9001", "-log-level=warn", "-allow-private=false",
				"-delivery-workers", "5", "-http-timeout", "3s", "-base-url", "https://flag.example"},
			func(c Config) Config {
				c.Listen, c.LogLevel, c.AllowPrivate, c.DeliveryWorkers, c.HTTPTimeout = "127.0.0.4:9001", "warn", false, 5, 3*time.Second
				c.OrgName, c.BaseURL = "envorg", "https://flag.example"
				return c
			}},
		{"flag over default without env",
			nil,
			[]string{"-data", "/tmp/d", "-org-display-name", "Flag Co", "-delivery-max-age", "1h", "-delivery-per-host", "7"},
			func(c Config) Config {
				c.DataDir, c.OrgDisplayName, c.DeliveryMaxAge, c.DeliveryPerHost = "/tmp/d", "Flag Co", time.Hour, 7
				return c
			}},
		{"empty env value keeps the default",
			map[string]string{"MAILLAGE_LISTEN": "", "MAILLAGE_DELIVERY_WORKERS": ""}, nil,
			func(c Config) Config { return c }},
		{"trailing slash of base-url removed",
			map[string]string{"MAILLAGE_BASE_URL": "https://env.example/"}, nil,
			func(c Config) Config { c.BaseURL = "https://env.example"; return c }},
		{"trailing slashes of a flag base-url removed",
			nil, []string{"-base-url", "http://127.0.0.2:8080//"},
			func(c Config) Config { c.BaseURL = "http://127.0.0.2:8080"; return c }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rest, err := Load(tt.args, env(tt.env), io.Discard)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if want := tt.want(Default()); got != want {
				t.Errorf("Load =\n%+v\nwant\n%+v", got, want)
			}
			if len(rest) != 0 {
				t.Errorf("rest = %q, want none", rest)
			}
		})
	}
}

func TestLoadReturnsRemainingArgs(t *testing.T) {
	_, rest, err := Load([]string{"-org", "x", "seed", "-n", "3"}, env(nil), io.Discard)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got, want := strings.Join(rest, " "), "seed -n 3"; got != want {
		t.Errorf("rest = %q, want %q", got, want)
	}
}

func TestLoadUnknownFlag(t *testing.T) {
	var stderr bytes.Buffer
	if _, _, err := Load([]string{"-no-such-flag"}, env(nil), &stderr); err == nil {
		t.Error("Load with an unknown flag succeeded, want an error")
	}
	if !strings.Contains(stderr.String(), "no-such-flag") {
		t.Errorf("stderr = %q, want it to name the flag", stderr.String())
	}
}

func TestLoadReportsAllProblems(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want []string // substrings that must all appear in the one error
	}{
		{"many at once",
			map[string]string{
				"MAILLAGE_ALLOW_PRIVATE":    "maybe",
				"MAILLAGE_DELIVERY_MAX_AGE": "two days",
				"MAILLAGE_LOG_LEVEL":        "loud",
				"MAILLAGE_TLS_CERT":         filepath.Join(dir, "missing-cert.pem"),
			},
			[]string{"-base-url", "example.org", "-listen", "nonsense"},
			[]string{
				`MAILLAGE_ALLOW_PRIVATE: "maybe" is not a boolean`,
				`MAILLAGE_DELIVERY_MAX_AGE: "two days" is not a duration`,
				`base-url: "example.org"`,
				`listen: "nonsense"`,
				`log-level: "loud"`,
				"tls-cert and tls-key go together",
				"tls-cert: ",
			}},
		{"base url with a path, missing tls files",
			map[string]string{"MAILLAGE_DELIVERY_WORKERS": "lots"},
			[]string{"-base-url", "https://x.example/maillage", "-tls-cert", filepath.Join(dir, "c.pem"),
				"-tls-key", filepath.Join(dir, "k.pem"), "-ca-file", filepath.Join(dir, "ca.pem")},
			[]string{
				"must have no path",
				`MAILLAGE_DELIVERY_WORKERS: "lots" is not a number`,
				"tls-cert: ", "tls-key: ", "ca-file: ",
			}},
		{"ftp scheme, bad log-json, empty data dir",
			nil, []string{"-base-url", "ftp://x.example", "-log-json", "sometimes", "-data", ""},
			[]string{`base-url: "ftp://x.example"`, `log-json: "sometimes"`, "data directory is required"}},
		{"zero workers and durations",
			nil, []string{"-delivery-workers", "0", "-http-timeout", "0s"},
			[]string{"delivery-workers and delivery-per-host must be at least 1", "delivery-max-age and http-timeout must be positive"}},
		{"user info", nil, []string{"-base-url", "https://u:p@x.example"}, []string{"must have no path, query or user"}},
		{"query", nil, []string{"-base-url", "https://x.example?a=b"}, []string{"must have no path, query or user"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Load(tt.args, env(tt.env), io.Discard)
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %q; got:\n%s", w, msg)
				}
			}
			var joined interface{ Unwrap() []error }
			if len(tt.want) > 1 && !errors.As(err, &joined) {
				t.Errorf("error %T is not a joined error", err)
			}
		})
	}
}

func TestValidateTLSFilesPresent(t *testing.T) {
	dir := t.TempDir()
	cert, key := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	for _, p := range []string{cert, key} {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c := Default()
	c.TLSCert, c.TLSKey, c.CAFile = cert, key, cert
	if err := c.Validate(); err != nil {
		t.Errorf("Validate with existing tls files = %v, want nil", err)
	}
	c.TLSKey = ""
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "tls-cert and tls-key go together") {
		t.Errorf("Validate with tls-cert only = %v, want the pairing error", err)
	}
}

func TestValidateBaseURL(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"http://127.0.0.1:8080", true},
		{"https://maillage.example", true},
		{"https://[::1]:8443", true},
		{"example.org", false},
		{"//example.org", false},
		{"https://", false},
		{"https://x.example/", false}, // Load trims this; Validate alone does not
		{"https://x.example/a", false},
		{"https://x.example#frag", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			c := Default()
			c.BaseURL = tt.url
			err := c.Validate()
			if (err == nil) != tt.ok {
				t.Errorf("Validate(base-url %q) = %v, want ok %t", tt.url, err, tt.ok)
			}
		})
	}
}

func TestParseLevel(t *testing.T) {
	for _, s := range []string{"debug", "info", "warn", "error", "DEBUG"} {
		if _, err := ParseLevel(s); err != nil {
			t.Errorf("ParseLevel(%q) = %v, want nil", s, err)
		}
	}
	for _, s := range []string{"", "loud", "trace"} {
		if _, err := ParseLevel(s); err == nil {
			t.Errorf("ParseLevel(%q) = nil, want an error", s)
		}
	}
}

// flagNames lists the flags Load defines, read from its usage output.
func flagNames(t *testing.T) []string {
	t.Helper()
	var usage bytes.Buffer
	_, _, err := Load([]string{"-h"}, env(nil), &usage)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("Load(-h) error = %v, want flag.ErrHelp", err)
	}
	var names []string
	for _, m := range regexp.MustCompile(`(?m)^\s+-([a-z-]+)`).FindAllStringSubmatch(usage.String(), -1) {
		names = append(names, m[1])
	}
	if len(names) < 10 {
		t.Fatalf("found %d flags in usage, want at least 10:\n%s", len(names), usage.String())
	}
	return names
}

func TestDumpPrintsEveryKey(t *testing.T) {
	c := Default()
	c.TLSCert, c.TLSKey = "/etc/maillage/cert.pem", "/etc/maillage/key.pem"
	var out bytes.Buffer
	c.Dump(&out)
	lines := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			t.Errorf("Dump line %q is not key=value", l)
			continue
		}
		lines[k] = v
	}
	for _, name := range flagNames(t) {
		if _, ok := lines[name]; !ok {
			t.Errorf("Dump lacks key %q", name)
		}
	}
	if got, want := lines["tls-key"], "/etc/maillage/key.pem"; got != want {
		t.Errorf("tls-key = %q, want the path %q", got, want)
	}
	if got, want := lines["delivery-max-age"], "48h0m0s"; got != want {
		t.Errorf("delivery-max-age = %q, want %q", got, want)
	}
	lower := strings.ToLower(out.String())
	for _, secret := range []string{"private key", "begin ", "password", "secret", "token"} {
		if strings.Contains(lower, secret) {
			t.Errorf("Dump contains %q:\n%s", secret, out.String())
		}
	}
}

func TestTrustedProxies(t *testing.T) {
	c := Default()
	c.TrustedProxies = "10.0.0.0/8, fd00::/8"
	nets, err := c.ProxyNets()
	if err != nil || len(nets) != 2 {
		t.Fatalf("ProxyNets = %v, %v", nets, err)
	}
	c.TrustedProxies = "10.0.0.0/8,not-a-net"
	if err := c.Validate(); err == nil {
		t.Error("invalid trusted-proxies accepted")
	}
}
