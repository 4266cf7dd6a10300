package directory

import (
	"encoding/binary"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// The provenance of an organisation listed from an imported map is rare
// (flagListed) and kept in two fields of the arena: fProvStrs, the string
// ids of what the entries of one import share (Source, SourceURL,
// SourceKey, Licence), released with the row as the other id lists; and
// fProvRest, the source's own id and the three times, each a uvarint
// length and its bytes (a time as time.MarshalBinary, none when zero).

// encodeProvenance returns the two fields of p, counting its strings.
func (ix *Index) encodeProvenance(p *model.Provenance) (strs, rest []byte) {
	for _, s := range [...]string{p.Source, p.SourceURL, p.SourceKey, p.Licence} {
		strs = binary.AppendUvarint(strs, uint64(ix.intern(s)))
	}
	rest = binary.AppendUvarint(rest, uint64(len(p.SourceID)))
	rest = append(rest, p.SourceID...)
	for _, t := range [...]time.Time{p.Imported, p.Withdrawn, p.Claimed} {
		var b []byte
		if !t.IsZero() {
			b, _ = t.MarshalBinary() // as fPublished
		}
		rest = binary.AppendUvarint(rest, uint64(len(b)))
		rest = append(rest, b...)
	}
	return strs, rest
}

// decodeProvenance rebuilds the provenance of encodeProvenance's fields.
func (ix *Index) decodeProvenance(strs, rest []byte) *model.Provenance {
	var ids [4]string
	for i := range ids {
		id, w := binary.Uvarint(strs)
		ids[i], strs = ix.str(uint32(id)), strs[w:]
	}
	p := &model.Provenance{Source: ids[0], SourceURL: ids[1], SourceKey: ids[2], Licence: ids[3]}
	next := func() []byte {
		n, w := binary.Uvarint(rest)
		b := rest[w : w+int(n)]
		rest = rest[w+int(n):]
		return b
	}
	p.SourceID = string(next())
	for _, t := range [...]*time.Time{&p.Imported, &p.Withdrawn, &p.Claimed} {
		if b := next(); len(b) > 0 {
			_ = t.UnmarshalBinary(b)
		}
	}
	return p
}
