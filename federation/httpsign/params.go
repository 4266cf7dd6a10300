package httpsign

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// params holds the parameters of a Signature header.
type params struct {
	keyID     string
	algorithm string
	signature string
	// headers are the signed header names, lower-cased, in signing order.
	headers []string
	// created and expires are the raw numeric parameters, "" when absent.
	created string
	expires string
}

// parseParams parses a Signature header value: comma-separated name=value
// pairs, each value a quoted string (no escapes) or, for created and expires,
// a bare number. Unknown parameters are ignored (Mastodon does the same;
// honk rejects them). Duplicates are an error, so that our reading and
// httpsig's can never disagree about which value counts.
func parseParams(s string) (params, error) {
	var p params
	seen := make(map[string]bool, 6)
	headers := "date" // the draft's default when "headers" is absent
	for s = strings.TrimLeft(s, " \t"); s != ""; {
		name, rest, ok := strings.Cut(s, "=")
		name = strings.TrimRight(name, " \t")
		if !ok || !isToken(name) {
			return params{}, fmt.Errorf("malformed parameter %.40q", s)
		}
		rest = strings.TrimLeft(rest, " \t")
		var value string
		if v, quoted := strings.CutPrefix(rest, `"`); quoted {
			end := strings.IndexByte(v, '"')
			if end < 0 {
				return params{}, fmt.Errorf("unterminated value for %q", name)
			}
			value, rest = v[:end], v[end+1:]
		} else {
			end := strings.IndexByte(rest, ',')
			if end < 0 {
				end = len(rest)
			}
			value, rest = strings.TrimSpace(rest[:end]), rest[end:]
			if strings.Contains(value, `"`) {
				return params{}, fmt.Errorf("stray quote in value for %q", name)
			}
		}
		if seen[name] {
			return params{}, fmt.Errorf("duplicate parameter %q", name)
		}
		seen[name] = true
		switch name {
		case "keyId":
			p.keyID = value
		case "algorithm":
			p.algorithm = value
		case "signature":
			p.signature = value
		case "headers":
			headers = value
		case "created":
			p.created = value
		case "expires":
			p.expires = value
		}
		rest = strings.TrimLeft(rest, " \t")
		if rest != "" && rest[0] != ',' {
			return params{}, fmt.Errorf("expected ',' after %q", name)
		}
		s = strings.TrimLeft(strings.TrimPrefix(rest, ","), " \t")
	}
	p.headers = strings.Fields(strings.ToLower(headers))
	return p, p.validate()
}

func (p params) validate() error {
	switch {
	case p.keyID == "":
		return errors.New("missing keyId")
	case p.signature == "":
		return errors.New("missing signature")
	// httpsig splits the header on every comma, even inside quotes, so a
	// comma in a value would let it read parameters we never checked.
	case strings.Contains(p.keyID, ","):
		return errors.New("keyId contains a comma")
	case !isBase64(p.signature):
		return errors.New("signature is not base64")
	case !isDigits(p.created) || !isDigits(p.expires):
		return errors.New("created and expires must be integers")
	case len(p.headers) == 0:
		return errors.New("empty headers list")
	}
	for _, h := range p.headers {
		if !isToken(strings.TrimSuffix(strings.TrimPrefix(h, "("), ")")) {
			return fmt.Errorf("bad header name %.40q", h)
		}
	}
	return nil
}

// canonical re-serialises p for httpsig's verifier, which splits the header on
// every comma and trims quotes: the values we accept never contain commas.
func (p params) canonical() string {
	var b strings.Builder
	// Sized once: grown from nothing, the builder copied the value (most
	// of it the signature) several times over, for every inbox POST.
	n := len(`keyId="",created=,expires=,headers="",signature=""`) + len(p.keyID) + len(p.created) +
		len(p.expires) + len(p.signature)
	for _, h := range p.headers {
		n += len(h) + 1
	}
	b.Grow(n)
	b.WriteString(`keyId="`)
	b.WriteString(p.keyID)
	b.WriteByte('"')
	if p.created != "" {
		b.WriteString(",created=")
		b.WriteString(p.created)
	}
	if p.expires != "" {
		b.WriteString(",expires=")
		b.WriteString(p.expires)
	}
	b.WriteString(`,headers="`)
	for i, h := range p.headers {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(h)
	}
	b.WriteString(`",signature="`)
	b.WriteString(p.signature)
	b.WriteByte('"')
	return b.String()
}

// KeyIDFromRequest returns the keyId parameter of r's Signature header
// without verifying anything, or "" if there is none or it does not parse.
// Use it to pick a key or log the sender; never to authorise.
func KeyIDFromRequest(r *http.Request) string {
	values := r.Header.Values("Signature")
	if len(values) != 1 {
		return ""
	}
	p, err := parseParams(values[0])
	if err != nil {
		return ""
	}
	return p.keyID
}

// isToken reports whether s is a non-empty RFC 9110 token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		isAlnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !isAlnum && !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c)) {
			return false
		}
	}
	return true
}

// isBase64 reports whether s uses only the standard base64 alphabet.
func isBase64(s string) bool {
	for _, c := range []byte(s) {
		isAlnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !isAlnum && c != '+' && c != '/' && c != '=' {
			return false
		}
	}
	return true
}

// isDigits reports whether s is empty or all ASCII digits (at most 18, so it
// fits an int64 as httpsig parses it).
func isDigits(s string) bool {
	if len(s) > 18 {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
