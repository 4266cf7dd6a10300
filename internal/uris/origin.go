package uris

import (
	"net/url"
	"strings"

	"golang.org/x/net/idna"
)

// SameOrigin reports whether two IRIs share scheme and host[:port]: the
// origin rule Mastodon applies to an activity and its object
// (app/lib/activitypub/activity/create.rb, non_matching_uri_hosts?).
// An IRI without a host has no origin, not even its own.
func SameOrigin(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && ua.Host != "" && ua.Scheme == ub.Scheme && ua.Host == ub.Host
}

// Origin is scheme://host[:port] of an IRI as SameOrigin compares them,
// or "" when it has no host: the prefix of every IRI on that server
// written with a lower-case scheme.
func Origin(iri string) string {
	u, err := url.Parse(iri)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// HostOf is the canonical host[:port] of an IRI, or of a bare
// host[:port]: lower case, ASCII (IDNA), without a trailing dot, so that
// "Evil.Example.", "evil.example" and its Unicode spelling are one server.
// It returns "" if there is none, or if s does not parse.
func HostOf(s string) string {
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return ""
	}
	host, port := u.Hostname(), u.Port()
	host = strings.TrimSuffix(host, ".")
	if ascii, err := idna.Lookup.ToASCII(host); err == nil {
		host = ascii
	}
	host = strings.ToLower(host)
	if strings.Contains(host, ":") {
		host = "[" + host + "]" // IPv6
	}
	if port != "" {
		return host + ":" + port
	}
	return host
}
