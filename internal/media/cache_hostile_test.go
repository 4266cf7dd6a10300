package media

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
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
