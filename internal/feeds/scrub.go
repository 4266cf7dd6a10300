package feeds

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// emailRemoved stands in for an e-mail address found in exported text.
const emailRemoved = "[e-mail removed]"

// scrubText replaces every e-mail-looking substring of s (local@domain.tld,
// with a full-width at sign too) with emailRemoved. It errs on the side of
// removal: a fediverse handle @name@host.tld loses its name@host.tld part,
// because nothing tells it apart from an address.
func scrubText(s string) string {
	var b strings.Builder
	done := 0 // s[:done] has been copied to b or replaced
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isAtSign(r) {
			i += size
			continue
		}
		start, end := localStart(s, done, i), domainEnd(s, i+size)
		if start == i || end == i+size {
			i += size
			continue
		}
		b.WriteString(s[done:start])
		b.WriteString(emailRemoved)
		done, i = end, end
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// hasEmail reports whether s contains an e-mail-looking substring.
func hasEmail(s string) bool { return scrubText(s) != s }

// scrubURL returns u, or "" if it is a mailto: link or contains an e-mail
// address, even percent-encoded: half an URL is worse than none.
func scrubURL(u string) string {
	if (len(u) >= 7 && strings.EqualFold(u[:7], "mailto:")) || hasEmail(u) {
		return ""
	}
	if d, err := url.PathUnescape(u); err == nil && hasEmail(d) {
		return ""
	}
	return u
}

// localStart returns where the local part ending at s[at] begins, not before
// floor; at if there is none.
func localStart(s string, floor, at int) int {
	j := at
	for j > floor {
		r, size := utf8.DecodeLastRuneInString(s[floor:j])
		if !isLocalRune(r) {
			break
		}
		j -= size
	}
	for j < at && (s[j] == '.' || s[j] == '\'') {
		j++
	}
	return j
}

// domainEnd returns where the domain starting at s[from] ends, or from if
// what follows is not a dotted name with a top-level label of two or more
// characters that starts with a letter.
func domainEnd(s string, from int) int {
	j := from
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '.' {
			break
		}
		j += size
	}
	for j > from && (s[j-1] == '.' || s[j-1] == '-') {
		j-- // a full stop or dash ending the sentence
	}
	labels := strings.Split(s[from:j], ".")
	if len(labels) < 2 {
		return from
	}
	for _, l := range labels {
		if l == "" {
			return from
		}
	}
	tld := labels[len(labels)-1]
	if first, _ := utf8.DecodeRuneInString(tld); utf8.RuneCountInString(tld) < 2 || !unicode.IsLetter(first) {
		return from
	}
	return j
}

func isAtSign(r rune) bool { return r == '@' || r == '＠' || r == '﹫' }

func isLocalRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._%+-'", r)
}

// guardCell defuses CSV formula injection (OWASP): a cell that a spreadsheet
// would read as a formula gets a leading apostrophe, which spreadsheets show
// as text and do not display.
func guardCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// httpURL reports whether s is an absolute http or https URL in valid UTF-8
// with no space or control character: safe for a link or an iCalendar URI.
func httpURL(s string) bool {
	if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
