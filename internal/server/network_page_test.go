package server_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/config"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/web/webtest"
	"codeberg.org/maillage/maillage/store"
)

// fastNetwork makes an instance look for servers due every 50 ms.
func fastNetwork(c *config.Config) { c.NetworkCheck = 50 * time.Millisecond }

// TestNetworkPage: A's instance follows B's, C's organisation follows
// A's, and a Mastodon-like server's actor follows A's organisation. A's
// network page lists B with the name and counts of its NodeInfo; C and the
// Mastodon-like server, known only by a follower's account, is listed for
// A's administrator alone (who may follow it back), not on the public page
// (finding 7, found in review): which servers people follow from is theirs
// to show. C, a maillage instance, is on both. The page reads in English
// and French.
func TestNetworkPage(t *testing.T) {
	a := testenv.Start(t, "127.0.0.220", testenv.Options{Configure: fastNetwork})
	b := testenv.Start(t, "127.0.0.221", testenv.Options{})
	c := testenv.Start(t, "127.0.0.222", testenv.Options{})
	ctx := context.Background()
	for _, x := range []struct {
		in   *testenv.Instance
		name string
	}{{b, "Réseau Bretagne"}, {c, "Wallonie solidaire"}} {
		if _, err := x.in.Server.Service.UpdateInstance(ctx, service.System("test"), service.InstanceInput{
			Name: x.name, Region: "Région " + x.in.IP, Languages: []string{"fr"}}); err != nil {
			t.Fatal(err)
		}
	}
	publish(t, b, "coop", projectInput())
	publish(t, b, "coop", callInput())
	publish(t, b, "coop", callInput())
	publish(t, c, "coop", projectInput())

	follow(t, a, model.InstanceName, b.Host)
	follow(t, c, "coop", a.Handle("coop"))
	mastodon := startNodeInfoServer(t, "127.0.0.223", `{"version":"2.0","software":{"name":"mastodon","version":"4.3.2"},
		"protocols":["activitypub"],"services":{"inbound":[],"outbound":[]},"openRegistrations":true,
		"usage":{"users":{"total":10}},"metadata":{"nodeName":"Masto"}}`)
	storeFollower(t, a, mastodon.base+"/users/alice")

	admin := webtest.AdminOn(t, a)
	var body string
	testenv.WaitFor(t, wait, "A's network page lists B, C and, for its administrator, the other server, with their counts", func() bool {
		_, body = admin.Get("/network?lang=en")
		return strings.Contains(body, "Réseau Bretagne") && strings.Contains(body, "Wallonie solidaire") &&
			strings.Contains(body, "open calls: <strong>2</strong>") && strings.Contains(body, "mastodon 4.3.2")
	})
	for _, want := range []string{
		`<a href="` + c.Base + `/">Wallonie solidaire</a>`, "maillage instances (2)", "Other fediverse servers (1)",
		mastodon.host, "follower",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("administrator's network page lacks %q", want)
		}
	}
	// The administrator may follow C's instance, not B's (followed).
	if n := strings.Count(body, `action="/admin/orgs/instance/follow"`); n != 1 ||
		!strings.Contains(body, `name="target" value="`+c.Actor(model.InstanceName)+`"`) {
		t.Errorf("admin page: %d follow forms, want one for C's instance actor:\n%s", n, body)
	}

	_, raw := a.Get(a.Base+"/network?lang=en", "text/html")
	page := string(raw)
	for _, want := range []string{
		`<a href="` + b.Base + `/">Réseau Bretagne</a>`, "Région 127.0.0.221", "projects: <strong>1</strong>",
		`<a href="` + c.Base + `/">Wallonie solidaire</a>`, "maillage instances (2)", "followed", "follower",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("network page lacks %q", want)
		}
	}
	// Each instance's organisations, projects and open calls, from its NodeInfo.
	if n := strings.Count(page, "Organisations: <strong>1</strong> · projects: <strong>1</strong>"); n != 2 {
		t.Errorf("network page shows the counts of %d instances, want B's and C's:\n%s", n, page)
	}
	if strings.Contains(page, mastodon.host) || strings.Contains(page, "Masto<") ||
		strings.Contains(page, `action="/admin/orgs/instance/follow"`) {
		t.Errorf("the anonymous page shows a server known only by a follower's account, or a follow button:\n%s", page)
	}
	if _, dir := a.Get(a.Base+"/directory?lang=en", "text/html"); !strings.Contains(string(dir), `<a href="/network">`) {
		t.Error("the directory does not link to the network page")
	}
	_, fr := a.Get(a.Base+"/network?lang=fr", "text/html")
	if !strings.Contains(string(fr), "Instances maillage (2)") || !strings.Contains(string(fr), "appels ouverts") {
		t.Errorf("French page:\n%s", fr)
	}

}

