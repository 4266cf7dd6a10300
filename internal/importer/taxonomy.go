package importer

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// maxOptions bounds a taxonomy.
const maxOptions = 100_000

// Taxonomy is a GoGoCarto taxonomy: a tree of categories, each with
// options, each option with sub-categories. Only options are kept, each
// with its parent option, since elements point at options (optionValues).
type Taxonomy struct {
	options map[string]option // by id
	byName  map[string]string // labelKey(name) → id, for optionValues given by name
}

type option struct {
	name   string
	parent string // id of the parent option, "" at the top
}

// taxonomyCategory and taxonomyOption are the shapes of GoGoCarto's
// taxonomy export (/api/taxonomy.json) and of GoGoCartoJs's taxonomy
// (web/data/taxonomy-full.js).
type taxonomyCategory struct {
	Name    text             `json:"name"`
	Options []taxonomyOption `json:"options"`
}

type taxonomyOption struct {
	ID            text               `json:"id"`
	Name          text               `json:"name"`
	Subcategories []taxonomyCategory `json:"subcategories"`
}

// skosConcept is the JSON-LD form of the same export ("@graph" of
// skos:Concept with "broader" links).
type skosConcept struct {
	ID        text `json:"@id"`
	PrefLabel text `json:"prefLabel"`
	SkosLabel text `json:"skos:prefLabel"`
	Broader   text `json:"broader"`
}

// ParseTaxonomy reads a taxonomy: one root category, an array of them, or
// the JSON-LD "@graph" form. It reads at most DefaultMaxBytes.
func ParseTaxonomy(r io.Reader) (*Taxonomy, error) {
	data, err := io.ReadAll(newCapReader(r, DefaultMaxBytes))
	if err != nil {
		return nil, fmt.Errorf("importer: taxonomy: %w", err)
	}
	t := &Taxonomy{options: map[string]option{}, byName: map[string]string{}}
	s := strings.TrimSpace(string(data))
	switch {
	case strings.HasPrefix(s, "["):
		var roots []taxonomyCategory
		if err := json.Unmarshal(data, &roots); err != nil {
			return nil, taxonomyError(err)
		}
		for _, c := range roots {
			if err := t.addCategory(c, ""); err != nil {
				return nil, err
			}
		}
	case strings.HasPrefix(s, "{"):
		var probe struct {
			Graph []skosConcept `json:"@graph"`
		}
		if err := json.Unmarshal(data, &probe); err != nil {
			return nil, taxonomyError(err)
		}
		if probe.Graph != nil {
			return t, t.addGraph(probe.Graph)
		}
		var root taxonomyCategory
		if err := json.Unmarshal(data, &root); err != nil {
			return nil, taxonomyError(err)
		}
		if err := t.addCategory(root, ""); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("importer: taxonomy: %w: not a JSON object or array", ErrFormat)
	}
	if len(t.options) == 0 {
		return nil, fmt.Errorf("importer: taxonomy: %w: no options", ErrFormat)
	}
	return t, nil
}

func taxonomyError(err error) error {
	return fmt.Errorf("importer: taxonomy: %w: %w", ErrFormat, err)
}

func (t *Taxonomy) addCategory(c taxonomyCategory, parent string) error {
	for _, o := range c.Options {
		id := strings.TrimSpace(string(o.ID))
		if id == "" {
			return fmt.Errorf("importer: taxonomy: %w: option %q has no id", ErrFormat, clip(string(o.Name), 60))
		}
		if err := t.addOption(id, string(o.Name), parent); err != nil {
			return err
		}
		for _, sub := range o.Subcategories {
			if err := t.addCategory(sub, id); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t *Taxonomy) addOption(id, name, parent string) error {
	if len(t.options) >= maxOptions {
		return fmt.Errorf("importer: taxonomy: %w: more than %d options", ErrTooManyEntries, maxOptions)
	}
	if _, dup := t.options[id]; dup {
		return fmt.Errorf("importer: taxonomy: %w: option id %q used twice", ErrFormat, clip(id, 40))
	}
	t.options[id] = option{name: clean(name), parent: parent}
	if k := labelKey(name); k != "" {
		if _, taken := t.byName[k]; !taken {
			t.byName[k] = id
		}
	}
	return nil
}

// addGraph reads the JSON-LD form. There, top-level categories are
// concepts too; concepts without a broader one are roots and are left out
// of paths, as categories are in the tree form.
func (t *Taxonomy) addGraph(graph []skosConcept) error {
	roots := map[string]bool{}
	for _, c := range graph {
		if strings.TrimSpace(string(c.Broader)) == "" {
			roots[strings.TrimSpace(string(c.ID))] = true
		}
	}
	for _, c := range graph {
		id, parent := strings.TrimSpace(string(c.ID)), strings.TrimSpace(string(c.Broader))
		if id == "" || roots[id] {
			continue
		}
		if roots[parent] {
			parent = ""
		}
		name := c.PrefLabel
		if name == "" {
			name = c.SkosLabel
		}
		if err := t.addOption(id, string(name), parent); err != nil {
			return err
		}
	}
	if len(t.options) == 0 {
		return fmt.Errorf("importer: taxonomy: %w: no options", ErrFormat)
	}
	return nil
}

// path returns the names from the top option down to the option id (or
// with the id given by name), and whether it is known. A parent loop ends
// the path instead of looping.
func (t *Taxonomy) path(ref string) ([]string, bool) {
	id := strings.TrimSpace(ref)
	o, ok := t.options[id]
	if !ok {
		if id, ok = t.byName[labelKey(ref)]; !ok {
			return nil, false
		}
		o = t.options[id]
	}
	p := []string{o.name}
	seen := map[string]bool{id: true}
	for o.parent != "" && !seen[o.parent] && len(p) < 32 {
		seen[o.parent] = true
		parent, ok := t.options[o.parent]
		if !ok {
			break
		}
		o = parent
		p = append(p, o.name)
	}
	for i, j := 0, len(p)-1; i < j; i, j = i+1, j-1 {
		p[i], p[j] = p[j], p[i]
	}
	return p, true
}

// Len is the number of options.
func (t *Taxonomy) Len() int { return len(t.options) }
