package demo

import (
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
)

// TestListenTakenPort checks that a taken port moves that instance to a
// free port of the same address.
func TestListenTakenPort(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.64:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	port := busy.Addr().(*net.TCPAddr).Port
	lns, fellBack, err := listenAll(net.Listen, []string{"127.0.0.64", "127.0.0.65"}, port)
	if err != nil {
		t.Fatal(err)
	}
	defer closeAll(lns)
	if fellBack || len(lns) != 2 {
		t.Fatalf("fell back %t, %d listeners; want no fallback and 2", fellBack, len(lns))
	}
	a, b := lns[0].Addr().(*net.TCPAddr), lns[1].Addr().(*net.TCPAddr)
	if a.IP.String() != "127.0.0.64" || a.Port == port {
		t.Errorf("first listener on %s, want 127.0.0.64 on a port other than the taken %d", a, port)
	}
	if want := "127.0.0.65:" + strconv.Itoa(port); b.String() != want {
		t.Errorf("second listener on %s, want %s", b, want)
	}
}

// TestListenFallsBackTo127001: where only 127.0.0.1 can be bound, every
// instance gets its own port on it (the failing listen stands in for a
// system without the other loopback addresses).
func TestListenFallsBackTo127001(t *testing.T) {
	onlyLocalhost := func(network, addr string) (net.Listener, error) {
		host, _, _ := net.SplitHostPort(addr)
		if host != fallbackIP {
			return nil, errors.New("cannot assign requested address")
		}
		return net.Listen(network, addr)
	}
	lns, fellBack, err := listenAll(onlyLocalhost, []string{"127.0.0.66", "127.0.0.67", "127.0.0.68"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		for _, l := range lns {
			l.Close()
		}
	}()
	if !fellBack || len(lns) != 3 {
		t.Fatalf("fellBack %t with %d listeners, want true and 3", fellBack, len(lns))
	}
	ports := map[string]bool{}
	for _, l := range lns {
		host, port, _ := net.SplitHostPort(l.Addr().String())
		if host != fallbackIP || ports[port] {
			t.Errorf("listener on %s: want 127.0.0.1 on a port of its own", l.Addr())
		}
		ports[port] = true
	}
}

// TestDemoRefusesNonLoopback: the demo allows private fetches and prints
// secrets, so it never listens beyond this machine.
func TestDemoRefusesNonLoopback(t *testing.T) {
	for _, ip := range []string{"0.0.0.0", "::", "10.0.0.1", "not-an-ip"} {
		_, err := Start(t.Context(), Options{Instances: 1, IPs: []string{ip}, Out: io.Discard})
		if err == nil || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("Start with %q: err = %v, want a refusal", ip, err)
		}
	}
}