// TestNetworkRefreshBounded: each known server's NodeInfo is read once per
// refresh period, whatever the number of checks, and no more servers than
// the maximum are kept or read.
func TestNetworkRefreshBounded(t *testing.T) {
	clock := testenv.NewClock(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))
	a := testenv.Start(t, "127.0.0.224", testenv.Options{Now: clock.Now, Configure: func(c *config.Config) {
		fastNetwork(c)
		c.NetworkRefresh, c.NetworkMax = time.Hour, 3
	}})
	doc := `{"version":"2.1","software":{"name":"maillage","version":"1"},"protocols":["activitypub"],
		"services":{"inbound":[],"outbound":[]},"openRegistrations":false,"usage":{"users":{}},
		"metadata":{"maillage":{"name":"N","organisations":4}}}`
	var hs []*nodeInfoServer
	for _, ip := range []string{"127.0.0.225", "127.0.0.226", "127.0.0.227", "127.0.0.228"} {
		hs = append(hs, startNodeInfoServer(t, ip, doc))
	}
	read := func(h *nodeInfoServer, n int) func() bool { return func() bool { return h.reads() >= n } }

	storeFollower(t, a, hs[0].base+"/actor")
	storeFollower(t, a, hs[1].base+"/actor")
	testenv.WaitFor(t, wait, "first two servers read", func() bool { return read(hs[0], 1)() && read(hs[1], 1)() })

	clock.Advance(30 * time.Minute)
	storeFollower(t, a, hs[2].base+"/actor")
	testenv.WaitFor(t, wait, "third server read", read(hs[2], 1))
	if hs[0].reads() != 1 || hs[1].reads() != 1 {
		t.Errorf("reads within the period: %d and %d, want 1 each", hs[0].reads(), hs[1].reads())
	}

	storeFollower(t, a, hs[3].base+"/actor") // beyond the maximum of 3
	clock.Advance(31 * time.Minute)
	testenv.WaitFor(t, wait, "first server read again after the period", read(hs[0], 2))
	testenv.WaitFor(t, wait, "second server read again after the period", read(hs[1], 2))
	if n := hs[3].reads(); n != 0 {
		t.Errorf("a server beyond the maximum was read %d times", n)
	}
	var peers []model.Peer
	_ = a.Server.Store.View(func(tx *store.Tx) error { peers, _ = tx.Peers(); return nil })
	if len(peers) != 3 {
		t.Errorf("%d servers kept, want 3", len(peers))
	}
	for _, p := range peers {
		if p.Orgs != 4 || !p.Maillage {
			t.Errorf("peer %s = %+v", p.Host, p)
		}
	}
}

// nodeInfoServer serves a NodeInfo index and document, counting the
// reads of the document.
type nodeInfoServer struct {
	base, host string
	mu         sync.Mutex
	n          int
}

func (s *nodeInfoServer) reads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

func startNodeInfoServer(t *testing.T, ip, doc string) *nodeInfoServer {
	t.Helper()
	return startNodeInfoHandler(t, ip, func(s *nodeInfoServer, w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/.well-known/nodeinfo":
			_ = json.NewEncoder(w).Encode(map[string]any{"links": []any{
				map[string]any{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": s.base + "/nodeinfo/2.1"}}})
		case "/nodeinfo/2.1":
			s.mu.Lock()
			s.n++
			s.mu.Unlock()
			_, _ = w.Write([]byte(doc))
		default:
			http.NotFound(w, r)
		}
	})
}

func startNodeInfoHandler(t *testing.T, ip string, h func(*nodeInfoServer, http.ResponseWriter, *http.Request)) *nodeInfoServer {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Fatalf("listen on %s: %v", ip, err)
	}
	s := &nodeInfoServer{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h(s, w, r) }))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	s.base, s.host = srv.URL, ln.Addr().String()
	return s
}

// storeActor stores a remote actor on in, as a received one would be.
func storeFollower(t *testing.T, in *testenv.Instance, id string) {
	t.Helper()
	host := strings.TrimPrefix(strings.TrimPrefix(id, "http://"), "https://")
	host = host[:strings.IndexByte(host, '/')]
	err := in.Server.Store.Update(func(tx *store.Tx) error {
		if err := tx.PutActor(model.Actor{ID: id, Type: "Person", Username: "alice", Host: host, Inbox: id + "/inbox", KeyID: id + "#main-key"}); err != nil {
			return err
		}
		return tx.PutFollower("coop", model.Follower{Actor: id, Inbox: id + "/inbox", FollowID: id + "#follow"})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestNetworkPokedByFollows: a follow accepted either way brings the next
// NodeInfo check forward, so each instance lists the other without
// waiting for its periodic check (an hour here).
func TestNetworkPokedByFollows(t *testing.T) {
	hourly := func(c *config.Config) { c.NetworkCheck = time.Hour }
	a := testenv.Start(t, "127.0.0.57", testenv.Options{Configure: hourly})
	b := testenv.Start(t, "127.0.0.58", testenv.Options{Configure: hourly})
	follow(t, b, model.InstanceName, a.Host)
	waitAccepted(t, b, model.InstanceName, a.Actor(model.InstanceName))
	for _, x := range []struct{ in, other *testenv.Instance }{{a, b}, {b, a}} {
		testenv.WaitFor(t, wait, x.in.Host+"'s network page to list "+x.other.Host, func() bool {
			_, body := x.in.Get(x.in.Base+"/network?lang=en", "text/html")
			return strings.Contains(string(body), `<a href="`+x.other.Base+`/">`) && strings.Contains(string(body), "maillage instances (1)")
		})
	}
}
