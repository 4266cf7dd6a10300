package webkit

import (
	"io/fs"
	"net/http/httptest"
	"net/netip"
	"regexp"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/i18n"
)

// testClock is a clock the test moves by hand.
type testClock struct{ now time.Time }

func (c *testClock) Now() time.Time { return c.now }

func TestLoginLimiter(t *testing.T) {
	clock := &testClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	l := newLoginLimiter(clock.Now, 5, 10*time.Minute, 3)
	for i := range 5 {
		if ok, _ := l.attempt("192.0.2.1"); !ok {
			t.Fatalf("attempt %d refused, want 5 allowed", i+1)
		}
	}
	ok, retry := l.attempt("192.0.2.1")
	if ok || retry != 10*time.Minute {
		t.Errorf("sixth attempt = %v, retry %v; want refused, retry 10m", ok, retry)
	}
	if ok, _ := l.attempt("192.0.2.2"); !ok {
		t.Error("another address refused")
	}
	clock.now = clock.now.Add(9 * time.Minute)
	if ok, retry := l.attempt("192.0.2.1"); ok || retry != time.Minute {
		t.Errorf("after 9 minutes = %v, retry %v; want refused, retry 1m", ok, retry)
	}
	clock.now = clock.now.Add(time.Minute)
	if ok, _ := l.attempt("192.0.2.1"); !ok {
		t.Error("after the window, still refused")
	}

	// A success resets the count.
	l.attempt("192.0.2.1")
	l.reset("192.0.2.1")
	for i := range 5 {
		if ok, _ := l.attempt("192.0.2.1"); !ok {
			t.Fatalf("attempt %d after reset refused", i+1)
		}
	}

	// The map stays bounded: expired addresses make room first, then the
	// oldest.
	small := newLoginLimiter(clock.Now, 5, 10*time.Minute, 2)
	small.attempt("192.0.2.1")
	clock.now = clock.now.Add(time.Minute)
	small.attempt("192.0.2.2")
	clock.now = clock.now.Add(time.Minute)
	small.attempt("192.0.2.3")
	if _, kept := small.clients["192.0.2.1"]; kept || len(small.clients) != 2 {
		t.Errorf("full map: remembers %v, want the two newest", small.clients)
	}
	clock.now = clock.now.Add(10 * time.Minute)
	small.attempt("192.0.2.4")
	if _, kept := small.clients["192.0.2.3"]; kept || len(small.clients) != 1 {
		t.Errorf("after the window: remembers %v, want only the new address", small.clients)
	}
}

// TestLoginLimiterRefund checks that a refund takes back one attempt and
// no more, and adds no entry for an unknown key.
func TestLoginLimiterRefund(t *testing.T) {
	clock := &testClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	l := newLoginLimiter(clock.Now, 3, 10*time.Minute, 10)
	l.attempt("192.0.2.1")
	l.attempt("192.0.2.1")
	l.attempt("192.0.2.1")
	l.refund("192.0.2.1")
	if ok, _ := l.attempt("192.0.2.1"); !ok {
		t.Fatal("attempt after a refund refused")
	}
	if ok, _ := l.attempt("192.0.2.1"); ok {
		t.Error("a refund took back more than one attempt")
	}
	l.refund("192.0.2.9")
	if len(l.clients) != 1 {
		t.Errorf("refund of an unknown key added it: %v", l.clients)
	}
}

func TestClientIP(t *testing.T) {
	tests := []struct {
		remote string
		xff    []string
		want   string
	}{
		{"192.0.2.1:5000", nil, "192.0.2.1"},
		{"192.0.2.1:5000", []string{"198.51.100.9"}, "192.0.2.1"}, // not from a local proxy: ignored
		{"127.0.0.1:5000", nil, "127.0.0.1"},
		{"127.0.0.1:5000", []string{"203.0.113.5, 198.51.100.9"}, "198.51.100.9"},
		{"127.0.0.1:5000", []string{"203.0.113.5", "198.51.100.9"}, "198.51.100.9"},
		{"[::1]:5000", []string{"2001:db8::1"}, "2001:db8::/64"},
		// An IPv6 client counts as its /64, which one host usually has whole.
		{"[2001:db8:0:1::7]:5000", nil, "2001:db8:0:1::/64"},
		{"[2001:db8:0:1:ffff::9]:5000", nil, "2001:db8:0:1::/64"},
		{"[2001:db8:0:2::7]:5000", nil, "2001:db8:0:2::/64"},
		{"[::ffff:192.0.2.1]:5000", nil, "192.0.2.1"},
		{"127.0.0.1:5000", []string{"not an address"}, "127.0.0.1"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("POST", "/login", nil)
		r.RemoteAddr = tt.remote
		for _, v := range tt.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := clientIP(r); got != tt.want {
			t.Errorf("clientIP(%s, %q) = %s, want %s", tt.remote, tt.xff, got, tt.want)
		}
	}
}

func TestFieldErrorAttrs(t *testing.T) {
	e := FieldErrors{"title": "is required"}
	if got := string(e.Attrs("title")); got != `aria-invalid="true" aria-describedby="err-title"` {
		t.Errorf("Attrs(title) = %s", got)
	}
	if got := e.Attrs("summary"); got != "" {
		t.Errorf("Attrs(summary) = %s, want nothing", got)
	}
	if got := string(e.Described("title")); got != `aria-describedby="err-title"` {
		t.Errorf("Described(title) = %s", got)
	}
}

// TestAdminTextsExist checks that every admin.* text the admin pages use
// exists, so that no page shows a bare key.
func TestAdminTextsExist(t *testing.T) {
	tr, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, k := range tr.Keys("en") {
		known[k] = true
	}
	used := map[string]bool{}
	keyRE := regexp.MustCompile(`"(admin\.[a-z_.]+[a-z_])"`)
	files, _ := fs.Glob(templateFS, "templates/*.html")
	for _, f := range files {
		if !strings.Contains(f, "admin_") && !strings.Contains(f, "login") {
			continue
		}
		data, _ := fs.ReadFile(templateFS, f)
		for _, m := range keyRE.FindAllStringSubmatch(string(data), -1) {
			used[m[1]] = true
		}
	}
	// Keys built from a prefix and a value.
	for _, k := range []string{"admin.delete.title.project", "admin.delete.title.call", "admin.object.new.project",
		"admin.object.edit.call", "admin.network.state.pending", "admin.network.state.accepted", "admin.error.date",
		"admin.error.amount", "admin.error.coordinates", "admin.error.year", "admin.error.required", "admin.network.unresolved"} {
		used[k] = true
	}
	for k := range used {
		if !known[k] {
			t.Errorf("text %q used but not defined", k)
		}
	}
}

// TestClientIPTrustedProxies: a proxy outside loopback (a container's
// bridge, another host) is believed only when its network is trusted.
func TestClientIPTrustedProxies(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	r := httptest.NewRequest("POST", "/login", nil)
	r.RemoteAddr = "10.1.2.3:4567"
	r.Header.Set("X-Forwarded-For", "198.51.100.9, 203.0.113.7")
	if got := clientIP(r, trusted...); got != "203.0.113.7" {
		t.Errorf("trusted proxy: clientIP = %s, want 203.0.113.7", got)
	}
	if got := clientIP(r); got != "10.1.2.3" {
		t.Errorf("untrusted proxy: clientIP = %s, want 10.1.2.3", got)
	}
}
