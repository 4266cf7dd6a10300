// Package sanitize is the one place that decides which remote HTML may be
// shown. Every HTML string received from another server passes through
// HTML before it is stored, and again never needs trusting afterwards.
package sanitize

import (
	"html"
	"strings"

	"github.com/microcosm-cc/bluemonday"
)

// Policy cleans remote HTML. It is safe for concurrent use.
type Policy struct {
	p *bluemonday.Policy
}

// New returns the policy for post and profile HTML: the elements Mastodon
// keeps in statuses (p, br, a, span, del, pre, code, em, strong, b, i, u,
// ul, ol, li, blockquote), http(s) links only, made nofollow and opened
// without referrer; no images, scripts, styles or event attributes.
func New() *Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "span", "del", "pre", "code", "em", "strong", "b", "i", "u", "ul", "ol", "li", "blockquote")
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("class").Matching(bluemonday.SpaceSeparatedTokens).OnElements("a", "span")
	p.AllowURLSchemes("http", "https")
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	return &Policy{p: p}
}

// HTML returns the safe subset of s.
func (p *Policy) HTML(s string) string { return p.p.Sanitize(s) }

// Text returns s with all markup removed and entities decoded, for names and
// other plain-text fields.
func Text(s string) string {
	return strings.TrimSpace(html.UnescapeString(bluemonday.StrictPolicy().Sanitize(s)))
}
