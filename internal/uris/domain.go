package uris

import (
	"net"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// Domain is the registrable domain of an IRI's host (or of a bare
// host[:port]): the public suffix plus one label ("a.evil.example" and
// "b.evil.example" are both "evil.example"; "x.github.io" stays itself),
// lower case, without port or trailing dot. It is the unit one owner
// controls, so limits counted per Domain cannot be multiplied with
// wildcard subdomains. An IP literal is its own domain, without its port;
// "" when there is no host.
func Domain(s string) string {
	hostPort := HostOf(s)
	if hostPort == "" {
		return ""
	}
	host := hostPort
	if h, _, err := net.SplitHostPort(hostPort); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if net.ParseIP(host) != nil {
		return host
	}
	if d, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return d
	}
	return host // a bare suffix ("localhost", "example"): itself
}
