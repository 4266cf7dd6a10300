package importer

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// goElement is an element of a GoGoCarto export (/api/elements.json, the
// "gogofull" ontology; GoGoCarto src/Document/Element.php and
// GoGoCartoJs web/data/elements.json).
type goElement struct {
	ID   text `json:"id"`
	Name text `json:"name"`
	Geo  struct {
		Latitude  text `json:"latitude"`
		Longitude text `json:"longitude"`
	} `json:"geo"`
	Address struct {
		StreetAddress   text `json:"streetAddress"`
		AddressLocality text `json:"addressLocality"`
		PostalCode      text `json:"postalCode"`
		AddressCountry  text `json:"addressCountry"`
	} `json:"address"`
	Description     text            `json:"description"`
	DescriptionMore text            `json:"descriptionMore"`
	Commitment      text            `json:"commitment"`
	Website         text            `json:"website"`
	Telephone       text            `json:"telephone"`
	Email           text            `json:"email"`
	SourceKey       text            `json:"sourceKey"`
	Status          *text           `json:"status"`
	OptionValues    []goOptionValue `json:"optionValues"`
	// Newer exports name the options instead ("categories"), or give
	// them with their ids ("categoriesFull").
	Categories     texts `json:"categories"`
	CategoriesFull []struct {
		ID   text `json:"id"`
		Name text `json:"name"`
	} `json:"categoriesFull"`
}

// goOptionValue is an option id (number or string), an option name, or an
// object {"id" or "optionId", "description"}.
type goOptionValue string

func (v *goOptionValue) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if strings.HasPrefix(s, "{") {
		var o struct {
			ID       text `json:"id"`
			OptionID text `json:"optionId"`
		}
		if err := json.Unmarshal(b, &o); err != nil {
			return err
		}
		*v = goOptionValue(o.OptionID)
		if o.OptionID == "" {
			*v = goOptionValue(o.ID)
		}
		return nil
	}
	var t text
	if err := t.UnmarshalJSON(b); err != nil {
		return err
	}
	*v = goOptionValue(t)
	return nil
}

// parseGoGoCarto reads {"licence", "ontology", "data": [...]} or a plain
// array of elements, streaming the elements so that the entry cap applies
// before they are all in memory.
func parseGoGoCarto(r io.Reader, b *builder) error {
	const what = "gogocarto"
	dec := json.NewDecoder(r)
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return jsonError(what, dec, err)
	}
	each := func(i int, raw json.RawMessage) { b.add(b.goElement(i, raw)) }
	switch tok {
	case json.Delim('['):
		if err := decodeArray(what, dec, b.opts.Limits.MaxEntries, each); err != nil {
			return err
		}
	case json.Delim('{'):
		found := false
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return jsonError(what, dec, err)
			}
			key, _ := kt.(string)
			switch key {
			case "data", "elements":
				if t, err := dec.Token(); err != nil {
					return jsonError(what, dec, err)
				} else if t != json.Delim('[') {
					return fmt.Errorf("importer: %s: %w: %q is not an array", what, ErrFormat, key)
				}
				if err := decodeArray(what, dec, b.opts.Limits.MaxEntries, each); err != nil {
					return err
				}
				found = true
			case "licence", "license":
				var l text
				if err := dec.Decode(&l); err != nil {
					return jsonError(what, dec, err)
				}
				if b.batch.Licence == "" {
					b.batch.Licence = clip(clean(string(l)), 200)
				}
			default:
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					return jsonError(what, dec, err)
				}
			}
		}
		if _, err := dec.Token(); err != nil { // '}'
			return jsonError(what, dec, err)
		}
		if !found {
			return fmt.Errorf("importer: %s: %w: no \"data\" array of elements", what, ErrFormat)
		}
	default:
		return fmt.Errorf("importer: %s: %w: want an object with \"data\" or an array of elements", what, ErrFormat)
	}
	return expectEnd(what, dec)
}

// goElement turns one element into a raw entry.
func (b *builder) goElement(i int, data json.RawMessage) raw {
	r := raw{ref: Ref{Index: i}}
	var el goElement
	if err := json.Unmarshal(data, &el); err != nil {
		r.decodeErr = entryError(data, err)
		var fields map[string]json.RawMessage
		if json.Unmarshal(data, &fields) == nil {
			var id, name text
			if json.Unmarshal(fields["id"], &id) == nil {
				r.id = string(id)
			}
			if json.Unmarshal(fields["name"], &name) == nil {
				r.name = string(name)
			}
		}
		return r
	}
	r.id, r.name, r.srcKey = string(el.ID), string(el.Name), string(el.SourceKey)
	r.desc, r.descMore, r.commitment = string(el.Description), string(el.DescriptionMore), string(el.Commitment)
	r.street, r.locality = string(el.Address.StreetAddress), string(el.Address.AddressLocality)
	r.postal, r.country = string(el.Address.PostalCode), string(el.Address.AddressCountry)
	r.lat, r.lon = string(el.Geo.Latitude), string(el.Geo.Longitude)
	r.website, r.email = string(el.Website), string(el.Email)
	if t := clean(string(el.Telephone)); t != "" {
		if placeholder(t) {
			r.hidden++
		} else {
			r.phones++
		}
	}
	if el.Status != nil {
		// GoGoCarto ElementStatus: -2 admin refused, -3 collaborative
		// refused, -4 deleted, -5 pending version, -6 duplicate.
		if n, err := strconv.Atoi(string(*el.Status)); err == nil && n <= -2 {
			r.decodeErr = fmt.Sprintf("not public at the source (GoGoCarto status %d: refused, deleted or duplicate)", n)
			return r
		}
	}
	r.paths = b.goPaths(el)
	return r
}

// goPaths resolves an element's options to category paths. An option the
// taxonomy does not know (or any option, without a taxonomy) is kept as
// "option <id>" so that it is reported, never dropped silently.
func (b *builder) goPaths(el goElement) [][]string {
	var paths [][]string
	for _, v := range el.OptionValues {
		ref := strings.TrimSpace(string(v))
		if ref == "" {
			continue
		}
		if b.opts.Taxonomy != nil {
			if p, ok := b.opts.Taxonomy.path(ref); ok {
				paths = append(paths, p)
				continue
			}
		}
		if _, err := strconv.Atoi(ref); err == nil {
			ref = "option " + ref
		}
		paths = append(paths, []string{ref})
	}
	if len(el.OptionValues) > 0 {
		return paths
	}
	for _, c := range el.CategoriesFull {
		if p, ok := b.taxonomyPath(string(c.ID)); ok {
			paths = append(paths, p)
		} else if c.Name != "" {
			paths = append(paths, []string{string(c.Name)})
		}
	}
	if len(el.CategoriesFull) > 0 {
		return paths
	}
	for _, c := range el.Categories {
		if p, ok := b.taxonomyPath(c); ok {
			paths = append(paths, p)
		} else {
			paths = append(paths, []string{c})
		}
	}
	return paths
}

func (b *builder) taxonomyPath(ref string) ([]string, bool) {
	if b.opts.Taxonomy == nil {
		return nil, false
	}
	return b.opts.Taxonomy.path(ref)
}
