package importer

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"

	"codeberg.org/maillage/maillage/internal/model"
)

// Crosswalk maps category labels of other maps onto maillage sector slugs.
// Labels match ignoring case, accents, punctuation and the word "et"/"and".
// A Crosswalk is not modified after it is built, so it is safe for
// concurrent use.
type Crosswalk struct {
	rules map[string][]string // labelKey → slugs; empty: deliberately unmapped
}

// builtinRules are the crosswalk rules for the field's common taxonomies.
// Themes too broad for one sector map to the two or three they cover; a
// label that fits no sector is left out so that it shows as unmapped.
var builtinRules = []struct {
	label string
	slugs []string
}{
	// Transiscope's 8 themes (GoGoCartoJs web/data/taxonomy-transiscope.js,
	// transiscope.org) and their sub-categories.
	{"Écologie, alimentation et énergie", []string{"food-agriculture", "energy", "water-natural-resources"}},
	{"Culture, médias et lien social", []string{"culture-media", "citizenship-local-development"}},
	{"Bien-être physique et personnel", []string{"health-care"}},
	{"Citoyenneté, droits, solidarités", []string{"citizenship-local-development", "health-care"}},
	{"Éducation, formation", []string{"education-training"}},
	{"Habitat et urbanisme", []string{"housing"}},
	{"Modes de déplacements", []string{"mobility"}},
	{"Économie sociale et solidaire", []string{"ess-support"}},
	{"Agriculture et alimentation", []string{"food-agriculture"}},
	{"Eau, nature et biodiversité", []string{"water-natural-resources"}},
	{"Climat et énergie", []string{"energy"}},
	{"Culture", []string{"culture-media"}},
	{"Médias et numérique", []string{"culture-media", "digital"}},
	{"Espaces de rencontres et de lien social", []string{"citizenship-local-development"}},
	{"Intelligence collective", []string{"citizenship-local-development"}},
	{"Citoyenneté, droits, inclusion", []string{"citizenship-local-development"}},
	{"Solidarité", []string{"health-care"}},
	{"Éducation", []string{"education-training"}},
	{"Formation", []string{"education-training"}},
	{"Sensibilisation", []string{"education-training"}},
	{"Santé", []string{"health-care"}},
	{"Personnes âgées", []string{"health-care"}},
	{"Handicap", []string{"health-care"}},
	{"Développement personnel, bien-être", []string{"health-care"}},
	{"Habitat, logement", []string{"housing"}},
	{"Aménagements et projets urbains", []string{"housing"}},
	{"Systèmes d'échange alternatifs", []string{"finance"}},
	{"Finance éthique", []string{"finance"}},
	{"Fabriquer, réparer, zéro déchets", []string{"circular-economy"}},
	// Carteco's 6 themes (carteco-ess.org).
	{"Gestion des ressources et déchets", []string{"circular-economy"}},
	{"Agriculture et alimentation durables", []string{"food-agriculture"}},
	{"Bâtiment durable", []string{"housing"}},
	{"Mobilité responsable", []string{"mobility"}},
	{"Éducation à l'environnement", []string{"education-training"}},
	{"Accompagner la transition", []string{"ess-support"}},
	// GoGoCarto's demo taxonomy (GoGoCartoJs web/data/taxonomy.json, the
	// Près de chez nous categories). "Mode & Beauté" fits no sector and
	// stays unmapped.
	{"Agriculture & Alimentation", []string{"food-agriculture"}},
	{"Voyages", []string{"culture-media"}},
	{"Education & Formation", []string{"education-training"}},
	{"Habitat", []string{"housing"}},
	{"Mobilité", []string{"mobility"}},
	{"Sortie & Culture", []string{"culture-media"}},
	{"Economie & Finance", []string{"finance"}},
	{"Ressourcerie", []string{"circular-economy"}},
	{"Eco-construction", []string{"housing"}},
	{"Energie renouvelable", []string{"energy"}},
}

// DefaultCrosswalk returns the built-in crosswalk: the rules above, plus
// every sector's slug and its English and French labels.
func DefaultCrosswalk() *Crosswalk {
	c := &Crosswalk{rules: make(map[string][]string)}
	for _, s := range model.Sectors {
		for _, l := range []string{s.Slug, s.EN, s.FR} {
			c.rules[labelKey(l)] = []string{s.Slug}
		}
	}
	for _, r := range builtinRules {
		c.rules[labelKey(r.label)] = r.slugs
	}
	return c
}

