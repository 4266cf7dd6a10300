package federation_test

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/internal/testenv"
)

// noteBy is a's Create of a new public top-level Note, with its id.
func (e *inboxEnv) noteBy(t *testing.T, a *remoteActor, n int) (body []byte, noteID string) {
	t.Helper()
	noteID = fmt.Sprintf("%s/statuses/%d", a.ID, 1000+n)
	body = edit(t, e.fixture(t, a, "create_note_reply.json", map[string]string{"{{LOCAL_OBJECT}}": e.org}), func(m map[string]any) {
		m["id"] = noteID + "/activity"
		o := object(m)
		delete(o, "inReplyTo")
		delete(o, "inReplyToAtomUri")
		o["id"], o["url"] = noteID, noteID
	})
	return body, noteID
}

// A body of 25,000 tiny Notes (decode amplification) is refused before it
// is decoded: 401 when its key is unknown, 400 from the shape limits when
// it is signed by a followed actor. Nothing is stored.
func TestInboxRefusesAmplifyingBodies(t *testing.T) {
	e := newInboxEnv(t)
	peer := e.remote.addActor(t, "mastodon", "peer", nil, keyInActor)
	e.followAccepted(t, peer)
	before := e.snapshot(t, e.org)
	for _, c := range []struct {
		name  string
		keyID string
		want  int
	}{
		{"unknown key on this host", e.local.Base + "/orgs/nobody#main-key", http.StatusUnauthorized},
		{"signed by a followed actor", peer.KeyID, http.StatusBadRequest},
	} {
		t.Run(c.name, func(t *testing.T) {
			body := hostileBody(peer.ID, 900_000)
			got := e.send(t, request{url: e.sharedInbox, body: body, keyID: c.keyID, key: peer.Key})
			if got != c.want {
				t.Fatalf("status %d, want %d", got, c.want)
			}
			if after := e.snapshot(t, e.org); after != before {
				t.Errorf("store changed:\n before %s\n after  %s", before, after)
			}
		})
	}
	// The same actor's ordinary Create is still accepted and stored.
	body, noteID := e.noteBy(t, peer, 1)
	e.mustPost(t, e.sharedInbox, peer, body, http.StatusAccepted)
	if _, ok := e.object(t, noteID); !ok {
		t.Errorf("note %s not stored", noteID)
	}
}

