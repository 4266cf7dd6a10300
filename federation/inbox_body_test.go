package federation

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// bodyServer serves readBody on loopback and sends each outcome on got.
func bodyServer(t *testing.T, f *Federation, hold chan struct{}) (addr string, got chan error) {
	t.Helper()
	got = make(chan error, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, release, err := f.readBody(w, r)
		got <- err
		if err == nil {
			if hold != nil {
				<-hold
			}
			release()
		}
	}))
	t.Cleanup(srv.Close)
	return srv.Listener.Addr().String(), got
}

// startPost writes a POST's head and the first part of its body.
func startPost(t *testing.T, addr string, length int, part string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := fmt.Fprintf(c, "POST /inbox HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n\r\n%s", addr, length, part); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestReadBodyCutsSlowSenders(t *testing.T) {
	f := &Federation{bodyLimits: bodyLimits{timeout: 100 * time.Millisecond, budget: 1 << 20}}
	addr, got := bodyServer(t, f, nil)
	c := startPost(t, addr, 1000, "{")
	var ne net.Error
	if err := <-got; err == nil || !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("readBody of a stalled body = %v, want a timeout", err)
	}
	// The connection is done for: the server closes it.
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.ReadAll(c); err != nil {
		t.Errorf("connection not closed after the deadline: %v", err)
	}
	if n := f.bodyBytes.Load(); n != 0 {
		t.Errorf("budget holds %d bytes after the request, want 0", n)
	}
}

func TestReadBodyBudget(t *testing.T) {
	f := &Federation{bodyLimits: bodyLimits{timeout: 10 * time.Second, budget: 1000}}
	hold := make(chan struct{})
	addr, got := bodyServer(t, f, hold)

	// A body of 800 bytes is read and held by its request.
	startPost(t, addr, 800, strings.Repeat("a", 800))
	if err := <-got; err != nil {
		t.Fatalf("first body: %v", err)
	}
	// 300 more bytes would go over the budget of 1000: refused as busy.
	startPost(t, addr, 300, strings.Repeat("b", 300))
	if err := <-got; !errors.Is(err, errInboxBusy) {
		t.Fatalf("body over the budget: %v, want errInboxBusy", err)
	}
	if n := f.bodyBytes.Load(); n != 800 {
		t.Fatalf("budget holds %d bytes, want 800 (the refused body gives its bytes back)", n)
	}
	// Once the first request is done, the budget is free again.
	close(hold)
	c := startPost(t, addr, 300, strings.Repeat("c", 300))
	if err := <-got; err != nil {
		t.Fatalf("body after release: %v", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if n := f.bodyBytes.Load(); n != 0 {
		t.Errorf("budget holds %d bytes after every request ended, want 0", n)
	}
}
