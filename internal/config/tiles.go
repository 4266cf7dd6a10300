package config

import (
	"fmt"
	"net/url"
	"strings"
)

// TileOrigin checks a tile URL template and returns its origin
// (scheme://host[:port]), the one other host the directory's page may load
// images from. The template has {z}, {x} and {y}, and may have Leaflet's
// {s} (subdomain, refused: the origin would not be one host) or {r}.
func TileOrigin(tmpl string) (string, error) {
	bad := func(why string) (string, error) {
		return "", fmt.Errorf("tile-url: %q %s", tmpl, why)
	}
	for _, p := range []string{"{z}", "{x}", "{y}"} {
		if !strings.Contains(tmpl, p) {
			return bad("needs {z}, {x} and {y}")
		}
	}
	if len(tmpl) > 500 {
		return bad("is too long")
	}
	u, err := url.Parse(tmpl)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https"):
		return bad("must be an http(s):// URL template")
	case strings.ContainsAny(u.Host, "{}"):
		return bad("must name one host ({s} subdomains are not supported)")
	case u.User != nil:
		return bad("must have no user")
	case strings.ContainsAny(tmpl, "'\"<> \\;"):
		return bad("has characters not allowed in a URL")
	}
	return u.Scheme + "://" + u.Host, nil
}
