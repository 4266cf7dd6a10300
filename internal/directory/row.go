package directory

import (
	"encoding/binary"
	"math"
	"strings"
	"time"
)

// row is one entry: what queries scan and sort on, fixed size, and the
// offset of its texts in the arena (arena.go). Strings that entries share
// are numbers of Index.strs. 96 bytes, plus the texts.
type row struct {
	published int64   // unix nanoseconds
	deadline  int64   // unix nanoseconds; noDeadline when none
	lat, lon  float64 // degrees, as given (flagLat, flagLon)

	sectors uint64 // bit i: model.Sectors[i]
	grams   grams  // of the folded title, summary, organisation and place

	off           uint32 // the entry's fields in Index.arena
	org, orgName  uint32
	sourceKey     uint32 // the host in lower case (as given: fSource)
	countryKey    uint32 // the country in upper case, trimmed (as given: fCountry)
	place, status uint32
	roles         uint32 // bit i: model.PartnerRoles[i]
	titleLen      uint32 // fText[:titleLen] is the folded title
	kind          uint8  // one of the kind bits, 0 for another kind (fKind)
	flags         uint16
}

// Row flags.
const (
	flagLocal       uint16 = 1 << iota
	flagLat                // lat is set
	flagLon                // lon is set
	flagDeadline           // the entry has a deadline
	flagURLIsID            // the page is the IRI
	flagIDInOrg            // the IRI is Org followed by fID
	flagOddTimes           // Published or Deadline is kept whole in the arena
	flagOrgInSearch        // the organisation name differs from the title: searched too
	flagListed             // Provenance is set: listed from an imported map (fProvStrs, fProvRest)
	flagAltIsTitle         // ImageAlt is the title, as organisations' logos without a description
)

