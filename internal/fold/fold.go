// Package fold is how maillage compares text the way people search it:
// case and accents ignored, so "Économie", "economie" and "ÉCONOMIE" are
// one word. The directory's search, the gazetteer and the importer's
// category and duplicate matching all fold through it, so that a word
// typed in one place finds what another place stored.
package fold

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// String returns s lower-cased, without accents, and with the letters that
// do not decompose spelt out ("Œuvre" is "oeuvre", "Łódź" "lodz",
// "Straße" "strasse"). Typographic apostrophes become "'".
func String(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	s = norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		switch r = unicode.ToLower(r); r {
		case 'œ':
			b.WriteString("oe")
		case 'æ':
			b.WriteString("ae")
		case 'ß':
			b.WriteString("ss")
		case 'þ':
			b.WriteString("th")
		case 'ø':
			b.WriteByte('o')
		case 'ł':
			b.WriteByte('l')
		case 'đ', 'ð':
			b.WriteByte('d')
		case 'ı':
			b.WriteByte('i')
		case '’', 'ʼ':
			b.WriteByte('\'')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Words returns the folded words of s: runs of letters and digits.
func Words(s string) []string {
	return strings.FieldsFunc(String(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
