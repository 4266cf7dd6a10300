package importer

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strings"

	"codeberg.org/maillage/maillage/internal/fold"
)

// Possible duplicates are scored as OpenFairDB proposes
// (github.com/kartevonmorgen/openfairdb issue 254): distance, same website,
// same e-mail, and words of the name in common, each adding to or taking
// from the score; an entry scoring dupThreshold or more with a held one is
// held back as a possible duplicate.
const (
	dupThreshold = 0.7
	maxMatches   = 3
	// maxPostings skips name words so common among held entries that they
	// would make every entry a candidate ("biocoop" stays, "ferme" may not).
	maxPostings = 500
	cellDeg     = 0.01 // grid cell for near candidates, about 1 km
)

// nameStopwords carry no identity.
var nameStopwords = map[string]bool{
	"le": true, "la": true, "les": true, "de": true, "du": true, "des": true, "d": true, "l": true,
	"et": true, "a": true, "au": true, "aux": true, "en": true, "the": true, "of": true, "and": true,
	"und": true, "der": true, "die": true, "das": true, "association": true, "asso": true,
}

// genericHosts serve many organisations: the same host says nothing, only
// the same page does.
var genericHosts = map[string]bool{
	"facebook.com": true, "fr-fr.facebook.com": true, "m.facebook.com": true, "instagram.com": true,
	"linkedin.com": true, "twitter.com": true, "x.com": true, "youtube.com": true, "sites.google.com": true,
	"google.com": true, "wixsite.com": true, "wordpress.com": true, "blogspot.com": true,
	"helloasso.com": true, "linktr.ee": true, "over-blog.com": true, "jimdo.com": true,
	"laruchequiditoui.fr": true, "pagesjaunes.fr": true,
}

// dupIndex finds candidates among held entries and among the new entries
// of the same file already planned for creation (aggregated maps such as
// Transiscope list one organisation from several of their sources).
type dupIndex struct {
	items  []dupItem
	seen   []int // seen[i] == round: item i is already a candidate this round
	round  int
	byHost map[string][]int
	byWord map[string][]int
	byCell map[[2]int][]int
}

type dupItem struct {
	key   string // held entry's key; "" for an entry of the file
	ref   Ref    // entry of the file
	entry *Entry
	info  dupInfo
}

// dupInfo is what scoring compares, computed once per entry.
type dupInfo struct {
	words      []string // name words
	host, page string   // website host, and host with path
}

func infoOf(e Entry) dupInfo {
	host, page := sitePage(e.Website)
	return dupInfo{words: nameWords(e.Name), host: host, page: page}
}

func newDupIndex(held []Held, use []int) *dupIndex {
	x := &dupIndex{byHost: map[string][]int{}, byWord: map[string][]int{}, byCell: map[[2]int][]int{}}
	x.items = make([]dupItem, 0, len(use))
	for _, i := range use {
		x.add(dupItem{key: held[i].Key, entry: &held[i].Entry})
	}
	return x
}

func (x *dupIndex) add(it dupItem) {
	it.info = infoOf(*it.entry)
	i := len(x.items)
	x.items = append(x.items, it)
	x.seen = append(x.seen, 0)
	if h := it.info.host; h != "" && !genericHosts[h] {
		x.byHost[h] = append(x.byHost[h], i)
	}
	for _, w := range it.info.words {
		x.byWord[w] = append(x.byWord[w], i)
	}
	if c, ok := cellOf(it.entry.Place); ok {
		x.byCell[c] = append(x.byCell[c], i)
	}
}