// A request signed for another server (its Host, and so the signed host,
// names that server) is refused, even from a followed actor with a valid
// signature: it would let a server replay what it received.
func TestInboxRefusesRequestsSignedForAnotherHost(t *testing.T) {
	e := newInboxEnv(t)
	peer := e.remote.addActor(t, "mastodon", "peer", nil, keyInActor)
	e.followAccepted(t, peer)
	body, noteID := e.noteBy(t, peer, 1)
	req, err := http.NewRequest(http.MethodPost, e.sharedInbox, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "127.0.0.3:" + strings.Split(e.local.Host, ":")[1] // another server; sent as the Host header
	req.Header.Set("Content-Type", contentAS)
	if err := httpsign.Sign(req, peer.KeyID, peer.Key, body, time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status %d, want 401", resp.StatusCode)
	}
	if _, ok := e.object(t, noteID); ok {
		t.Errorf("note %s stored from a request signed for another host", noteID)
	}
	// Signed for this server, the same activity is accepted.
	e.mustPost(t, e.sharedInbox, peer, body, http.StatusAccepted)
	if _, ok := e.object(t, noteID); !ok {
		t.Errorf("note %s not stored", noteID)
	}
}

// Senders that trickle their bodies hold no processing slot: with 100 of
// them connected, and each one's body being read by its handler, a real
// Create from a followed actor is still accepted.
func TestInboxSlowSendersDoNotBlockIt(t *testing.T) {
	e := newInboxEnv(t)
	peer := e.remote.addActor(t, "mastodon", "peer", nil, keyInActor)
	e.followAccepted(t, peer)
	const slow = 100
	for i := range slow {
		c, err := net.Dial("tcp", e.local.Host)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		// Expect: 100-continue makes the server answer "100 Continue" when
		// the handler starts reading the body: then the request is in the
		// handler, holding whatever the handler holds while reading.
		fmt.Fprintf(c, "POST /inbox HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\nContent-Length: 4096\r\nExpect: 100-continue\r\n\r\n",
			e.local.Host, contentAS)
		_ = c.SetReadDeadline(time.Now().Add(waitTimeout))
		line, err := bufio.NewReader(c).ReadString('\n')
		if err != nil || !strings.HasPrefix(line, "HTTP/1.1 100") {
			t.Fatalf("slow sender %d: first answer %q (%v), want 100 Continue: the inbox refused it before reading", i, line, err)
		}
		_, _ = c.Write([]byte("{")) // one byte, then nothing
	}
	body, noteID := e.noteBy(t, peer, 1)
	e.mustPost(t, e.sharedInbox, peer, body, http.StatusAccepted)
	if _, ok := e.object(t, noteID); !ok {
		t.Errorf("note %s not stored", noteID)
	}
}

// hostileMemoryChild is set in the environment of the child process of
// TestInboxHostileBodiesMemory.
const hostileMemoryChild = "MAILLAGE_TEST_HOSTILE_MEMORY_CHILD"

// Sixteen hostile 1 MiB bodies at once leave the process under 100 MB. The
// burst runs in a child process, whose peak resident memory (VmHWM) counts
// only this burst and not the other tests of the package. The race
// detector's shadow memory makes resident memory several times larger, so
// under -race only what the burst allocates is checked: under 8 MiB a
// body, client side included.
func TestInboxHostileBodiesMemory(t *testing.T) {
	if os.Getenv(hostileMemoryChild) != "" {
		hostileBurst(t)
		return
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("needs /proc (Linux) to read the peak resident memory")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestInboxHostileBodiesMemory$", "-test.v")
	cmd.Env = append(os.Environ(), hostileMemoryChild+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	peakKiB, allocated := childFigure(t, out, "peak-rss-kib"), childFigure(t, out, "allocated-bytes")
	t.Logf("child: peak resident memory %d KiB, %d bytes allocated by the burst (race detector: %t)", peakKiB, allocated, raceEnabled)
	if limit := 16 * 8 << 20; allocated > limit {
		t.Errorf("the burst allocated %d bytes, want under %d", allocated, limit)
	}
	if limit := 100 << 10; !raceEnabled && peakKiB > limit {
		t.Errorf("peak resident memory %d KiB, want under %d KiB", peakKiB, limit)
	}
}

// childFigure reads "name N" from the child's output.
func childFigure(t *testing.T, out []byte, name string) int {
	t.Helper()
	i := bytes.Index(out, []byte("\n"+name+" "))
	if i < 0 {
		t.Fatalf("child printed no %s:\n%s", name, out)
	}
	line, _, _ := strings.Cut(string(out[i+len(name)+2:]), "\n")
	n, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func hostileBurst(t *testing.T) {
	local := testenv.Start(t, localIP, testenv.Options{})
	key := newKey(t)
	actor := local.Base + "/orgs/nobody"
	body := hostileBody(actor, 1<<20-64)
	client := &http.Client{Timeout: waitTimeout}
	allocs := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(allocs)
	before := allocs[0].Value.Uint64()
	var wg sync.WaitGroup
	statuses := make([]int, 16)
	for i := range statuses {
		wg.Go(func() {
			req, err := http.NewRequest(http.MethodPost, local.Base+"/inbox", bytes.NewReader(body))
			if err != nil {
				return
			}
			req.Header.Set("Content-Type", contentAS)
			if httpsign.Sign(req, actor+"#main-key", key, body, time.Now()) != nil {
				return
			}
			if resp, err := client.Do(req); err == nil {
				resp.Body.Close()
				statuses[i] = resp.StatusCode
			}
		})
	}
	wg.Wait()
	metrics.Read(allocs)
	fmt.Printf("\nallocated-bytes %d\n", allocs[0].Value.Uint64()-before)
	for i, s := range statuses {
		if s != http.StatusUnauthorized {
			t.Errorf("hostile body %d: status %d, want 401", i, s)
		}
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for l := range strings.SplitSeq(string(status), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			fmt.Printf("\npeak-rss-kib %s\n", strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		}
	}
}
