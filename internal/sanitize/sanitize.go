// Package sanitize is the one place that decides which HTML may be shown:
// every HTML string received from another server passes through HTML before
// it is stored, and descriptions written in Markdown are rendered by
// Markdown through the same policy.
package sanitize

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	xhtml "golang.org/x/net/html"
)

// Policy cleans remote HTML. It is safe for concurrent use.
type Policy struct {
	p  *bluemonday.Policy
	md goldmark.Markdown
}

// New returns the policy for post and profile HTML: the elements Mastodon
// keeps in statuses (p, br, a, span, del, pre, code, em, strong, b, i, u,
// ul, ol, li, blockquote), http(s) links only, made nofollow and opened
// without referrer; no images, scripts, styles or event attributes; and
// only the classes Mastodon keeps (isAllowedClass).
func New() *Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "span", "del", "pre", "code", "em", "strong", "b", "i", "u", "ul", "ol", "li", "blockquote", "h3", "h4")
	p.AllowAttrs("href").OnElements("a")
	// HTML keeps only the allowed class tokens before the policy runs; the
	// policy then refuses any class attribute holding another one.
	p.AllowAttrs("class").Matching(allowedClasses).OnElements("a", "span", "p")
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
	return p.p.Sanitize(keepAllowedClasses(out))
}

// HTML returns the safe subset of s.
func (p *Policy) HTML(s string) string {
	if out, ok := plainHTML(s); ok {
		return out
	}
	return p.p.Sanitize(keepAllowedClasses(s))
}

// classToken is one class Mastodon keeps in remote HTML (the
// ALLOWED_CLASS_TRANSFORMER of Mastodon's lib/sanitize_ext/sanitize_config.rb):
// microformats (h-, p-, u-, dt-, e- prefixes, as in h-card and u-url),
// the semantic mention and hashtag, the link formatting invisible and
// ellipsis, and quote-inline. Any other class (this site's own
// error-summary, say) would let a remote author borrow the site's styles.
const classToken = `(?:(?:h|p|u|dt|e)-[A-Za-z0-9_-]*|mention|hashtag|ellipsis|invisible|quote-inline)`

var (
	classTokenRE   = regexp.MustCompile(`^` + classToken + `$`)
	allowedClasses = regexp.MustCompile(`^` + classToken + `(?:[\t\n\f\r ]+` + classToken + `)*$`)
)

// isAllowedClass reports whether remote HTML may keep the class c.
func isAllowedClass(c string) bool { return classTokenRE.MatchString(c) }

// keepAllowedClasses rewrites every class attribute of s to its allowed
// tokens, dropping the attribute when none is left; the rest of s is
// passed on for the policy to judge. Like Mastodon, a link keeps
// "mention" when it also had a foreign class, rather than losing both.
func keepAllowedClasses(s string) string {
	if onlyAllowedClasses(s) {
		return s // nothing to rewrite: no parse
	}
	var b strings.Builder
	z := xhtml.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			return b.String()
		}
		if tt != xhtml.StartTagToken && tt != xhtml.SelfClosingTagToken {
			b.Write(z.Raw())
			continue
		}
		tok := z.Token()
		attrs := tok.Attr[:0]
		for _, a := range tok.Attr {
			if a.Namespace == "" && a.Key == "class" {
				var keep []string
				for _, c := range strings.FieldsFunc(a.Val, isHTMLSpace) {
					if isAllowedClass(c) {
						keep = append(keep, c)
					}
				}
				if len(keep) == 0 {
					continue
				}
				a.Val = strings.Join(keep, " ")
			}
			attrs = append(attrs, a)
		}
		tok.Attr = attrs
		b.WriteString(tok.String())
	}
}

// onlyAllowedClasses reports, without parsing s, that every "class" in it
// (ASCII case ignored, as HTML does for attribute names) is written
// class="..." with only allowed tokens, as Mastodon and GoToSocial write
// them; then keepAllowedClasses has nothing to change. Anything else, in
// markup or in text, is left to the parse.
func onlyAllowedClasses(s string) bool {
	for i := 0; i+len("class") <= len(s); i++ {
		if s[i]|0x20 != 'c' || !strings.EqualFold(s[i:i+len("class")], "class") {
			continue
		}
		v, ok := strings.CutPrefix(s[i+len("class"):], `="`)
		if !ok {
			return false
		}
		end := strings.IndexByte(v, '"')
		if end < 0 || !allowedClasses.MatchString(v[:end]) {
			return false
		}
		i = len(s) - len(v) + end
	}
	return true
}

// isHTMLSpace is ASCII whitespace as HTML defines it (space, tab, LF, FF,
// CR), which separates the tokens of a class attribute.
func isHTMLSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\f' || r == '\r' }

// Text returns s with all markup removed and entities decoded, for names and
// other plain-text fields.
func Text(s string) string {
	return strings.TrimSpace(html.UnescapeString(strictPolicy().Sanitize(s)))
}

// TextOfHTML is Text for what Policy.HTML returned, without parsing it
// again: in that output every '<' of text or of an attribute value is
// escaped, so that markup is exactly what lies between '<' and '>'.
func TextOfHTML(safe string) string {
	if !strings.Contains(safe, "<") {
		return strings.TrimSpace(html.UnescapeString(safe))
	}
	var b strings.Builder
	b.Grow(len(safe))
	for safe != "" {
		i := strings.IndexByte(safe, '<')
		if i < 0 {
			b.WriteString(safe)
			break
		}
		b.WriteString(safe[:i])
		j := strings.IndexByte(safe[i:], '>')
		if j < 0 {
			break
		}
		safe = safe[i+j+1:]
	}
	return strings.TrimSpace(html.UnescapeString(b.String()))
}

// strictPolicy is built once: building one costs more than most texts'
// sanitising, and a built bluemonday policy is safe for concurrent use
// (bluemonday's README, "Usage").
var strictPolicy = sync.OnceValue(bluemonday.StrictPolicy)