// matches returns the held entries e may duplicate, best first.
func (x *dupIndex) matches(e Entry) []Match {
	x.round++
	var cand []int
	addAll := func(is []int) {
		for _, i := range is {
			if x.seen[i] != x.round {
				x.seen[i] = x.round
				cand = append(cand, i)
			}
		}
	}
	ei := infoOf(e)
	if ei.host != "" {
		addAll(x.byHost[ei.host])
	}
	for _, w := range ei.words {
		if ps := x.byWord[w]; len(ps) <= maxPostings {
			addAll(ps)
		}
	}
	if c, ok := cellOf(e.Place); ok {
		for dy := -1; dy <= 1; dy++ {
			for dx := -1; dx <= 1; dx++ {
				addAll(x.byCell[[2]int{c[0] + dy, c[1] + dx}])
			}
		}
	}
	var out []Match
	for _, i := range cand {
		it := x.items[i]
		score, reasons := dupScore(e, ei, *it.entry, it.info)
		if score >= dupThreshold {
			m := Match{Key: it.key, Name: it.entry.Name, Score: math.Round(score*100) / 100, Reasons: reasons}
			if it.key == "" {
				m.Ref = it.ref
			}
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b Match) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		if a.Key != b.Key {
			return strings.Compare(a.Key, b.Key)
		}
		return a.Ref.Index - b.Ref.Index
	})
	if len(out) > maxMatches {
		out = out[:maxMatches]
	}
	return out
}

// dupScore scores a new entry against a held one and says why.
func dupScore(e Entry, ei dupInfo, h Entry, hi dupInfo) (float64, []string) {
	var score float64
	var why []string
	if s := nameSimilarity(ei.words, hi.words); s > 0 {
		score += 0.6 * s
		why = append(why, fmt.Sprintf("names %.0f%% alike", s*100))
	}
	if eh := ei.host; eh != "" && eh == hi.host {
		switch {
		case ei.page != "" && ei.page == hi.page:
			score += 0.8
			why = append(why, "same website")
		case !genericHosts[eh]:
			score += 0.4
			why = append(why, "same website domain "+eh)
		}
	}
	if e.Email != "" && strings.EqualFold(e.Email, h.Email) {
		score += 0.8
		why = append(why, "same e-mail")
	}
	if d, ok := distanceM(e.Place, h.Place); ok {
		switch {
		case d < 10:
			score += 0.6
			why = append(why, fmt.Sprintf("%.0f m apart", d))
		case d < 100:
			score += 0.3
			why = append(why, fmt.Sprintf("%.0f m apart", d))
		case d > 500:
			score -= 0.5
		}
	} else if e.Place.PostalCode != "" && e.Place.PostalCode == h.Place.PostalCode &&
		fold.String(e.Place.Locality) == fold.String(h.Place.Locality) {
		score += 0.2
		why = append(why, "same postal code and locality")
	}
	return score, why
}

// nameWords are the distinct folded words of a name, without stopwords.
func nameWords(name string) []string {
	var out []string
	for _, w := range fold.Words(name) {
		if !nameStopwords[w] && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// nameSimilarity is the Dice coefficient of two word sets.
func nameSimilarity(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	common := 0
	for _, w := range a {
		if slices.Contains(b, w) {
			common++
		}
	}
	return 2 * float64(common) / float64(len(a)+len(b))
}

// sitePage returns a website URL's host without "www.", and that host
// with the path, without scheme, trailing slash or query: two websites
// with the same page are the same one.
func sitePage(w string) (host, page string) {
	host = websiteHost(w)
	if host == "" {
		return "", ""
	}
	u, err := url.Parse(w)
	if err != nil {
		return host, ""
	}
	return host, host + strings.TrimSuffix(strings.ToLower(u.EscapedPath()), "/")
}

func cellOf(p Place) ([2]int, bool) {
	if p.Lat == nil || p.Lon == nil {
		return [2]int{}, false
	}
	return [2]int{int(math.Floor(*p.Lat / cellDeg)), int(math.Floor(*p.Lon / cellDeg))}, true
}

// distanceM is the haversine distance in metres.
func distanceM(a, b Place) (float64, bool) {
	if a.Lat == nil || b.Lat == nil || a.Lon == nil || b.Lon == nil {
		return 0, false
	}
	const r = 6371008.8 // mean Earth radius (IUGG), m
	rad := math.Pi / 180
	la1, la2 := *a.Lat*rad, *b.Lat*rad
	sLat := math.Sin((la2 - la1) / 2)
	sLon := math.Sin((*b.Lon - *a.Lon) * rad / 2)
	h := sLat*sLat + math.Cos(la1)*math.Cos(la2)*sLon*sLon
	return 2 * r * math.Asin(math.Sqrt(min(max(h, 0), 1))), true
}
