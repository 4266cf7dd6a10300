package main_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// TestSIGKILLLosesNoDelivery runs the real binary, kills it with SIGKILL
// while deliveries to slow receivers are in flight, starts it again on the
// same data directory, and checks the at-least-once promise: every
// receiver gets every activity, none missing (duplicates are allowed).
func TestSIGKILLLosesNoDelivery(t *testing.T) {
	const (
		receivers = 50
		followers = 200 // 4 per receiver, sharing its shared inbox
		objects   = 20  // so 20 × 50 = 1,000 deliveries
		killAfter = 300 // deliveries counted before the SIGKILL
	)
	bin := buildBinary(t)
	rs := startSlowReceivers(t, receivers, 50*time.Millisecond)

	ip := "127.0.0.80"
	addr := freeAddr(t, ip)
	data := t.TempDir()
	base := "http://" + addr
	args := []string{"serve", "-data", data, "-listen", addr, "-base-url", base, "-allow-private", "-log-level", "warn"}

	// First run: creates the store and prints the admin token. Then stop it
	// (SIGTERM: a clean exit) to add the followers while the store is free.
	p := startProcess(t, bin, args)
	p.waitHealthy(t, base)
	token := p.token(t)
	p.stop(t, syscall.SIGTERM, true)
	seedFollowers(t, filepath.Join(data, "maillage.db"), rs, followers)

	p = startProcess(t, bin, args)
	p.waitHealthy(t, base)
	var ids []string
	for i := range objects {
		ids = append(ids, publish(t, base, token, i))
	}
	rs.open() // held until now, so that however slow the publishes, most deliveries are still to come
	waitUntil(t, 30*time.Second, fmt.Sprintf("%d deliveries before the kill", killAfter), func() bool {
		return rs.total.Load() >= killAfter
	})
	p.stop(t, syscall.SIGKILL, false)
	atKill := rs.total.Load()
	if atKill >= objects*receivers {
		t.Fatalf("all %d deliveries were done before the kill: nothing was in flight", atKill)
	}
	t.Logf("killed after %d of %d deliveries", atKill, objects*receivers)

	p = startProcess(t, bin, args)
	p.waitHealthy(t, base)
	waitUntil(t, 60*time.Second, "every receiver to get every activity", func() bool {
		return len(rs.missing(ids)) == 0
	})
	p.stop(t, syscall.SIGTERM, true)
	t.Logf("%d requests in all for %d deliveries (%d duplicates after the kill)",
		rs.total.Load(), objects*receivers, rs.total.Load()-objects*receivers)
	if m := rs.missing(ids); len(m) > 0 {
		t.Errorf("missing after restart: %s", strings.Join(m[:min(len(m), 10)], "; "))
	}
}

// buildBinary builds cmd/maillage into the test's temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	// go test puts $GOROOT/bin first in the test's PATH (Go 1.19 release
	// notes, "go test"), so this finds the go command that runs the test.
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not available to build the binary")
	}
	bin := filepath.Join(t.TempDir(), "maillage")
	cmd := exec.Command(goBin, "build", "-o", bin, "codeberg.org/maillage/maillage/cmd/maillage")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// freeAddr returns ip:port with a port free at the time of the call.
func freeAddr(t *testing.T, ip string) string {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatalf("listen on %s: %v", ip, err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// slowReceivers are inboxes on 127.0.0.1, one host each, that take a while
// to answer and count each activity id they receive.
type slowReceivers struct {
	servers []*httptest.Server
	total   atomic.Int64
	gate    chan struct{} // requests wait until it is closed
	opened  sync.Once

	mu   sync.Mutex          // guards seen
	seen []map[string]string // per receiver: object id -> Create activity id
}

func startSlowReceivers(t *testing.T, n int, delay time.Duration) *slowReceivers {
	t.Helper()
	rs := &slowReceivers{seen: make([]map[string]string, n), gate: make(chan struct{})}
	for i := range n {
		rs.seen[i] = map[string]string{}
		rs.servers = append(rs.servers, httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
			var a struct {
				ID     string          `json:"id"`
				Type   string          `json:"type"`
				Object json.RawMessage `json:"object"`
			}
			_ = json.Unmarshal(body, &a)
			var obj struct {
				ID string `json:"id"`
			}
			_ = json.Unmarshal(a.Object, &obj)
			if a.Type == "Create" && obj.ID != "" {
				rs.mu.Lock()
				rs.seen[i][obj.ID] = a.ID
				rs.mu.Unlock()
			}
			rs.total.Add(1)
			select {
			case <-rs.gate:
			case <-r.Context().Done():
				return
			}
			select {
			case <-time.After(delay):
				w.WriteHeader(http.StatusAccepted)
			case <-r.Context().Done():
			}
		})))
	}
	t.Cleanup(func() {
		rs.open()
		for _, s := range rs.servers {
			s.CloseClientConnections()
			s.Close()
		}
	})
	return rs
}

