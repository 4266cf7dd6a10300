package demo

import (
	"net"
	"strconv"
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
	lns, fellBack, err := listenAll([]string{"127.0.0.64", "127.0.0.65"}, port)
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
