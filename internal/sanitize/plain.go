package sanitize

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// plainHTML returns what the policy would make of s when s is written the
// way Mastodon writes a post (app/lib/text_formatter.rb): text in <p> and
// <br />, with links, mentions and hashtags as <a href="…" class="…"> and
// <span class="…">. It does so without running the policy: bluemonday
// tokenizes every string with a 4 KiB buffer and re-serialises each token,
// about 9 KB and 75 allocations for a post with one mention. ok is false
// for anything else, which then goes through the policy.
//
// The output equals the policy's byte for byte (TestPlainHTMLAsPolicy
// checks it on random strings):
//   - the tags are ones it keeps; it writes <br /> as <br/>, drops every
//     attribute but a link's href and an allowed class, and gives each
//     link rel="nofollow noreferrer noopener" target="_blank";
//   - a link's href is an absolute http(s) URL that net/url writes back
//     unchanged (bluemonday keeps url.Parse's String), entities in it
//     limited to &amp;;
//   - the text holds no character it would escape differently
//     (x/net/html's escape writes &amp; &#39; &lt; &gt; &#34; and &#13;,
//     so Mastodon's &quot; becomes &#34;) nor NUL (replaced by the
//     tokenizer);
//   - links and spans are closed in order, as the policy does not repair
//     nesting: what would need it is left to the policy.
func plainHTML(s string) (out string, ok bool) {
	if !utf8.ValidString(s) {
		return "", false
	}
	var b strings.Builder
	copied := 0 // s[:copied] is in b or, while b is empty, unchanged
	// rewrite replaces s[i:i+n] with with in the output.
	rewrite := func(i, n int, with string) {
		if b.Len() == 0 {
			b.Grow(len(s) + 96)
		}
		b.WriteString(s[copied:i])
		b.WriteString(with)
		copied = i + n
	}
	var open []byte // 'a' and 's' (span) not yet closed
	var stack [8]byte
	open = stack[:0]
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			t, ok := readTag(s[i:])
			if !ok {
				return "", false
			}
			switch {
			case t.end && (t.name == "a" || t.name == "span"):
				if len(open) == 0 || open[len(open)-1] != t.name[0] {
					return "", false
				}
				open = open[:len(open)-1]
			case t.name == "a" || t.name == "span":
				if t.name == "a" && (t.href == "" || len(open) > 0 && open[len(open)-1] == 'a') {
					return "", false // a link needs an href; a link in a link is left to the policy
				}
				if len(open) == cap(stack) {
					return "", false
				}
				open = append(open, t.name[0])
			}
			if t.out != s[i:i+t.n] {
				rewrite(i, t.n, t.out)
			}
			i += t.n
		case '&':
			n := plainEntityLen(s[i:])
			if n == 0 {
				return "", false
			}
			if s[i:i+n] == "&quot;" {
				rewrite(i, n, "&#34;")
			}
			i += n
		case '>', '\'', '"', '\r', 0:
			return "", false
		default:
			i++
		}
	}
	if len(open) > 0 {
		return "", false
	}
	if b.Len() == 0 {
		return s, true
	}
	b.WriteString(s[copied:])
	return b.String(), true
}

// tag is one tag plainHTML takes: its length in s and what the policy
// writes for it.
type tag struct {
	name string // p, br, a or span
	end  bool
	href string // an a's href, as written (entities included)
	n    int
	out  string
}