// open lets the requests through.
func (rs *slowReceivers) open() { rs.opened.Do(func() { close(rs.gate) }) }

// missing lists, per receiver, the objects whose Create it never got, and
// checks that every receiver saw the same activity id for an object.
func (rs *slowReceivers) missing(objectIDs []string) []string {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	var out []string
	for i, seen := range rs.seen {
		for _, id := range objectIDs {
			switch act, ok := seen[id]; {
			case !ok:
				out = append(out, fmt.Sprintf("receiver %d: Create of %s", i, id))
			case act != rs.seen[0][id]:
				out = append(out, fmt.Sprintf("receiver %d: Create %s of %s, receiver 0 got %s", i, act, id, rs.seen[0][id]))
			}
		}
	}
	return out
}

// seedFollowers writes followers of coop straight into the stopped
// instance's store: four per receiver, all with its shared inbox.
func seedFollowers(t *testing.T, path string, rs *slowReceivers, n int) {
	t.Helper()
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("open the stopped instance's store: %v", err)
	}
	defer st.Close()
	err = st.Update(func(tx *store.Tx) error {
		for i := range n {
			srv := rs.servers[i%len(rs.servers)].URL
			actor := fmt.Sprintf("%s/users/u%d", srv, i)
			if err := tx.PutFollower("coop", model.Follower{Actor: actor, Inbox: actor + "/inbox",
				SharedInbox: srv + "/inbox", FollowID: actor + "/follows/1", Since: time.Now()}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seed followers: %v", err)
	}
}

func publish(t *testing.T, base, token string, i int) string {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"kind": "project", "title": fmt.Sprintf("Project %d", i),
		"summary": "A project published before a crash.", "sectors": []string{"energy"}})
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/orgs/coop/objects", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
	defer resp.Body.Close()
	var o model.Object
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated || json.Unmarshal(data, &o) != nil || o.ID == "" {
		t.Fatalf("publish: %d %s", resp.StatusCode, data)
	}
	return o.ID
}

// process is one run of the binary.
type process struct {
	cmd    *exec.Cmd
	stdout *syncBuffer
	stderr *syncBuffer
	done   chan error
	exited bool // done was received from
}

func startProcess(t *testing.T, bin string, args []string) *process {
	t.Helper()
	p := &process{stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan error, 1)}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	for _, kv := range os.Environ() { // the flags say everything
		if !strings.HasPrefix(kv, "MAILLAGE_") {
			p.cmd.Env = append(p.cmd.Env, kv)
		}
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		if !p.exited {
			_ = p.cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("maillage stderr:\n%s", p.stderr.String())
		}
	})
	return p
}

func (p *process) waitHealthy(t *testing.T, base string) {
	t.Helper()
	c := &http.Client{Timeout: time.Second}
	waitUntil(t, 30*time.Second, base+"/healthz", func() bool {
		select {
		case err := <-p.done:
			p.exited = true
			t.Fatalf("maillage exited before serving: %v\n%s", err, p.stderr.String())
		default:
		}
		resp, err := c.Get(base + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

var tokenLine = regexp.MustCompile(`export MAILLAGE_TOKEN=(\S+)`)

func (p *process) token(t *testing.T) string {
	t.Helper()
	m := tokenLine.FindStringSubmatch(p.stdout.String())
	if m == nil {
		t.Fatalf("no admin token in the first run's output:\n%s", p.stdout.String())
	}
	return m[1]
}

// stop sends sig and waits for the exit; clean asks for exit status 0.
func (p *process) stop(t *testing.T, sig syscall.Signal, clean bool) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("signal %s: %v", sig, err)
	}
	select {
	case err := <-p.done:
		p.exited = true
		if clean && err != nil {
			t.Fatalf("exit after %s: %v\n%s", sig, err, p.stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("no exit 30s after %s", sig)
	}
}

func waitUntil(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// syncBuffer is a bytes.Buffer safe for the process's writes and the
// test's reads.
type syncBuffer struct {
	mu  sync.Mutex // guards buf
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
