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
	sa, ha, ok1 := SchemeHost(a)
	sb, hb, ok2 := SchemeHost(b)
	return ok1 && ok2 && ha != "" && sa == sb && ha == hb
}

// Origin is scheme://host[:port] of an IRI as SameOrigin compares them,
// or "" when it has no host: the prefix of every IRI on that server
// written with a lower-case scheme.
func Origin(iri string) string {
	scheme, host, ok := SchemeHost(iri)
	if !ok || host == "" {
		return ""
	}
	return scheme + "://" + host
}

// SchemeHost is url.Parse's Scheme and Host of s, ok false when it does
// not parse. IRIs as servers write them (https://host/path, lower-case
// scheme, no user, no escapes) are read without url.Parse, which
// allocates the URL: the inbox compares origins several times an
// activity. TestSchemeHostAsParse checks the two agree.
func SchemeHost(s string) (scheme, host string, ok bool) {
	if scheme, host, ok := plainSchemeHost(s); ok {
		return scheme, host, true
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", "", false
	}
	return u.Scheme, u.Host, true
}

// Canonical is s as net/url writes it back (url.Parse, then String), ok
// false when it does not parse. An IRI written as servers write them is
// returned as is, without parsing it (TestCanonicalAsURL).
func Canonical(s string) (string, bool) {
	if _, _, ok := plainSchemeHost(s); ok {
		// No escapes and a lower-case scheme: only an empty or second
		// fragment would be written back otherwise.
		if i := strings.IndexByte(s, '#'); i < 0 || i < len(s)-1 && strings.IndexByte(s[i+1:], '#') < 0 {
			return s, true
		}
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", false
	}
	return u.String(), true
}

// plainSchemeHost reads s when it is made of a lower-case scheme, "://",
// a host of letters, digits, dots and hyphens with an optional port, and
// a path, query and fragment of URL characters other than %. ok is false
// for anything else, left to url.Parse.
func plainSchemeHost(s string) (scheme, host string, ok bool) {
	i := strings.Index(s, "://")
	if i <= 0 {
		return "", "", false
	}
	scheme = s[:i]
	for j := 0; j < len(scheme); j++ {
		c := scheme[j]
		if !('a' <= c && c <= 'z' || j > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return "", "", false
		}
	}
	rest := s[i+3:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	host = rest[:end]
	colon := strings.IndexByte(host, ':')
	for j := 0; j < len(host); j++ {
		c := host[j]
		switch {
		case colon >= 0 && j > colon:
			if c < '0' || c > '9' {
				return "", "", false
			}
		case j == colon:
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '-':
		default:
			return "", "", false
		}
	}
	if colon >= 0 && (colon == len(host)-1 || len(host)-colon-1 > 5) {
		return "", "", false
	}
	for j := end; j < len(rest); j++ {
		c := rest[j]
		if c <= ' ' || c >= 0x7f || c == '%' || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' || c == '{' || c == '|' || c == '}' {
			return "", "", false
		}
	}
	return scheme, host, true
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
