package model

import "time"

// Provenance says where an organisation listed by this instance, but not
// self-published, comes from: an import of an existing map. Nil on an
// organisation that publishes itself.
type Provenance struct {
	Source    string    `json:"source"`               // name of the source map, e.g. "Transiscope"
	SourceURL string    `json:"source_url,omitempty"` // URL or file it was read from
	SourceID  string    `json:"source_id"`            // the source's own id; a re-import matches on it
	SourceKey string    `json:"source_key,omitempty"` // GoGoCarto sourceKey: the database the source aggregated it from
	Licence   string    `json:"licence,omitempty"`    // SPDX id or URL, e.g. ODbL-1.0
	Imported  time.Time `json:"imported"`             // the last import that carried it
	Withdrawn time.Time `json:"withdrawn,omitzero"`   // set when a later import no longer carries it
	Claimed   time.Time `json:"claimed,omitzero"`     // set when the organisation proved it controls the entry
	// Via is set when the entry came from another maillage instance's
	// export, which lists it from the map Source: the name that import
	// was given. A re-import of that export updates or withdraws it. Kept
	// here, not federated: the map is the source others see.
	Via string `json:"via,omitempty"`
}

// Listed reports whether this instance still keeps the entry on the
// source's behalf: imported and not claimed.
func (p *Provenance) Listed() bool { return p != nil && p.Claimed.IsZero() }
