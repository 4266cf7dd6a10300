package demo

import (
	"errors"
	"fmt"
	"net"
	"strconv"
)

// listenFunc opens a listener, like net.Listen.
type listenFunc func(network, addr string) (net.Listener, error)

// fallbackIP is the one loopback address every system has.
const fallbackIP = "127.0.0.1"

// defaultIPs are 127.0.0.2, 127.0.0.3, … : one address per instance, so
// that every instance has its own host, as on the real network.
func defaultIPs(n int) []string {
	ips := make([]string, n)
	for i := range ips {
		ips[i] = "127.0.0." + strconv.Itoa(2+i)
	}
	return ips
}

// listenAll opens one listener per address, on port (any free port of that
// address when port is 0 or taken). When an address cannot be bound at all
// (macOS, for one, only has 127.0.0.1 unless told otherwise), every instance
// moves to 127.0.0.1 on its own port instead, and fellBack is true.
//
// listen is net.Listen, replaceable in tests.
func listenAll(listen listenFunc, ips []string, port int) (lns []net.Listener, fellBack bool, err error) {
	lns, err = listenEach(listen, ips, func(int) int { return port })
	if err == nil {
		return lns, false, nil
	}
	same := make([]string, len(ips))
	for i := range same {
		same[i] = fallbackIP
	}
	lns, ferr := listenEach(listen, same, func(i int) int {
		if port == 0 {
			return 0
		}
		return port + 1 + i // port itself is left to a `maillage serve` on 127.0.0.1
	})
	if ferr != nil {
		return nil, false, errors.Join(err, ferr)
	}
	return lns, true, nil
}

// listenEach listens on every ips[i] at port(i), or at any free port of
// ips[i] if that one is taken; it closes what it opened on failure.
func listenEach(listen listenFunc, ips []string, port func(i int) int) ([]net.Listener, error) {
	var lns []net.Listener
	for i, ip := range ips {
		ln, err := listen("tcp", net.JoinHostPort(ip, strconv.Itoa(port(i))))
		if err != nil && port(i) != 0 {
			ln, err = listen("tcp", net.JoinHostPort(ip, "0"))
		}
		if err != nil {
			for _, l := range lns {
				l.Close()
			}
			return nil, fmt.Errorf("demo: listen on %s: %w", ip, err)
		}
		lns = append(lns, ln)
	}
	return lns, nil
}
