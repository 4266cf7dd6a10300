package loadtest

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"

	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/internal/wire"
)

// Options say where and how much.
type Options struct {
	Binary     string        // the maillage binary to run as the instance
	InstanceIP string        // loopback address of the instance
	RemoteIP   string        // loopback address of the remote server
	Idle       time.Duration // how long the instance idles before its RSS is read
	Mixed      int           // requests of the mixed burst
	Duration   time.Duration // each throughput measurement
	Creates    int           // signed Creates per inbox measurement
	Received   int           // objects the store holds for the last measurement
	Keep       string        // data directory to keep ("": a temporary one, removed)
}

// Run measures one instance and writes the report to w.
func Run(ctx context.Context, o Options, w io.Writer) error {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		return errors.New("load: needs Linux /proc to read memory and CPU")
	}
	dir := o.Keep
	if dir == "" {
		tmp, err := os.MkdirTemp("", "maillage-load-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	p, err := newPKI()
	if err != nil {
		return err
	}
	ca, cert, key, err := p.writeFiles(dir, net.ParseIP(o.InstanceIP))
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: p.pool}, MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}}
	rem, err := startRemote(net.ParseIP(o.RemoteIP), p, client)
	if err != nil {
		return err
	}
	defer rem.close()

	port, err := freePort(o.InstanceIP)
	if err != nil {
		return err
	}
	host := net.JoinHostPort(o.InstanceIP, strconv.Itoa(port))
	base := "https://" + host
	args := []string{"-data", dir + "/data", "-listen", host, "-base-url", base, "-tls-cert", cert, "-tls-key", key,
		"-ca-file", ca, "-allow-private", "-log-level", "warn"}
	r := &report{w: w}
	r.header(o, base)

	in, first, err := startInstance(ctx, o.Binary, args, base, client)
	if err != nil {
		return err
	}
	defer func() { in.stop() }()
	r.line("time to first response, new store", ms(first))
	if err := sleep(ctx, o.Idle); err != nil {
		return err
	}
	rss, err := in.rss()
	if err != nil {
		return err
	}
	r.line(fmt.Sprintf("idle RSS after %s, new store", o.Idle), mb(rss))

	s := &session{in: in, rem: rem, client: client, host: host, org: base + "/orgs/coop"}
	if err := s.follow(ctx); err != nil {
		return err
	}
	b := run(ctx, 4, o.Mixed, 0, s.mixed)
	if rss, err = in.rss(); err != nil {
		return err
	}
	r.line(fmt.Sprintf("RSS after %d mixed requests (4 concurrent, %d failed)", b.ok+b.failed, b.failed), mb(rss))

	b = run(ctx, 4, 0, o.Duration, s.webfinger)
	r.throughput("WebFinger, 4 concurrent", b)
	b = run(ctx, 4, 0, o.Duration, s.signedActorGET)
	r.throughput("signed actor GET, 4 concurrent", b)

	creates := 0
	for _, conc := range []int{4, 16} {
		bodies := s.sign(creates, o.Creates)
		creates += o.Creates
		before, err := s.stored(ctx)
		if err != nil {
			return err
		}
		cpu0, err := in.cpu()
		if err != nil {
			return err
		}
		b := run(ctx, conc, len(bodies), 0, s.postCreate(bodies))
		cpu1, err := in.cpu()
		if err != nil {
			return err
		}
		after, err := s.stored(ctx)
		if err != nil {
			return err
		}
		n := after - before
		r.line(fmt.Sprintf("signed inbox Creates stored, %d concurrent", conc),
			fmt.Sprintf("%.0f/s (%d of %d stored, p99 %s)", float64(n)/b.elapsed.Seconds(), n, len(bodies), ms(b.p99)))
		if conc == 16 && n > 0 {
			r.line("CPU per 1,000 activities (16 concurrent)", fmt.Sprintf("%.2f s", (cpu1-cpu0).Seconds()*1000/float64(n)))
		}
	}

	for stored, err := s.stored(ctx); stored < o.Received; stored, err = s.stored(ctx) {
		if err != nil {
			return err
		}
		batch := min(2000, o.Received-stored)
		bodies := s.sign(creates, batch)
		creates += batch
		run(ctx, 16, len(bodies), 0, s.postCreate(bodies))
	}
	stored, err := s.stored(ctx)
	if err != nil {
		return err
	}
	in.stop()
	in, first, err = startInstance(ctx, o.Binary, args, base, client)
	if err != nil {
		return err
	}
	r.line(fmt.Sprintf("time to first response, %d received objects", stored), ms(first))
	if err := sleep(ctx, o.Idle); err != nil {
		return err
	}
	if rss, err = in.rss(); err != nil {
		return err
	}
	r.line(fmt.Sprintf("idle RSS after %s, %d received objects", o.Idle, stored), mb(rss))
	if fi, err := os.Stat(dir + "/data/maillage.db"); err == nil {
		r.line("store file", fmt.Sprintf("%s (%d bytes per received object)", mb(fi.Size()), fi.Size()/int64(max(stored, 1))))
	}
	return nil
}

// session is the remote's conversation with the running instance.
type session struct {
	in     *instance
	rem    *remote
	client *http.Client
	host   string
	org    string // the organisation's actor IRI

	once     sync.Once
	actorSig http.Header
}

