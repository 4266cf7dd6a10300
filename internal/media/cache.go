package media

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// CacheOptions configure a Cache; zero values take the defaults.
type CacheOptions struct {
	Dir string // where the cached files live (created)
	// MaxBytes bounds the files kept; the least recently shown go first.
	MaxBytes int64 // default 256 MiB
	// HTTP fetches the images: the guarded client (federation/safehttp),
	// which refuses private addresses unless the instance allows them.
	HTTP  *http.Client
	Log   *slog.Logger
	Queue int // images waiting to be fetched; default 256, more are dropped
	// RetryAfter is how long a failed image is not asked for again.
	RetryAfter time.Duration // default 1 hour
	// FetchTimeout bounds one image's fetch, so that slow servers do not
	// hold the two workers for long.
	FetchTimeout time.Duration // default 20 s
	Now          func() time.Time
}

// Cache holds copies of remote images so that pages never point visitors
// to another server (which would learn their address). Pages ask Lookup,
// which answers from memory and never fetches: an image not cached yet is
// not shown and Want queues it for Run's workers, which fetch, process
// and store it within the size bound.
type Cache struct {
	dir        string
	max        int64
	hc         *http.Client
	log        *slog.Logger
	queue      chan string
	retryAfter time.Duration
	timeout    time.Duration
	now        func() time.Time

	mu sync.Mutex // guards the fields below
	// entries finds a key's element of lru, whose front is the most
	// recently shown; total is the bytes of their files.
	entries map[string]*list.Element
	lru     *list.List
	total   int64
	pending map[string]bool      // queued or being fetched, by URL
	perHost map[string]int       // of pending, by host: at most maxPerHost
	failed  map[string]time.Time // by URL: when it failed, at most maxFailed
}

type cached struct {
	key          string
	large, thumb string // file names
	size         int64
}

const maxFailed = 4096

// maxPerHost is how many images of one host may wait or be fetched at
// once: one server's many slow images cannot fill the queue and keep the
// workers from the others' (a later page view asks again).
const maxPerHost = 4

// OpenCache uses (and creates) o.Dir, taking in the files already there.
func OpenCache(o CacheOptions) (*Cache, error) {
	if o.MaxBytes <= 0 {
		o.MaxBytes = 256 << 20
	}
	if o.Queue <= 0 {
		o.Queue = 256
	}
	if o.RetryAfter <= 0 {
		o.RetryAfter = time.Hour
	}
	if o.FetchTimeout <= 0 {
		o.FetchTimeout = 20 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("media cache: %w", err)
	}
	c := &Cache{dir: o.Dir, max: o.MaxBytes, hc: o.HTTP, log: o.Log, queue: make(chan string, o.Queue),
		retryAfter: o.RetryAfter, timeout: o.FetchTimeout, now: o.Now, entries: map[string]*list.Element{}, lru: list.New(),
		pending: map[string]bool{}, perHost: map[string]int{}, failed: map[string]time.Time{}}
	if err := c.load(); err != nil {
		return nil, err
	}
	return c, nil
}

// Key is the name of url's files in the cache: it says nothing of url.
func Key(url string) string {
	sum := sha256.Sum256([]byte(url))
	return hex.EncodeToString(sum[:16])
}

// load takes in the files of an earlier run, oldest first (by mtime), and
// removes what is not a whole entry.
func (c *Cache) load() error {
	des, err := os.ReadDir(c.dir)
	if err != nil {
		return fmt.Errorf("media cache: %w", err)
	}
	type found struct {
		cached
		mod time.Time
	}
	byKey := map[string]*found{}
	for _, de := range des {
		name := de.Name()
		key, thumb, ok := parseCacheName(name)
		info, err := de.Info()
		if !ok || err != nil || !info.Mode().IsRegular() {
			_ = os.Remove(filepath.Join(c.dir, name)) // a partial write of a crash
			continue
		}
		f := byKey[key]
		if f == nil {
			f = &found{cached: cached{key: key}}
			byKey[key] = f
		}
		if thumb {
			f.thumb = name
		} else {
			f.large = name
		}
		f.size += info.Size()
		if info.ModTime().After(f.mod) {
			f.mod = info.ModTime()
		}
	}
	all := make([]*found, 0, len(byKey))
	for _, f := range byKey {
		if f.large == "" || f.thumb == "" {
			c.removeFiles(f.cached)
			continue
		}
		all = append(all, f)
	}
	slices.SortFunc(all, func(a, b *found) int { return a.mod.Compare(b.mod) })
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, f := range all {
		c.entries[f.key] = c.lru.PushFront(&f.cached)
		c.total += f.size
	}
	c.evictLocked()
	return nil
}

// parseCacheName reads "{key}.jpg" or "{key}-t.png".
func parseCacheName(name string) (key string, thumb bool, ok bool) {
	base, ext, found := strings.Cut(name, ".")
	if !found || (ext != "jpg" && ext != "png") {
		return "", false, false
	}
	base, thumb = strings.CutSuffix(base, "-t")
	if len(base) != 32 || strings.Trim(base, "0123456789abcdef") != "" {
		return "", false, false
	}
	return base, thumb, true
}