// Lookup returns the slugs label maps to and whether a rule exists. A rule
// with no slugs marks a label as deliberately left without a sector.
func (c *Crosswalk) Lookup(label string) ([]string, bool) {
	s, ok := c.rules[labelKey(label)]
	return s, ok
}

// MaxMappingBytes bounds a mapping file: a rule per category of a large
// map's taxonomy is a few kilobytes.
const MaxMappingBytes = 1 << 20

// WithMapping returns a copy of c with the rules of a mapping file added,
// overriding built-in rules for the same label. The format is UTF-8 text,
// one rule per line:
//
//	# comment
//	Ressourceries et recycleries = circular-economy
//	Tiers-lieux = citizenship-local-development culture-media
//	Mode & Beauté = -
//
// The label is left of the first "=", then one to three sector slugs
// separated by spaces or commas; "-" marks the label as deliberately left
// without a sector (it is then not reported as unmapped). Every bad line is
// reported, with its number.
func (c *Crosswalk) WithMapping(r io.Reader) (*Crosswalk, error) {
	out := &Crosswalk{rules: make(map[string][]string, len(c.rules))}
	for k, v := range c.rules {
		out.rules[k] = v
	}
	sc := bufio.NewScanner(io.LimitReader(r, MaxMappingBytes+1))
	sc.Buffer(make([]byte, 4096), 64*1024)
	var errs []string
	n, size := 0, 0
	for sc.Scan() {
		n++
		size += len(sc.Bytes()) + 1
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\uFEFF"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		label, rhs, ok := strings.Cut(line, "=")
		key := labelKey(label)
		if !ok || key == "" {
			errs = append(errs, fmt.Sprintf("line %d: want \"label = sector-slug\"", n))
			continue
		}
		slugs := strings.FieldsFunc(rhs, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' })
		switch {
		case len(slugs) == 1 && slugs[0] == "-":
			out.rules[key] = nil
			continue
		case len(slugs) == 0 || len(slugs) > 3:
			errs = append(errs, fmt.Sprintf("line %d: want 1 to 3 sector slugs or \"-\"", n))
			continue
		}
		bad := slices.DeleteFunc(slices.Clone(slugs), model.IsSector)
		if len(bad) > 0 {
			errs = append(errs, fmt.Sprintf("line %d: unknown sector %q", n, bad[0]))
			continue
		}
		out.rules[key] = slugs
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("importer: mapping file line %d: %w", n+1, err)
	}
	if size > MaxMappingBytes {
		return nil, fmt.Errorf("importer: mapping file: %w (over %d bytes)", ErrTooLarge, MaxMappingBytes)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("importer: mapping file: %w: %s", ErrFormat, strings.Join(errs, "; "))
	}
	return out, nil
}

// sectorsFor maps an entry's category paths (root first) to at most three
// slugs: each path takes the rule of its deepest mapped label, so
// "Habitat > Ressourcerie" is circular-economy, not housing. Slugs carried
// by more paths come first. It also returns the paths with no mapped label
// and no deliberate "-" rule, and a note when slugs were left out.
func (c *Crosswalk) sectorsFor(paths [][]string) (slugs, unmapped []string, note string) {
	count := map[string]int{}
	var order []string
	for _, p := range paths {
		found := false
		for i := len(p) - 1; i >= 0; i-- {
			s, ok := c.Lookup(p[i])
			if !ok {
				continue
			}
			found = true
			for _, slug := range s {
				if count[slug] == 0 {
					order = append(order, slug)
				}
				count[slug]++
			}
			break
		}
		if !found {
			unmapped = append(unmapped, strings.Join(p, " > "))
		}
	}
	slices.SortStableFunc(order, func(a, b string) int { return count[b] - count[a] })
	if len(order) > 3 {
		note = fmt.Sprintf("%d sectors found, kept %s; left out %s", len(order),
			strings.Join(order[:3], ", "), strings.Join(order[3:], ", "))
		order = order[:3]
	}
	return order, unmapped, note
}
