package safehttp

import (
	"errors"
	"fmt"
	"net/netip"
	"syscall"
)

// ErrForbiddenAddress is wrapped by the error a request fails with when its
// destination resolves to an address that is not allowed. It survives the
// *url.Error and *net.OpError wrappers, so test it with errors.Is.
var ErrForbiddenAddress = errors.New("safehttp: destination address not allowed")

// nonPublic lists the IANA special-purpose ranges that are not globally
// reachable unicast (RFC 6890 registries), beyond what netip's predicates
// cover. It is read-only.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network" (RFC 791)
	netip.MustParsePrefix("100.64.0.0/10"),   // shared address space, CGNAT (RFC 6598)
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments (RFC 6890)
	netip.MustParsePrefix("192.0.2.0/24"),    // TEST-NET-1 (RFC 5737)
	netip.MustParsePrefix("192.88.99.0/24"),  // 6to4 relay anycast, deprecated (RFC 7526)
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking (RFC 2544)
	netip.MustParsePrefix("198.51.100.0/24"), // TEST-NET-2 (RFC 5737)
	netip.MustParsePrefix("203.0.113.0/24"),  // TEST-NET-3 (RFC 5737)
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and 255.255.255.255 broadcast (RFC 1112)
	netip.MustParsePrefix("2001::/23"),       // IETF protocol assignments, Teredo (RFC 2928, 4380)
	netip.MustParsePrefix("2001:db8::/32"),   // documentation (RFC 3849)
	netip.MustParsePrefix("2002::/16"),       // 6to4, embeds an IPv4 address (RFC 3056)
	netip.MustParsePrefix("3fff::/20"),       // documentation (RFC 9637)
}

// globalUnicast6 is the only IPv6 range allocated for global unicast; it
// excludes 64:ff9b::/96 (NAT64), 100::/64 (discard), fc00::/7, fe80::/10,
// fec0::/10, ff00::/8 and the IPv4-compatible ::/96 in one test.
var globalUnicast6 = netip.MustParsePrefix("2000::/3")

// IsPublicIP reports whether ip is a globally routable unicast address: not
// loopback, private (RFC 1918, fc00::/7), link-local, multicast,
// unspecified, CGNAT, broadcast, documentation, benchmarking, reserved, NAT64
// or 6to4. IPv4-mapped IPv6 addresses are judged as the IPv4 address they
// hold; zoned addresses are never public.
func IsPublicIP(ip netip.Addr) bool {
	if !ip.IsValid() || ip.Zone() != "" {
		return false
	}
	ip = ip.Unmap()
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() || ip.IsMulticast() ||
		ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() {
		return false
	}
	if ip.Is6() && !globalUnicast6.Contains(ip) {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// dialGuard returns a net.Dialer Control function that refuses to connect
// to an address allowed rejects. It runs after DNS resolution and before
// connect, once per address tried, so no packet reaches a refused address.
func dialGuard(allowed func(netip.Addr) bool) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("%w: %s %q: %w", ErrForbiddenAddress, network, address, err)
		}
		if !allowed(ap.Addr()) {
			return fmt.Errorf("%w: %s", ErrForbiddenAddress, ap.Addr())
		}
		return nil
	}
}
