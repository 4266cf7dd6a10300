package cli_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/cli"
	"codeberg.org/maillage/maillage/internal/testenv"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader.
type syncBuffer struct {
	mu sync.Mutex // guards b
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServePrintsSetupURL: a first `serve` prints and logs the one-time
// setup page URL.
func TestServePrintsSetupURL(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan error, 1)
	base := "http://127.0.0.95:8080"
	args := []string{"serve", "-data", t.TempDir(), "-listen", "127.0.0.95:0", "-base-url", base, "-log-json", "true"}
	go func() { done <- cli.RunWith(ctx, args, &out, &errOut, func(string) string { return "" }) }()
	testenv.WaitFor(t, 20*time.Second, "the setup URL on stdout", func() bool {
		return strings.Contains(out.String(), base+"/setup?token=")
	})
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	i := strings.Index(out.String(), base+"/setup?token=")
	url := strings.Fields(out.String()[i:])[0]
	if !strings.Contains(errOut.String(), url) {
		t.Errorf("the log does not carry the setup URL %s:\n%s", url, errOut.String())
	}
}
