package importer

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Held is an entry the instance already holds, as the caller loads it.
type Held struct {
	// Key is the instance's own identifier (the organisation's IRI).
	Key   string
	Entry Entry // with its Provenance; Provenance.Source "" for entries not imported
	// Withdrawn marks an imported entry that a previous import no longer
	// listed.
	Withdrawn bool
}

// Plan is what importing a Batch would do. NewPlan computes it without
// changing anything; the caller applies all of it in one transaction, or
// none of it.
type Plan struct {
	Source     string
	Added      []Planned
	Updated    []Update
	Unchanged  []Unchanged
	Withdrawn  []Withdrawal
	Refused    []Refusal
	Duplicates []Duplicate
	batch      *Batch
}

// Planned is an entry to create.
type Planned struct {
	Ref   Ref
	Entry Entry
}

// Update is a held entry whose source entry changed.
type Update struct {
	Ref     Ref
	Key     string
	Entry   Entry // the new version
	Changes []Change
}

// Change is one field that differs, as text for the report.
type Change struct {
	Field    string
	Old, New string
}

// Unchanged is a held entry the file lists again as it is.
type Unchanged struct {
	Ref            Ref
	Key            string
	SourceID, Name string
}

// Withdrawal is a held entry from this source that the file no longer
// lists: marked withdrawn, not deleted.
type Withdrawal struct {
	Key            string
	SourceID, Name string
}

// Duplicate is a new entry that looks like one already held: it is not
// created, so that a person can decide.
type Duplicate struct {
	Ref     Ref
	Entry   Entry
	Matches []Match // best first, at most maxMatches
}

// Match is a held entry a new one may duplicate, with the score and the
// reasons that made it one.
type Match struct {
	// Key is the held entry's key, or "" when the match is an entry of
	// the same file (then Ref locates it).
	Key     string
	Ref     Ref
	Name    string
	Score   float64
	Reasons []string
}

// NewPlan compares batch with held. Held entries are matched by their
// source and its id (matchKey): for most entries the batch's source and
// the file's id, for an organisation of a maillage export listed from a
// map that map and its id there, so that the same map entry is one
// organisation whichever way it came. The same key is an update (or
// unchanged); a held entry that came from this source (Source, or Via for
// an entry relayed by another instance's export) and that the file no
// longer lists, not even as a refused entry, is withdrawn. Every new entry
// is compared for possible duplicates with all held entries and with the
// new entries before it in the file. It only reads held and batch.
func NewPlan(batch *Batch, held []Held) *Plan {
	p := &Plan{Source: batch.Source, Refused: batch.Refused, batch: batch}
	same := map[string]int{} // matchKey → index in held
	all := make([]int, len(held))
	for i, h := range held {
		all[i] = i
		if pv := h.Entry.Provenance; pv.Source != "" && h.Entry.SourceID != "" {
			same[matchKey(pv.Source, h.Entry.SourceID)] = i
		}
	}
	listed := make(map[string]bool, len(batch.Entries))
	// A refused entry is still in the source: it is reported, not
	// withdrawn, and its held version stays as it was.
	for _, r := range batch.Refused {
		switch {
		case r.key != "":
			listed[r.key] = true
		case r.SourceID != "":
			listed[matchKey(batch.Source, r.SourceID)] = true
		}
	}
	var fresh []int
	for i, e := range batch.Entries {
		ref := batch.Refs[i]
		key := entryKey(batch, e)
		listed[key] = true
		j, ok := same[key]
		if legacy := matchKey(batch.Source, e.SourceID); !ok && e.Provenance.Via != "" {
			// Imported before relayed entries kept their map (the
			// export's source and the entry's IRI): updated to it.
			listed[legacy] = true
			j, ok = same[legacy]
		}
		if !ok {
			fresh = append(fresh, i)
			continue
		}
		h := held[j]
		changes := diff(h.Entry, e)
		if h.Withdrawn {
			changes = append([]Change{{Field: "status", Old: "withdrawn", New: "listed again"}}, changes...)
		}
		if len(changes) == 0 {
			p.Unchanged = append(p.Unchanged, Unchanged{Ref: ref, Key: h.Key, SourceID: e.SourceID, Name: e.Name})
		} else {
			p.Updated = append(p.Updated, Update{Ref: ref, Key: h.Key, Entry: e, Changes: changes})
		}
	}
	for key, j := range same {
		h := held[j]
		pv := h.Entry.Provenance
		ours := pv.Via == batch.Source || pv.Via == "" && pv.Source == batch.Source
		if ours && !listed[key] && !h.Withdrawn {
			p.Withdrawn = append(p.Withdrawn, Withdrawal{Key: h.Key, SourceID: h.Entry.SourceID, Name: h.Entry.Name})
		}
	}
	slices.SortFunc(p.Withdrawn, func(a, b Withdrawal) int { return strings.Compare(a.SourceID, b.SourceID) })
	// New ids are compared with every held entry, those of this source
	// included: an entry held back as a duplicate of another entry of the
	// same file must still be held back when the file comes again, once
	// that other entry is held.
	idx := newDupIndex(held, all)
	p.Added = make([]Planned, 0, len(fresh))
	for _, i := range fresh {
		e := batch.Entries[i]
		if m := idx.matches(e); len(m) > 0 {
			p.Duplicates = append(p.Duplicates, Duplicate{Ref: batch.Refs[i], Entry: e, Matches: m})
		} else {
			p.Added = append(p.Added, Planned{Ref: batch.Refs[i], Entry: e})
			idx.add(dupItem{ref: batch.Refs[i], entry: &batch.Entries[i]})
		}
	}
	return p
}

