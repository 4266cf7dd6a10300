package cli_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/server"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/store"
)

// publisher publishes projects one after the other until stopped, and
// keeps the ids of those whose publish call returned (acknowledged).
type publisher struct {
	in       *testenv.Instance
	stop     chan struct{}
	stopOnce sync.Once
	done     chan struct{}

	mu    sync.Mutex // guards acked and err
	acked []string
	err   error
}

func startPublisher(in *testenv.Instance) *publisher {
	p := &publisher{in: in, stop: make(chan struct{}), done: make(chan struct{})}
	go p.run()
	return p
}

func (p *publisher) run() {
	defer close(p.done)
	c := &http.Client{Timeout: 10 * time.Second}
	for i := 0; i < 5000; i++ { // bounded; stopped long before
		select {
		case <-p.stop:
			return
		default:
		}
		body, _ := json.Marshal(map[string]any{"kind": "project", "title": fmt.Sprintf("Load %d", i),
			"summary": "Written while a backup runs.", "sectors": []string{"energy"}})
		req, _ := http.NewRequest(http.MethodPost, p.in.Base+"/api/v1/orgs/coop/objects", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+p.in.Token)
		req.Header.Set("Content-Type", "application/json")
		var o model.Object
		resp, err := c.Do(req)
		if err == nil {
			data, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated || json.Unmarshal(data, &o) != nil {
				err = fmt.Errorf("publish: %d %s", resp.StatusCode, data)
			}
		}
		p.mu.Lock()
		if err != nil {
			p.err = err
			p.mu.Unlock()
			return
		}
		p.acked = append(p.acked, o.ID)
		p.mu.Unlock()
	}
}

// halt stops the publisher and waits for its last call to return.
func (p *publisher) halt() {
	p.stopOnce.Do(func() { close(p.stop) })
	<-p.done
}

func (p *publisher) snapshot() ([]string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.acked), p.err
}

// TestBackupUnderLoadRestores takes a backup through the admin API while
// another goroutine keeps publishing, then checks that the copy holds every
// publish acknowledged before the backup was asked for, and that an
// instance started on a data directory holding only that file serves them.
func TestBackupUnderLoadRestores(t *testing.T) {
	in := testenv.Start(t, "127.0.0.81", testenv.Options{})
	pub := startPublisher(in)
	defer pub.halt()
	testenv.WaitFor(t, 30*time.Second, "20 publishes", func() bool {
		acked, err := pub.snapshot()
		return len(acked) >= 20 || err != nil
	})

	before, err := pub.snapshot()
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "maillage.backup")
	out := mustRun(t, in, "backup", "-o", file)
	if !strings.HasPrefix(out, file+": ") {
		t.Errorf("backup printed %q", out)
	}
	during, _ := pub.snapshot()
	testenv.WaitFor(t, 30*time.Second, "more publishes after the backup", func() bool {
		acked, err := pub.snapshot()
		return len(acked) > len(before)+5 || err != nil
	})
	pub.halt()
	after, err := pub.snapshot()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("publishes acknowledged: %d before the backup, %d while it ran, %d in all",
		len(before), len(during)-len(before), len(after))

	// Nothing but the backup file is left beside it (the temporary file is
	// renamed), and it is readable only by its owner.
	if entries, _ := os.ReadDir(filepath.Dir(file)); len(entries) != 1 {
		t.Errorf("backup directory holds %d entries, want the backup only", len(entries))
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file: %v, mode %v; want 0600", err, fi.Mode())
	}

	// The copy opens as a store and holds every acknowledged write.
	st, err := store.Open(file, store.Options{})
	if err != nil {
		t.Fatalf("open the backup: %v", err)
	}
	err = st.View(func(tx *store.Tx) error {
		for _, id := range before {
			if _, err := tx.Object(id); err != nil {
				t.Errorf("backup lacks %s, acknowledged before the backup: %v", id, err)
			}
		}
		return nil
	})
	if cerr := st.Close(); err != nil || cerr != nil {
		t.Fatal(err, cerr)
	}

	// Restore: stop the instance, start one on a data directory holding
	// only the backup, at the same address (the base URL is its identity).
	in.Stop()
	dir := t.TempDir()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, server.DBFile), data, 0o600); err != nil {
		t.Fatal(err)
	}
	var port int
	if _, err := fmt.Sscan(in.Host[strings.LastIndexByte(in.Host, ':')+1:], &port); err != nil {
		t.Fatal(err)
	}
	restored := testenv.Start(t, in.IP, testenv.Options{Port: port, DataDir: dir})
	if restored.Server.InitialToken != "" {
		t.Error("the restored instance made a new admin token: it did not find its data")
	}
	restored.Token = in.Token // the token's hash came with the backup
	for _, id := range before {
		if status, _ := restored.Get(id, "application/activity+json"); status != http.StatusOK {
			t.Errorf("restored instance: GET %s = %d, want 200", id, status)
		}
	}
	var objs []model.Object
	if s := restored.API("GET", "/api/v1/orgs/coop/objects", nil, &objs); s != http.StatusOK || len(objs) < len(before) {
		t.Errorf("restored instance lists %d objects (status %d), want at least %d", len(objs), s, len(before))
	}
}
