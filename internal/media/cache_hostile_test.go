package media

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a log sink safe for the cache's workers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// A failed fetch is logged below Warn (any peer can make images fail) and
// with its peer-supplied URL cut short (found in review).
func TestCacheFailureLogged(t *testing.T) {
	r := newRemote(t)
	var logs lockedBuffer
	log := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := OpenCache(CacheOptions{Dir: t.TempDir(), HTTP: r.srv.Client(), Log: log})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go c.Run(ctx)
	long := r.srv.URL + "/missing?" + strings.Repeat("x", 2000)
	c.Want(long)
	waitSettled(t, c, long)
	out := logs.String()
	if !strings.Contains(out, "remote image not cached") {
		t.Fatalf("failure not logged: %s", out)
	}
	if strings.Contains(out, `"level":"WARN"`) || strings.Contains(out, `"level":"ERROR"`) {
		t.Errorf("failure logged at Warn or above: %s", out)
	}
	if strings.Contains(out, strings.Repeat("x", 300)) {
		t.Errorf("the whole URL logged (%d bytes of log)", len(out))
	}
}

// One host cannot fill the queue: at most maxPerHost of its images wait or
// are fetched at once, and the others' are still taken (found in review).
func TestCachePerHostCap(t *testing.T) {
	c, err := OpenCache(CacheOptions{Dir: t.TempDir()}) // not running: everything stays queued
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		c.Want(fmt.Sprintf("https://127.0.0.9/slow/%d.png", i))
	}
	c.Want("https://127.0.0.10/img/1.png")
	byHost := map[string]int{}
	c.mu.Lock()
	for u := range c.pending {
		byHost[strings.Split(u, "/")[2]]++
	}
	c.mu.Unlock()
	if byHost["127.0.0.9"] > 4 || byHost["127.0.0.10"] != 1 {
		t.Errorf("pending by host = %v, want at most 4 of 127.0.0.9 and 127.0.0.10's", byHost)
	}
}

// A slow image gives up its worker after the fetch timeout (20 s by
// default, shortened here).
func TestCacheFetchTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c, err := OpenCache(CacheOptions{Dir: t.TempDir(), HTTP: srv.Client(), FetchTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if d, err := OpenCache(CacheOptions{Dir: t.TempDir()}); err != nil || d.timeout > 20*time.Second {
		t.Errorf("default fetch timeout %v, want at most 20 s", d.timeout)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go c.Run(ctx)
	u := srv.URL + "/slow.png"
	c.Want(u)
	waitSettled(t, c, u)
	c.mu.Lock()
	_, failed := c.failed[u]
	c.mu.Unlock()
	if !failed {
		t.Errorf("the slow image did not fail")
	}
}
