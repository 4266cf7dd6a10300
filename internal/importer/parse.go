package importer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Format is an input format.
type Format string

const (
	FormatGoGoCarto Format = "gogocarto"
	FormatGeoJSON   Format = "geojson"
	FormatCSV       Format = "csv"
)

// Options configure Parse.
type Options struct {
	Format    Format
	Source    string // name of the source map; required
	SourceURL string // URL or file name, recorded in provenance
	// Licence of the data (SPDX identifier such as ODbL-1.0, or a URL);
	// when empty, a GoGoCarto export's own "licence" is used.
	Licence string
	// Now is the import time, recorded in provenance.
	Now time.Time
	// Taxonomy resolves GoGoCarto optionValues; without it, ids stay
	// unresolved and are reported as unmapped categories.
	Taxonomy *Taxonomy
	// Crosswalk maps categories to sectors; nil means DefaultCrosswalk.
	Crosswalk *Crosswalk
	// DefaultCountry is used for entries that give none (ISO code).
	DefaultCountry string
	Limits         Limits
}

// Parse reads one file. A file-level problem (unreadable, invalid JSON or
// CSV, over the limits) is an error wrapping ErrFormat, ErrTooLarge or
// ErrTooManyEntries, and no Batch; a problem with one entry refuses that
// entry only, with its reasons, in Batch.Refused.
func Parse(r io.Reader, opts Options) (*Batch, error) {
	if strings.TrimSpace(opts.Source) == "" {
		return nil, fmt.Errorf("importer: a source name is required")
	}
	if opts.DefaultCountry != "" {
		c := normalCountry(opts.DefaultCountry)
		if c == "" {
			return nil, fmt.Errorf("importer: default country %q is not an ISO 3166 code", opts.DefaultCountry)
		}
		opts.DefaultCountry = c
	}
	if opts.Crosswalk == nil {
		opts.Crosswalk = DefaultCrosswalk()
	}
	opts.Limits = opts.Limits.withDefaults()
	cr := newCapReader(r, opts.Limits.MaxBytes)
	b := newBuilder(opts)
	var err error
	switch opts.Format {
	case FormatGoGoCarto:
		err = parseGoGoCarto(cr, b)
	case FormatGeoJSON:
		err = parseGeoJSON(cr, b)
	case FormatCSV:
		err = parseCSV(cr, b)
	default:
		return nil, fmt.Errorf("importer: unknown format %q (want gogocarto, geojson or csv)", opts.Format)
	}
	if err != nil {
		return nil, err
	}
	return b.finish(), nil
}

// text is a JSON value read as text: a string, a number, a boolean, or
// null (""). GoGoCarto exports write telephone numbers and ids either way.
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	switch {
	case s == "null":
		*t = ""
	case strings.HasPrefix(s, `"`):
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*t = text(v)
	case s == "true" || s == "false":
		*t = text(s)
	default:
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			return fmt.Errorf("want text, got %.20s", s)
		}
		*t = text(s)
	}
	return nil
}

// texts is a list of text, also accepting a single value.
type texts []string

func (l *texts) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		*l = nil
		return nil
	}
	if strings.HasPrefix(s, "[") {
		var vs []text
		if err := json.Unmarshal(b, &vs); err != nil {
			return err
		}
		*l = make([]string, len(vs))
		for i, v := range vs {
			(*l)[i] = string(v)
		}
		return nil
	}
	var v text
	if err := v.UnmarshalJSON(b); err != nil {
		return err
	}
	*l = []string{string(v)}
	return nil
}

// entryError is the message for an entry whose JSON has the wrong shape:
// the first field, in name order, that should be text and is an object or
// a list, else the decoder's message.
func entryError(data json.RawMessage, err error) string {
	var fields map[string]json.RawMessage
	if json.Unmarshal(data, &fields) != nil {
		return "entry is not a JSON object"
	}
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if textFields[k] {
			if v := strings.TrimSpace(string(fields[k])); strings.HasPrefix(v, "{") || strings.HasPrefix(v, "[") {
				return fmt.Sprintf("field %q is not text", clip(k, 40))
			}
		}
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return fmt.Sprintf("field %q has the wrong type (%s)", te.Field, te.Value)
	}
	return "unreadable entry: " + clip(err.Error(), 120)
}

// textFields are the GoGoCarto fields read as text.
var textFields = map[string]bool{
	"id": true, "name": true, "description": true, "descriptionMore": true, "commitment": true,
	"website": true, "telephone": true, "email": true, "sourceKey": true, "status": true,
}
