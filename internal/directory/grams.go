package directory

// grams is a 128-bit Bloom filter of the byte pairs of a folded text. A
// word whose pairs are not all in a text's filter is not in the text, so
// most entries are rejected without a substring search (which is slow on
// letters as common as "e").
type grams [2]uint64

func gramsOf(s string) grams {
	var g grams
	for i := 1; i < len(s); i++ {
		if isSpace(s[i-1]) || isSpace(s[i]) {
			continue // a query's words hold no spaces: such pairs would only fill the filter
		}
		h := (uint32(s[i-1])<<8 | uint32(s[i])) * 2654435761 >> 25
		g[h>>6] |= 1 << (h & 63)
	}
	return g
}

// covers reports whether every bit of w is in g.
func (g *grams) covers(w *grams) bool {
	return g[0]&w[0] == w[0] && g[1]&w[1] == w[1]
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }
