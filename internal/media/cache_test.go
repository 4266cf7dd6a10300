package media

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// remote serves pictures of different sizes at /img/{n}.png, text at
// /text.png and a 404 elsewhere, and counts the requests.
type remote struct {
	srv  *httptest.Server
	hits atomic.Int64
}

func newRemote(t *testing.T) *remote {
	r := &remote{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.hits.Add(1)
		var n int
		switch {
		case req.URL.Path == "/text.png":
			w.Header().Set("Content-Type", "image/png") // a lie: only the bytes count
			fmt.Fprint(w, "not a picture")
		case func() bool { _, err := fmt.Sscanf(req.URL.Path, "/img/%d.png", &n); return err == nil }():
			w.Header().Set("Content-Type", "image/png")
			_, _ = w.Write(encodePNG(t, testImage(200+n, 100+n, false)))
		default:
			http.NotFound(w, req)
		}
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// waitCached polls until url is cached or failed (no longer pending).
func waitSettled(t *testing.T, c *Cache, url string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		c.mu.Lock()
		pending := c.pending[url]
		c.mu.Unlock()
		if !pending {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s still pending", url)
}

func TestCacheFetchesBoundsAndEvicts(t *testing.T) {
	r := newRemote(t)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Each picture re-encodes to a few kB: room for about two.
	c, err := OpenCache(CacheOptions{Dir: dir, HTTP: r.srv.Client(), MaxBytes: 12 << 10})
	if err != nil {
		t.Fatal(err)
	}
	go c.Run(ctx)
	url := func(n int) string { return fmt.Sprintf("%s/img/%d.png", r.srv.URL, n) }

	if _, _, ok := c.Lookup(url(1)); ok {
		t.Fatal("cached before any fetch")
	}
	c.Want(url(1))
	waitSettled(t, c, url(1))
	large, thumb, ok := c.Lookup(url(1))
	if !ok || large == thumb || filepath.Dir(large) != "/media/remote" {
		t.Fatalf("Lookup = %q %q %v", large, thumb, ok)
	}
	if p, ok := c.file(filepath.Base(large)); !ok {
		t.Fatal("no file for", large)
	} else if data, _ := os.ReadFile(p); !bytesHasPrefix(data, "\xff\xd8") {
		t.Errorf("cached file is not the re-encoded JPEG")
	}
	for n := 2; n <= 6; n++ {
		c.Want(url(n))
		waitSettled(t, c, url(n))
	}
	total, images := c.Usage()
	if total > 12<<10 || images < 1 || images >= 6 {
		t.Errorf("usage %d bytes in %d images, want at most %d bytes and evictions", total, images, 12<<10)
	}
	if _, _, ok := c.Lookup(url(6)); !ok {
		t.Error("the last one fetched is not cached")
	}
	if _, _, ok := c.Lookup(url(1)); ok {
		t.Error("the least recently shown is still cached")
	}
	files, _ := os.ReadDir(dir)
	if len(files) != 2*images {
		t.Errorf("%d files on disk for %d images", len(files), images)
	}

	// What fails is not cached, and not asked for again at once.
	for _, bad := range []string{r.srv.URL + "/text.png", r.srv.URL + "/missing.png"} {
		c.Want(bad)
		waitSettled(t, c, bad)
		if _, _, ok := c.Lookup(bad); ok {
			t.Errorf("%s cached", bad)
		}
		before := r.hits.Load()
		c.Want(bad)
		waitSettled(t, c, bad)
		if r.hits.Load() != before {
			t.Errorf("%s fetched again right after failing", bad)
		}
	}
	for _, bad := range []string{"javascript:alert(1)", "file:///etc/passwd", "/relative.png"} {
		c.Want(bad)
		c.mu.Lock()
		queued := c.pending[bad]
		c.mu.Unlock()
		if queued {
			t.Errorf("%s queued", bad)
		}
	}

	// A restart takes in what is on disk, and drops partial files.
	cancel()
	if err := os.WriteFile(filepath.Join(dir, ".part-123"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	c2, err := OpenCache(CacheOptions{Dir: dir, MaxBytes: 12 << 10})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok := c2.Lookup(url(6)); !ok {
		t.Error("cache lost after a restart")
	}
	if _, err := os.Stat(filepath.Join(dir, ".part-123")); !os.IsNotExist(err) {
		t.Error("partial file kept")
	}
}

func bytesHasPrefix(b []byte, p string) bool { return len(b) >= len(p) && string(b[:len(p)]) == p }