func (r *row) hasPos() bool {
	return r.flags&(flagLat|flagLon) == flagLat|flagLon && validPos(r.lat, r.lon)
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

func bitKind(b uint8) Kind {
	switch b {
	case bitOrg:
		return KindOrg
	case bitProject:
		return KindProject
	case bitCall:
		return KindCall
	}
	return ""
}

// exact reports whether t is what time.Unix(0, n).UTC() gives back, so
// that its unix nanoseconds are enough to keep it.
func exact(t time.Time, n int64) bool {
	return t == time.Unix(0, n).UTC()
}

// encode makes the row of e, its texts appended to the arena.
func (ix *Index) encode(e *Entry) row {
	r := row{
		published:  nanos(e.Published),
		deadline:   noDeadline,
		org:        ix.intern(e.Org),
		orgName:    ix.internFolded(e.OrgName),
		sourceKey:  ix.intern(strings.ToLower(e.Source)),
		countryKey: ix.intern(strings.ToUpper(strings.TrimSpace(e.Country))),
		place:      ix.internFolded(e.PlaceName),
		status:     ix.intern(e.Status),
		kind:       kindBit(e.Kind),
		off:        uint32(len(ix.arena)),
	}
	odd := !exact(e.Published, r.published)
	if e.Deadline != nil {
		r.flags |= flagDeadline
		r.deadline = min(nanos(*e.Deadline), noDeadline-1)
		odd = odd || !exact(*e.Deadline, r.deadline)
	}
	if odd {
		r.flags |= flagOddTimes
	}
	if e.Local {
		r.flags |= flagLocal
	}
	if e.Lat != nil {
		r.flags, r.lat = r.flags|flagLat, *e.Lat
	}
	if e.Lon != nil {
		r.flags, r.lon = r.flags|flagLon, *e.Lon
	}
	if e.URL == e.ID {
		r.flags |= flagURLIsID
	}
	id := e.ID
	if e.Org != "" && strings.HasPrefix(id, e.Org) {
		r.flags, id = r.flags|flagIDInOrg, id[len(e.Org):]
	}
	if e.OrgName != e.Title {
		r.flags |= flagOrgInSearch
	}
	if e.Provenance != nil {
		r.flags |= flagListed
	}
	if e.ImageAlt != "" && e.ImageAlt == e.Title {
		r.flags |= flagAltIsTitle
	}
	for _, s := range e.Sectors {
		r.sectors |= ix.sectorBit[s]
	}
	for _, s := range e.PartnerRoles {
		r.roles |= ix.roleBit[s]
	}

	ix.arena = grow(ix.arena, 256+4*(len(e.Title)+len(e.Summary)+len(e.ID)+len(e.URL)), 64<<10)
	var fs [nFields][]byte
	title, titlePatch := foldPatch(e.Title, ix.runes)
	summary, summaryPatch := foldPatch(e.Summary, ix.runes)
	r.titleLen = uint32(len(title))
	fs[fText], fs[fTitlePatch], fs[fSummaryPatch] = []byte(title+"\n"+summary), titlePatch, summaryPatch
	fs[fID] = []byte(id)
	if r.flags&flagURLIsID == 0 {
		fs[fURL] = []byte(e.URL)
	}
	for _, s := range e.Sectors {
		fs[fSectors] = binary.AppendUvarint(fs[fSectors], uint64(ix.intern(s)))
	}
	for _, s := range e.PartnerRoles {
		fs[fRoles] = binary.AppendUvarint(fs[fRoles], uint64(ix.intern(s)))
	}
	if e.LegalForm != "" || e.Website != "" {
		fs[fOrgFields] = binary.AppendUvarint(fs[fOrgFields], uint64(ix.intern(e.LegalForm)))
		fs[fOrgFields] = binary.AppendUvarint(fs[fOrgFields], uint64(ix.intern(e.Website)))
	}
	if e.Source != ix.str(r.sourceKey) {
		fs[fSource] = []byte(e.Source)
	}
	if e.Country != ix.str(r.countryKey) {
		fs[fCountry] = []byte(e.Country)
	}
	if odd {
		fs[fPublished], _ = e.Published.MarshalBinary()
		if e.Deadline != nil {
			fs[fDeadline], _ = e.Deadline.MarshalBinary()
		}
	}
	if r.kind == 0 {
		fs[fKind] = []byte(e.Kind)
	}
	fs[fImage] = []byte(e.Image)
	if r.flags&flagAltIsTitle == 0 {
		fs[fImageAlt] = []byte(e.ImageAlt)
	}
	if p := e.Provenance; p != nil {
		fs[fProvStrs], fs[fProvRest] = ix.encodeProvenance(p)
	}
	ix.arena = appendFields(ix.arena, &fs)
	ix.setGrams(&r)
	return r
}

// setGrams computes the filter of r's search text.
func (ix *Index) setGrams(r *row) {
	parts := []string{string(field(ix.arena, r.off, fText))}
	if r.flags&flagOrgInSearch != 0 {
		parts = append(parts, ix.foldedStr(r.orgName))
	}
	parts = append(parts, ix.foldedStr(r.place))
	r.grams = gramsOf(strings.Join(parts, "\n"))
}

// release drops the strings of r and counts its texts as garbage.
func (ix *Index) release(r *row) {
	for _, id := range [...]uint32{r.org, r.orgName, r.sourceKey, r.countryKey, r.place, r.status} {
		ix.drop(id)
	}
	for _, k := range [...]int{fSectors, fRoles, fOrgFields, fProvStrs} {
		for p := field(ix.arena, r.off, k); len(p) > 0; {
			id, w := binary.Uvarint(p)
			ix.drop(uint32(id))
			p = p[w:]
		}
	}
	ix.garbage += fieldsLen(ix.arena, r.off)
}

// decode rebuilds the entry of r.
func (ix *Index) decode(r *row) Entry {
	a, off := ix.arena, r.off
	e := Entry{
		Title:     ix.title(r),
		Summary:   unfold(field(a, off, fText)[r.titleLen+1:], field(a, off, fSummaryPatch)),
		Kind:      bitKind(r.kind),
		Org:       ix.str(r.org),
		OrgName:   ix.str(r.orgName),
		Source:    ix.str(r.sourceKey),
		Local:     r.flags&flagLocal != 0,
		Country:   ix.str(r.countryKey),
		PlaceName: ix.str(r.place),
		Status:    ix.str(r.status),
		Published: time.Unix(0, r.published).UTC(),
	}
	e.ID = ix.idOf(r)
	if r.flags&flagURLIsID != 0 {
		e.URL = e.ID
	} else {
		e.URL = string(field(a, off, fURL))
	}
	if r.kind == 0 {
		e.Kind = Kind(field(a, off, fKind))
	}
	if f := field(a, off, fSource); len(f) > 0 {
		e.Source = string(f)
	}
	if f := field(a, off, fCountry); len(f) > 0 {
		e.Country = string(f)
	}
	e.Sectors = ix.strList(field(a, off, fSectors))
	e.PartnerRoles = ix.strList(field(a, off, fRoles))
	if p := field(a, off, fOrgFields); len(p) > 0 {
		legal, w := binary.Uvarint(p)
		website, _ := binary.Uvarint(p[w:])
		e.LegalForm, e.Website = ix.str(uint32(legal)), ix.str(uint32(website))
	}
	if r.flags&flagLat != 0 {
		e.Lat = &r.lat
	}
	if r.flags&flagLon != 0 {
		e.Lon = &r.lon
	}
	if r.flags&flagDeadline != 0 {
		d := time.Unix(0, r.deadline).UTC()
		e.Deadline = &d
	}
	if r.flags&flagOddTimes != 0 {
		_ = e.Published.UnmarshalBinary(field(a, off, fPublished))
		if e.Deadline != nil {
			_ = e.Deadline.UnmarshalBinary(field(a, off, fDeadline))
		}
	}
	e.Image = string(field(a, off, fImage))
	if r.flags&flagAltIsTitle != 0 {
		e.ImageAlt = e.Title
	} else {
		e.ImageAlt = string(field(a, off, fImageAlt))
	}
	if r.flags&flagListed != 0 {
		e.Provenance = ix.decodeProvenance(field(a, off, fProvStrs), field(a, off, fProvRest))
	}
	return clone(e) // Lat and Lon point into the row until then
}

// idOf is the IRI of r.
func (ix *Index) idOf(r *row) string {
	rest := field(ix.arena, r.off, fID)
	if r.flags&flagIDInOrg != 0 {
		return ix.str(r.org) + string(rest)
	}
	return string(rest)
}

// idParts is the IRI of r in two parts: the organisation's IRI or "",
// and the rest.
func (ix *Index) idParts(r *row) (string, []byte) {
	rest := field(ix.arena, r.off, fID)
	if r.flags&flagIDInOrg != 0 {
		return ix.str(r.org), rest
	}
	return "", rest
}

// titleKey is r's folded title, the title sort key.
func (ix *Index) titleKey(r *row) []byte { return field(ix.arena, r.off, fText)[:r.titleLen] }

// title is r's title as given.
func (ix *Index) title(r *row) string {
	return unfold(ix.titleKey(r), field(ix.arena, r.off, fTitlePatch))
}

// strList decodes a field of string ids; nil when empty, as a slice of
// none is given back as nil too by clone.
func (ix *Index) strList(p []byte) []string {
	var out []string
	for len(p) > 0 {
		id, w := binary.Uvarint(p)
		out = append(out, ix.str(uint32(id)))
		p = p[w:]
	}
	return out
}

// openAt reports whether r is a call open at now (unix nanoseconds), open
// being the number of the status "open"; as model.CallState.IsOpen.
func (r *row) openAt(open uint32, now int64) bool {
	return r.kind == bitCall && open != 0 && r.status == open && (r.flags&flagDeadline == 0 || now <= r.deadline)
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