// Lookup returns the local paths of url's large and small sizes
// ("/media/remote/…"), if they are cached; it never fetches.
func (c *Cache) Lookup(url string) (large, thumb string, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[Key(url)]
	if !ok {
		return "", "", false
	}
	c.lru.MoveToFront(el)
	e := el.Value.(*cached)
	return "/media/remote/" + e.large, "/media/remote/" + e.thumb, true
}

// file is the path of a cached file's name, if it is one.
func (c *Cache) file(name string) (string, bool) {
	key, thumb, ok := parseCacheName(name)
	if !ok {
		return "", false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		return "", false
	}
	e := el.Value.(*cached)
	if (thumb && e.thumb != name) || (!thumb && e.large != name) {
		return "", false
	}
	return filepath.Join(c.dir, name), true
}

// Want queues url to be fetched, unless it is cached, queued, failed
// lately, not an http(s) URL, or the queue is full (a later page view asks
// again). It never blocks.
func (c *Cache) Want(rawURL string) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(rawURL) > 2048 {
		return
	}
	host := strings.ToLower(u.Hostname())
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[Key(rawURL)]; ok || c.pending[rawURL] {
		return
	}
	if t, ok := c.failed[rawURL]; ok && c.now().Sub(t) < c.retryAfter {
		return
	}
	if c.perHost[host] >= maxPerHost {
		return
	}
	select {
	case c.queue <- rawURL:
		c.pending[rawURL] = true
		c.perHost[host]++
	default:
	}
}

// Run fetches queued images with two workers until ctx ends.
func (c *Cache) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for {
				select {
				case <-ctx.Done():
					return
				case u := <-c.queue:
					err := c.fetch(ctx, u)
					c.done(u, err)
				}
			}
		})
	}
	wg.Wait()
}

func (c *Cache) done(u string, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.pending, u)
	if pu, perr := url.Parse(u); perr == nil {
		host := strings.ToLower(pu.Hostname())
		if c.perHost[host]--; c.perHost[host] <= 0 {
			delete(c.perHost, host)
		}
	}
	if err == nil {
		delete(c.failed, u)
		return
	}
	// Any server can make its images fail: not a warning for the operator,
	// and the URL it chose (up to 2 KiB) cut short.
	var ue *url.Error
	if errors.As(err, &ue) { // which repeats the URL
		err = ue.Err
	}
	c.log.Info("remote image not cached", "url", shortURL(u), "err", err)
	if len(c.failed) >= maxFailed {
		now := c.now()
		for k, t := range c.failed {
			if now.Sub(t) >= c.retryAfter || len(c.failed) >= maxFailed {
				delete(c.failed, k)
			}
		}
	}
	c.failed[u] = c.now()
}

// errStatus is a fetch answered with another status than 200.
type errStatus int

func (e errStatus) Error() string { return fmt.Sprintf("status %d", int(e)) }

// fetch gets url through the guarded client, processes it as Process does
// an upload, and stores its two sizes.
func (c *Cache) fetch(ctx context.Context, u string) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "image/*")
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return errStatus(resp.StatusCode)
	}
	if resp.ContentLength > MaxBytes {
		return ErrTooLarge
	}
	data, err := Read(resp.Body)
	if err != nil {
		return err
	}
	p, err := processBytes(data, PurposeImage, remoteDecodeBudget)
	if err != nil {
		return err
	}
	key := Key(u)
	e := cached{key: key, large: key + "." + p.Large.Ext, thumb: key + "-t." + p.Thumb.Ext,
		size: int64(len(p.Large.Data) + len(p.Thumb.Data))}
	if e.size > c.max {
		return ErrTooLarge
	}
	if err := WriteFileAtomic(filepath.Join(c.dir, e.thumb), p.Thumb.Data); err != nil {
		return err
	}
	if err := WriteFileAtomic(filepath.Join(c.dir, e.large), p.Large.Data); err != nil {
		_ = os.Remove(filepath.Join(c.dir, e.thumb))
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok { // fetched twice: keep one
		c.total -= el.Value.(*cached).size
		c.lru.Remove(el)
	}
	c.entries[key] = c.lru.PushFront(&e)
	c.total += e.size
	c.evictLocked()
	return nil
}

// evictLocked removes the least recently shown entries while the cache is
// over its bound.
func (c *Cache) evictLocked() {
	for c.total > c.max && c.lru.Len() > 0 {
		el := c.lru.Back()
		e := el.Value.(*cached)
		c.lru.Remove(el)
		delete(c.entries, e.key)
		c.total -= e.size
		c.removeFiles(*e)
	}
}

func (c *Cache) removeFiles(e cached) {
	for _, name := range []string{e.large, e.thumb} {
		if name != "" {
			if err := os.Remove(filepath.Join(c.dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
				c.log.Error("media cache: remove failed", "err", err)
			}
		}
	}
}

// Usage is the bytes and the number of images cached.
func (c *Cache) Usage() (bytes int64, images int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total, c.lru.Len()
}

// Pending reports whether url is queued or being fetched.
func (c *Cache) Pending(url string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pending[url]
}

// shortURL is u cut to 120 bytes for a log line.
func shortURL(u string) string {
	if len(u) <= 120 {
		return u
	}
	return strings.ToValidUTF8(u[:120], "") + "…"
}
