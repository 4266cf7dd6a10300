package feeds

import (
	"crypto/sha1"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// maxLineOctets is the longest content line RFC 5545 section 3.1 allows,
// not counting the CRLF.
const maxLineOctets = 75

// contentWriter writes iCalendar content lines, folded and CRLF-terminated.
// The first write error sticks and later writes do nothing.
type contentWriter struct {
	w   io.StringWriter
	err error
}

// prop writes "name:value", where name may carry parameters and value is
// already escaped for its type. Lines longer than 75 octets are folded
// (CRLF and a space), never inside a UTF-8 sequence.
func (c *contentWriter) prop(name, value string) {
	line := name + ":" + value
	limit := maxLineOctets
	for len(line) > limit {
		cut := limit
		for cut > limit-utf8.UTFMax+1 && !utf8.RuneStart(line[cut]) {
			cut-- // a rune starts at most UTFMax-1 octets back
		}
		c.write(line[:cut])
		c.write("\r\n ")
		line = line[cut:]
		limit = maxLineOctets - 1 // the leading space counts
	}
	c.write(line)
	c.write("\r\n")
}

func (c *contentWriter) write(s string) {
	if c.err == nil {
		_, c.err = c.w.WriteString(s)
	}
}

// escapeText escapes a TEXT value (RFC 5545 section 3.3.11): backslash,
// semicolon and comma get a backslash, a line break of any kind becomes \n.
// Other control characters, which TEXT does not allow, are dropped, and
// invalid UTF-8 becomes U+FFFD.
func escapeText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		switch {
		case r == '\\' || r == ';' || r == ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\r' && strings.HasPrefix(s[i+1:], "\n"):
			// the \n that follows is the line break
		case r == '\r' || r == '\n':
			b.WriteString(`\n`)
		case r == '\t' || (r >= 0x20 && r != 0x7f):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// uuidV5URL returns the version 5 UUID of name in the URL namespace
// (RFC 9562 section 5.5), as uuid.uuid5(uuid.NAMESPACE_URL, name) does.
func uuidV5URL(name string) string {
	const namespaceURL = "\x6b\xa7\xb8\x11\x9d\xad\x11\xd1\x80\xb4\x00\xc0\x4f\xd4\x30\xc8"
	h := sha1.Sum([]byte(namespaceURL + name))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}
