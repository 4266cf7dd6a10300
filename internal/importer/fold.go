package importer

import (
	"strings"

	"codeberg.org/maillage/maillage/internal/fold"
)

// labelKey is how category labels are compared: folded words without "et",
// "and" or "&", so "Agriculture & Alimentation" and "agriculture et
// alimentation" are the same label.
func labelKey(s string) string {
	ws := fold.Words(s)
	out := ws[:0]
	for _, w := range ws {
		if w != "et" && w != "and" && w != "und" && w != "y" && w != "e" {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}
