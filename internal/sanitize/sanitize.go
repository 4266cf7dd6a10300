// Package sanitize is the one place that decides which HTML may be shown:
// every HTML string received from another server passes through HTML before
// it is stored, and descriptions written in Markdown are rendered by
// Markdown through the same policy.
package sanitize

import (
	"bytes"
	"html"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Policy cleans remote HTML. It is safe for concurrent use.
type Policy struct {
	p  *bluemonday.Policy
	md goldmark.Markdown
}

// New returns the policy for post and profile HTML: the elements Mastodon
// keeps in statuses (p, br, a, span, del, pre, code, em, strong, b, i, u,
// ul, ol, li, blockquote), http(s) links only, made nofollow and opened
// without referrer; no images, scripts, styles or event attributes.
func New() *Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "span", "del", "pre", "code", "em", "strong", "b", "i", "u", "ul", "ol", "li", "blockquote", "h3", "h4")
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("class").Matching(bluemonday.SpaceSeparatedTokens).OnElements("a", "span")
	p.AllowURLSchemes("http", "https")
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	// goldmark leaves raw HTML out by default; the policy still runs after it.
	md := goldmark.New(goldmark.WithExtensions(extension.Linkify, extension.Strikethrough))
	return &Policy{p: p, md: md}
}

// Markdown renders a description written in Markdown to safe HTML.
// Headings are shifted down (# becomes h3) so that a description never
// competes with the page's own title.
func (p *Policy) Markdown(src string) string {
	var buf bytes.Buffer
	if err := p.md.Convert([]byte(src), &buf); err != nil {
		return "<p>" + html.EscapeString(src) + "</p>"
	}
	out := buf.String()
	for _, h := range [][2]string{{"h6", "h4"}, {"h5", "h4"}, {"h4", "h4"}, {"h3", "h4"}, {"h2", "h4"}, {"h1", "h3"}} {
		out = strings.ReplaceAll(out, "<"+h[0]+">", "<"+h[1]+">")
		out = strings.ReplaceAll(out, "</"+h[0]+">", "</"+h[1]+">")
	}
	return p.p.Sanitize(out)
}

// HTML returns the safe subset of s.
func (p *Policy) HTML(s string) string { return p.p.Sanitize(s) }

// Text returns s with all markup removed and entities decoded, for names and
// other plain-text fields.
func Text(s string) string {
	return strings.TrimSpace(html.UnescapeString(bluemonday.StrictPolicy().Sanitize(s)))
}
