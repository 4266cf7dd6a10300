package gazetteer

import (
	"sort"
	"strings"
)

// MaxResults caps a search's limit.
const MaxResults = 50

// maxQuery bounds the folded query; no name is longer.
const maxQuery = maxName

// Search returns up to limit places whose folded name starts with the
// folded q, largest population first, from country only if country is not
// "" (ISO 3166-1 alpha-2, any case). Case, accents and punctuation are
// ignored: "besancon", "MALMO" and "lodz" find Besançon, Malmö and Łódź.
//
// Cost: two binary searches over the names, then one pass over those that
// start with q, keeping the best limit of them; a one-letter query, the
// worst case, passes over about a tenth of the index.
func (g *Gazetteer) Search(q, country string, limit int) []Place {
	fq := nameKey(q)
	if fq == "" || len(fq) > maxQuery || limit <= 0 {
		return nil
	}
	limit = min(limit, MaxResults)
	country = strings.ToUpper(country)
	lo, hi := g.prefixRange(fq)
	best := make([]uint32, 0, limit) // ranks, ascending
	for _, k := range g.keys[lo:hi] {
		if len(best) == limit && k.rank >= best[limit-1] {
			continue
		}
		if country != "" && string(g.places[k.rank].cc[:]) != country {
			continue
		}
		i := sort.Search(len(best), func(i int) bool { return best[i] > k.rank })
		if len(best) < limit {
			best = append(best, 0)
		}
		copy(best[i+1:], best[i:])
		best[i] = k.rank
	}
	out := make([]Place, len(best))
	for i, r := range best {
		out[i] = g.place(r)
	}
	return out
}

// prefixRange returns the keys that start with fq.
func (g *Gazetteer) prefixRange(fq string) (int, int) {
	lo := sort.Search(len(g.keys), func(i int) bool { return g.key(g.keys[i]) >= fq })
	hi := lo + sort.Search(len(g.keys)-lo, func(i int) bool { return !strings.HasPrefix(g.key(g.keys[lo+i]), fq) })
	return lo, hi
}

// Find returns the place a whole name most likely means: the largest
// place with exactly that folded name, else the largest whose name starts
// with it. "Valence" is Valence in the Drôme, "Valencia" Valencia in Spain.
func (g *Gazetteer) Find(name, country string) (Place, bool) {
	fq := nameKey(name)
	if fq == "" || len(fq) > maxQuery {
		return Place{}, false
	}
	country = strings.ToUpper(country)
	lo, hi := g.prefixRange(fq)
	// Keys with the same folded name are sorted by rank, and the exact
	// name sorts first of all the names it begins.
	for _, k := range g.keys[lo:hi] {
		if g.key(k) != fq {
			break
		}
		if country == "" || string(g.places[k.rank].cc[:]) == country {
			return g.place(k.rank), true
		}
	}
	if r := g.Search(name, country, 1); len(r) == 1 {
		return r[0], true
	}
	return Place{}, false
}
