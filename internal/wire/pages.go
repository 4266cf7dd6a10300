package wire

import "strings"

// The admin API's listings answer one page at a time: a JSON array, and
// when more entries follow, a Link header (RFC 8288) to the next page,
// whose URL is the same path and query with ?after= set to an opaque
// cursor. Pages are bounded by ?limit= (100 by default, at most 1000).

// NextLink is the Link header value pointing to the next page at uri.
func NextLink(uri string) string { return "<" + uri + `>; rel="next"` }

// NextOf finds the rel="next" target in a Link header value, "" if none.
func NextOf(link string) string {
	for part := range strings.SplitSeq(link, ",") {
		target, params, ok := strings.Cut(strings.TrimSpace(part), ";")
		if !ok || !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
			continue
		}
		for p := range strings.SplitSeq(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(k, "rel") && strings.Trim(v, `"`) == "next" {
				return target[1 : len(target)-1]
			}
		}
	}
	return ""
}