// follow makes loader and the organisation follow each other, so that the
// instance stores what loader sends.
func (s *session) follow(ctx context.Context) error {
	follow := map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
		"id": s.rem.actor + "#follows/1", "type": "Follow", "actor": s.rem.actor, "object": s.org}
	if status, err := s.rem.post(ctx, s.org+"/inbox", follow); err != nil || status != http.StatusAccepted {
		return fmt.Errorf("load: loader's Follow: status %d, %v", status, err)
	}
	body, _ := json.Marshal(map[string]string{"target": s.rem.actor})
	status, err := s.api(ctx, http.MethodPost, "/api/v1/orgs/coop/follow", body, nil)
	if err != nil || status != http.StatusAccepted {
		return fmt.Errorf("load: follow loader: status %d, %v", status, err)
	}
	select {
	case <-s.rem.accepted:
		return nil
	case <-time.After(30 * time.Second):
		return errors.New("load: the organisation's Follow did not reach loader")
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *session) api(ctx context.Context, method, path string, body []byte, out any) (int, error) {
	status, _, err := s.apiHeader(ctx, method, path, body, out)
	return status, err
}

// apiHeader is api that also returns the answer's header.
func (s *session) apiHeader(ctx context.Context, method, path string, body []byte, out any) (int, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, method, s.in.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+s.in.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode < 300 {
		return resp.StatusCode, resp.Header, json.NewDecoder(resp.Body).Decode(out)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header, nil
}

// stored counts the objects of loader the instance holds, following the
// listing's pages.
func (s *session) stored(ctx context.Context) (int, error) {
	n := 0
	path := "/api/v1/objects?actor=" + url.QueryEscape(s.rem.actor) // 100 a page: TestRun's 120 take two
	for path != "" {
		var objs []struct {
			ID string `json:"id"`
		}
		status, h, err := s.apiHeader(ctx, http.MethodGet, path, nil, &objs)
		if err != nil || status != http.StatusOK {
			return 0, fmt.Errorf("load: list objects: status %d, %v", status, err)
		}
		n += len(objs)
		next := wire.NextOf(h.Get("Link"))
		if next == path || (next != "" && len(objs) == 0) {
			return 0, fmt.Errorf("load: list objects: next page %q does not advance", next)
		}
		path = next
	}
	return n, nil
}

// sign prepares n signed Creates numbered from first, on every CPU: signing
// is the sender's cost, kept out of the measurement.
func (s *session) sign(first, n int) []*signed {
	out := make([]*signed, n)
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				body := s.rem.create("c", first+i)
				req, err := s.rem.signedPost(context.Background(), s.org+"/inbox", body)
				if err == nil {
					out[i] = &signed{body: body, header: req.Header}
				}
			}
		})
	}
	wg.Wait()
	return out
}

type signed struct {
	body   []byte
	header http.Header
}

func (s *session) postCreate(bodies []*signed) func(ctx context.Context, i int) bool {
	return func(ctx context.Context, i int) bool {
		if bodies[i] == nil {
			return false
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.org+"/inbox", bytes.NewReader(bodies[i].body))
		if err != nil {
			return false
		}
		req.Header = bodies[i].header.Clone()
		return s.do(req, http.StatusAccepted)
	}
}

func (s *session) do(req *http.Request, want int) bool {
	resp, err := s.client.Do(req)
	if err != nil {
		return false
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == want
}

func (s *session) get(ctx context.Context, url, accept string, header http.Header) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Accept", accept)
	return s.do(req, http.StatusOK)
}

func (s *session) webfinger(ctx context.Context, _ int) bool {
	return s.get(ctx, s.in.base+"/.well-known/webfinger?resource=acct:coop@"+s.host, "application/jrd+json", nil)
}

// signedActorGET fetches the organisation's actor as a remote server does,
// signed by loader. The signature is made once: its Date stays valid for
// the whole measurement, and signing is the sender's cost.
func (s *session) signedActorGET(ctx context.Context, _ int) bool {
	s.once.Do(func() {
		req, _ := http.NewRequest(http.MethodGet, s.org, nil)
		if httpsign.Sign(req, s.rem.keyID, s.rem.key, nil, time.Now()) == nil {
			s.actorSig = req.Header
		}
	})
	return s.actorSig != nil && s.get(ctx, s.org, contentAS, s.actorSig)
}

// mixed cycles through what an instance is asked in a day: discovery,
// actor and pages, the directory, NodeInfo, and signed Creates.
func (s *session) mixed(ctx context.Context, i int) bool {
	switch i % 6 {
	case 0:
		return s.webfinger(ctx, i)
	case 1:
		return s.signedActorGET(ctx, i)
	case 2:
		return s.get(ctx, s.org, "text/html", nil)
	case 3:
		return s.get(ctx, s.in.base+"/directory", "text/html", nil)
	case 4:
		return s.get(ctx, s.in.base+"/nodeinfo/2.1", "application/json", nil)
	}
	body := s.rem.create("m", i)
	req, err := s.rem.signedPost(ctx, s.org+"/inbox", body)
	return err == nil && s.do(req, http.StatusAccepted)
}

// report prints a line a measurement, as they come.
type report struct{ w io.Writer }

func (r *report) header(o Options, base string) {
	fmt.Fprintf(r.w, "maillage load: instance %s (HTTPS, %s), remote on %s, %d CPUs\n\n", base, o.Binary, o.RemoteIP, runtime.NumCPU())
}

func (r *report) line(label, value string) { fmt.Fprintf(r.w, "%-56s %s\n", label, value) }

func (r *report) throughput(label string, b burst) {
	r.line(label, fmt.Sprintf("%.0f req/s, p50 %s, p99 %s (%d failed)", b.rate(), ms(b.p50), ms(b.p99), b.failed))
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
func mb(b int64) string         { return fmt.Sprintf("%.1f MB", float64(b)/1e6) }

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-time.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func freePort(ip string) (int, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		return 0, fmt.Errorf("load: listen on %s: %w", ip, err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