// readTag reads the tag at the start of s, written exactly as Mastodon
// writes it: lower case, attributes separated by one space and quoted
// with ", each at most once.
func readTag(s string) (tag, bool) {
	for _, t := range []struct{ in, out, name string }{
		{"<p>", "<p>", "p"}, {"</p>", "</p>", "p"}, {"<br>", "<br>", "br"}, {"<br/>", "<br/>", "br"},
		{"<br />", "<br/>", "br"}, {"</a>", "</a>", "a"}, {"</span>", "</span>", "span"},
	} {
		if strings.HasPrefix(s, t.in) {
			return tag{name: t.name, end: t.in[1] == '/', n: len(t.in), out: t.out}, true
		}
	}
	var t tag
	switch {
	case strings.HasPrefix(s, "<a "):
		t.name = "a"
	case strings.HasPrefix(s, "<span"):
		t.name = "span"
	default:
		return t, false
	}
	i := 1 + len(t.name)
	var class string
	hrefFirst := false
	var seen uint8 // attributes read, by bit (attrBit)
	for {
		if i >= len(s) {
			return t, false
		}
		if s[i] == '>' {
			i++
			break
		}
		if s[i] != ' ' {
			return t, false
		}
		i++
		eq := strings.Index(s[i:], `="`)
		if eq <= 0 {
			return t, false
		}
		key := s[i : i+eq]
		i += eq + 2
		end := strings.IndexByte(s[i:], '"')
		bit := attrBit(key)
		if end < 0 || bit == 0 || seen&bit != 0 {
			return t, false
		}
		seen |= bit
		val := s[i : i+end]
		i += end + 1
		switch {
		case key == "class":
			if !allowedClasses.MatchString(val) || !singleSpaced(val) {
				return t, false
			}
			class = val
			hrefFirst = t.href != ""
		case key == "href" && t.name == "a":
			if !plainURL(val) {
				return t, false
			}
			t.href = val
		case key == "translate" && val == "no",
			key == "target" && val == "_blank" && t.name == "a",
			key == "rel" && t.name == "a" && plainRel(val):
			// dropped by the policy, which writes its own rel and target
		default:
			return t, false
		}
	}
	t.n = i
	var b strings.Builder
	b.WriteString("<" + t.name)
	if t.href != "" && (hrefFirst || class == "") {
		b.WriteString(` href="` + t.href + `"`)
	}
	if class != "" {
		b.WriteString(` class="` + class + `"`)
	}
	if t.href != "" && !hrefFirst && class != "" {
		b.WriteString(` href="` + t.href + `"`)
	}
	if t.name == "a" {
		b.WriteString(` rel="nofollow noreferrer noopener" target="_blank"`)
	}
	b.WriteString(">")
	t.out = b.String()
	return t, true
}

// attrBit is the bit of an attribute plainHTML may meet, 0 for any other.
func attrBit(key string) uint8 {
	switch key {
	case "href":
		return 1
	case "class":
		return 2
	case "rel":
		return 4
	case "target":
		return 8
	case "translate":
		return 16
	}
	return 0
}

// singleSpaced reports whether the class tokens of v are separated by one
// space each, with none around them.
func singleSpaced(v string) bool {
	return !strings.Contains(v, "  ") && strings.TrimSpace(v) == v && !strings.ContainsAny(v, "\t\n\f\r")
}

func plainRel(v string) bool {
	for _, c := range v {
		if (c < 'a' || c > 'z') && c != ' ' {
			return false
		}
	}
	return true
}

// plainURL reports whether v, an href as written, is an absolute http(s)
// URL that the policy keeps exactly as written: only &amp; as entity, no
// character the escaper would rewrite, and net/url giving it back as is.
func plainURL(v string) bool {
	if !strings.HasPrefix(v, "https://") && !strings.HasPrefix(v, "http://") {
		return false
	}
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '&':
			if !strings.HasPrefix(v[i:], "&amp;") {
				return false
			}
		case c <= ' ' || c >= 0x7f || c == '<' || c == '>' || c == '\'' || c == '"' || c == '\\':
			return false
		}
	}
	raw := strings.ReplaceAll(v, "&amp;", "&")
	u, err := url.Parse(raw)
	return err == nil && u.Host != "" && u.String() == raw
}

func plainEntityLen(s string) int {
	for _, e := range []string{"&amp;", "&lt;", "&gt;", "&#39;", "&#34;", "&quot;"} {
		if strings.HasPrefix(s, e) {
			return len(e)
		}
	}
	return 0
}
