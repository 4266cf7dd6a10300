package directory

import (
	"math"
	"strings"
	"time"

	"codeberg.org/maillage/maillage/internal/fold"
	"codeberg.org/maillage/maillage/internal/model"
)

// row is the compact part of an entry that queries scan and sort on, kept
// apart from the entries so that a scan reads about 160 bytes per entry.
type row struct {
	id      string
	search  string // folded title, summary, organisation and place, one per line
	grams   grams  // of search
	country string // upper case
	source  string // lower case

	published int64 // unix nanoseconds
	deadline  int64 // unix nanoseconds; noDeadline when none

	lat, lon, cosLat float64 // radians, when hasPos

	sectors, roles uint64 // bit i: model.Sectors[i], model.PartnerRoles[i]

	titleLen int32 // search[:titleLen] is the folded title, the title sort key
	kind     uint8 // one of the kind bits
	hasPos   bool
	listed   bool            // an organisation listed from an imported map
	call     model.CallState // calls: decides OpenOnly
}

const noDeadline = math.MaxInt64

// Kind bits.
const (
	bitOrg uint8 = 1 << iota
	bitProject
	bitCall
)

func kindBit(k Kind) uint8 {
	switch k {
	case KindOrg:
		return bitOrg
	case KindProject:
		return bitProject
	case KindCall:
		return bitCall
	}
	return 0
}

// row computes the scan data of e.
func (ix *Index) row(e *Entry) row {
	title := fold.String(e.Title)
	parts := []string{title, fold.String(e.Summary)}
	if e.OrgName != e.Title {
		parts = append(parts, fold.String(e.OrgName))
	}
	parts = append(parts, fold.String(e.PlaceName))
	r := row{
		id:        e.ID,
		search:    strings.Join(parts, "\n"),
		country:   strings.ToUpper(strings.TrimSpace(e.Country)),
		source:    strings.ToLower(e.Source),
		published: nanos(e.Published),
		deadline:  noDeadline,
		titleLen:  int32(len(title)),
		kind:      kindBit(e.Kind),
		listed:    e.Provenance != nil,
	}
	if e.Kind == KindCall {
		r.call = e.callState()
	}
	if e.Deadline != nil {
		r.deadline = min(nanos(*e.Deadline), noDeadline-1)
	}
	r.grams = gramsOf(r.search)
	for _, s := range e.Sectors {
		r.sectors |= ix.sectorBit[s]
	}
	for _, s := range e.PartnerRoles {
		r.roles |= ix.roleBit[s]
	}
	if e.Lat != nil && e.Lon != nil && validPos(*e.Lat, *e.Lon) {
		r.hasPos = true
		r.lat, r.lon = radians(*e.Lat), radians(*e.Lon)
		r.cosLat = math.Cos(r.lat)
	}
	return r
}

// nanos is t in unix nanoseconds, clamped to what an int64 holds.
func nanos(t time.Time) int64 {
	switch {
	case t.After(time.Unix(0, math.MaxInt64)):
		return math.MaxInt64
	case t.Before(time.Unix(0, math.MinInt64)):
		return math.MinInt64
	}
	return t.UnixNano()
}
