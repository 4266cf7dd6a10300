package directory

import (
	"strings"
	"unicode"

	"codeberg.org/maillage/maillage/internal/fold"
)

// words splits a query's text into folded words, without the punctuation
// around them ("(énergie," is "energie").
func words(text string) []string {
	var out []string
	for _, w := range strings.Fields(fold.String(text)) {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}
