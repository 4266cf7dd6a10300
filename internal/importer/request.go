package importer

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxTaxonomyBytes bounds a GoGoCarto taxonomy upload: real ones weigh
// tens of kilobytes.
const MaxTaxonomyBytes = 5 << 20

// Request is what an import reads besides the file, as the admin API's
// query and the admin page's form give it.
type Request struct {
	Format    Format
	Source    string // name of the source map
	SourceURL string // URL or file name recorded in provenance
	Licence   string
	DryRun    bool
}

// ParseRequest reads file, and taxonomy and mapping (a mapping file, see
// Crosswalk.WithMapping, added to the built-in crosswalk) if not nil, as
// req says, at now. Its error is for the person importing: it says what is
// wrong with the file and carries no internal state.
func ParseRequest(req Request, file, taxonomy, mapping io.Reader, now time.Time) (*Batch, error) {
	opts := Options{Format: req.Format, Source: strings.TrimSpace(req.Source), SourceURL: strings.TrimSpace(req.SourceURL),
		Licence: strings.TrimSpace(req.Licence), Now: now.UTC()}
	// Shown beside every organisation imported: as short as a name.
	if utf8.RuneCountInString(opts.Source) > maxSourceRunes || len(opts.SourceURL) > 2000 || len(opts.Licence) > 200 {
		return nil, fmt.Errorf("importer: the source name (%d characters at most), its URL or the licence is too long", maxSourceRunes)
	}
	if taxonomy != nil {
		tx, err := ParseTaxonomy(io.LimitReader(taxonomy, MaxTaxonomyBytes))
		if err != nil {
			return nil, err
		}
		opts.Taxonomy = tx
	}
	if mapping != nil {
		cw, err := DefaultCrosswalk().WithMapping(mapping)
		if err != nil {
			return nil, err
		}
		opts.Crosswalk = cw
	}
	return Parse(file, opts)
}

// maxSourceRunes bounds the source name, as long as an organisation's
// display name (model.MaxName).
const maxSourceRunes = 100
