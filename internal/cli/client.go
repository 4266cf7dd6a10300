package cli

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// client talks to a running instance's admin API.
type client struct {
	base, token string
	http        *http.Client
}

// clientFlags adds -url, -token and -ca-file (env MAILLAGE_URL,
// MAILLAGE_TOKEN, MAILLAGE_CA_FILE) to fs; call the returned func after
// parsing.
func clientFlags(fs *flag.FlagSet, e *env) func() (*client, error) {
	base := fs.String("url", envOr(e, "MAILLAGE_URL", "http://127.0.0.1:8080"), "instance base URL (env MAILLAGE_URL)")
	token := fs.String("token", e.getenv("MAILLAGE_TOKEN"), "admin API token (env MAILLAGE_TOKEN)")
	caFile := fs.String("ca-file", e.getenv("MAILLAGE_CA_FILE"), "extra CA certificate to trust (env MAILLAGE_CA_FILE)")
	return func() (*client, error) {
		if *token == "" {
			return nil, errors.New("an admin token is required: set MAILLAGE_TOKEN (printed on the first run of serve)")
		}
		tr := http.DefaultTransport.(*http.Transport).Clone()
		if *caFile != "" {
			pem, err := os.ReadFile(*caFile)
			if err != nil {
				return nil, fmt.Errorf("ca-file: %w", err)
			}
			pool, _ := x509.SystemCertPool()
			if pool == nil {
				pool = x509.NewCertPool()
			}
			pool.AppendCertsFromPEM(pem)
			tr.TLSClientConfig = &tls.Config{RootCAs: pool}
		}
		return &client{base: strings.TrimRight(*base, "/"), token: *token,
			http: &http.Client{Timeout: 60 * time.Second, Transport: tr}}, nil
	}
}

func envOr(e *env, key, def string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	return def
}

// maxAnswer bounds an API answer; listings come a page at a time, far
// below it.
const maxAnswer = 16 << 20

// do sends a request and decodes a JSON answer into out (if not nil).
func (c *client) do(ctx context.Context, method, path string, in, out any) error {
	_, err := c.doHeader(ctx, method, path, in, out)
	return err
}

// doHeader is do that also returns the answer's header.
func (c *client) doHeader(ctx context.Context, method, path string, in, out any) (http.Header, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxAnswer {
		return nil, fmt.Errorf("%s %s: answer larger than %d MiB", method, path, maxAnswer>>20)
	}
	if resp.StatusCode >= 300 {
		var e struct {
			Error  string            `json:"error"`
			Fields map[string]string `json:"fields"`
		}
		_ = json.Unmarshal(data, &e)
		msg := e.Error
		for k, v := range e.Fields {
			msg += fmt.Sprintf("\n  %s: %s", k, v)
		}
		return nil, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, msg)
	}
	if out != nil && len(data) > 0 {
		return resp.Header, json.Unmarshal(data, out)
	}
	return resp.Header, nil
}

// apiPath maps a local object IRI to its admin API path.
func (c *client) apiPath(iri string) (string, error) {
	u, err := url.Parse(iri)
	if err != nil || !strings.HasPrefix(u.Path, "/orgs/") {
		return "", fmt.Errorf("%q is not the id of a project or call", iri)
	}
	return "/api/v1" + u.Path, nil
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// parse parses the flags of a subcommand that takes no positional
// argument and builds the API client.
func parse(fs *flag.FlagSet, mk func() (*client, error), args []string) (*client, error) {
	pos, err := parseArgs(fs, args)
	if err != nil {
		return nil, err
	}
	if len(pos) != 0 {
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), pos[0])
		fs.Usage()
		return nil, flag.ErrHelp
	}
	return mk()
}

// parseArgs parses fs from args, flags before and after the positional
// arguments alike (`org-create second -country BE`, as the README writes
// commands), and returns the positional arguments. The flag package stops
// at the first non-flag; after "--" everything is positional.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(pos, rest...), nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

// show does one API request and prints its JSON answer, if any.
func (c *client) show(ctx context.Context, e *env, method, path string, in any) error {
	var out any
	if err := c.do(ctx, method, path, in, &out); err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	return printJSON(e.stdout, out)
}