// diff lists the fields of e that differ from h. Import time and source
// URL are not changes: they differ on every import.
func diff(h, e Entry) []Change {
	var out []Change
	cmp := func(field, old, new string) {
		if old != new {
			out = append(out, Change{Field: field, Old: old, New: new})
		}
	}
	cmp("kind", h.Kind, e.Kind)
	cmp("name", h.Name, e.Name)
	cmp("description", h.Description, e.Description)
	cmp("descriptionMore", h.DescriptionMore, e.DescriptionMore)
	cmp("commitment", h.Commitment, e.Commitment)
	cmp("place", h.Place.Name, e.Place.Name)
	cmp("street", h.Place.Street, e.Place.Street)
	cmp("postal code", h.Place.PostalCode, e.Place.PostalCode)
	cmp("locality", h.Place.Locality, e.Place.Locality)
	cmp("country", h.Place.Country, e.Place.Country)
	if !samePosition(h.Place, e.Place) {
		out = append(out, Change{Field: "position", Old: positionText(h.Place), New: positionText(e.Place)})
	}
	cmp("website", h.Website, e.Website)
	cmp("email", h.Email, e.Email)
	cmp("url", h.URL, e.URL)
	cmp("sectors", strings.Join(h.Sectors, ", "), strings.Join(e.Sectors, ", "))
	cmp("categories", strings.Join(h.Categories, "; "), strings.Join(e.Categories, "; "))
	cmp("status", h.Status, e.Status)
	cmp("deadline", timeText(h.Deadline), timeText(e.Deadline))
	cmp("partner roles", strings.Join(h.PartnerRoles, ", "), strings.Join(e.PartnerRoles, ", "))
	cmp("organisation", h.Org, e.Org)
	cmp("organisation name", h.OrgName, e.OrgName)
	cmp("licence", h.Provenance.Licence, e.Provenance.Licence)
	cmp("source key", h.Provenance.SourceKey, e.Provenance.SourceKey)
	cmp("origin", h.Provenance.Origin, e.Provenance.Origin)
	cmp("listed via", h.Provenance.Via, e.Provenance.Via)
	return out
}

// entryKey is e's matchKey: its provenance's source and id, as the
// builder set them, else the batch's source and e's id.
func entryKey(batch *Batch, e Entry) string {
	source, id := e.Provenance.Source, e.Provenance.SourceID
	if source == "" {
		source = batch.Source
	}
	if id == "" {
		id = e.SourceID
	}
	return matchKey(source, id)
}

// samePosition treats positions within 1e-6 degrees (about 10 cm) as
// equal, so that a round trip through decimal text is no change.
func samePosition(a, b Place) bool {
	if (a.Lat == nil) != (b.Lat == nil) {
		return false
	}
	if a.Lat == nil {
		return true
	}
	return math.Abs(*a.Lat-*b.Lat) < 1e-6 && math.Abs(*a.Lon-*b.Lon) < 1e-6
}

func positionText(p Place) string {
	if p.Lat == nil {
		return ""
	}
	return fmt.Sprintf("%.6f, %.6f", *p.Lat, *p.Lon)
}

func timeText(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
