package directory

import (
	"encoding/binary"
	"unicode/utf8"

	"codeberg.org/maillage/maillage/internal/fold"
)

// The texts of an entry live in one byte arena, as length-prefixed fields
// (see the field constants), not as strings of their own: a string costs
// its 16-byte header and a heap object rounded up to a size class, and the
// search needs the folded text anyway. A title or summary is kept folded,
// with a patch that turns it back into the original: case and accents
// differ from the folded text in a few places only, so the two together
// take about 1.2 times the text instead of 2.

// Fields of an entry in the arena, in this order.
const (
	fText         = iota // folded title, "\n", folded summary: what the search reads
	fTitlePatch          // patch from the folded title to the title
	fSummaryPatch        // patch from the folded summary to the summary
	fID                  // the IRI, or its part after Org when flagIDInOrg
	fSectors             // uvarint string ids, in order
	fRoles               // uvarint string ids, in order
	fURL                 // the page, when not the IRI (flagURLIsID)
	fOrgFields           // uvarint ids of LegalForm and Website
	fSource              // the host as given, when not row.sourceKey
	fCountry             // the country as given, when not row.countryKey
	fPublished           // time.MarshalBinary, when not exact in row.published
	fDeadline            // time.MarshalBinary, when not exact in row.deadline
	fKind                // the kind, when not one of the three
	fImage               // the image's path or URL
	fImageAlt            // its description, when not the title (flagAltIsTitle)
	fProvStrs            // uvarint string ids of Provenance's Source, SourceURL, SourceKey and Licence (flagListed)
	fProvRest            // Provenance's SourceID, Imported, Withdrawn and Claimed (provenance.go)
	nFields
)

// The fields of an entry are a byte with their number, the empty ones at
// the end left out, then each as a uvarint length and its bytes.

// appendFields appends the fields of one entry.
func appendFields(a []byte, fs *[nFields][]byte) []byte {
	n := nFields
	for n > 0 && len(fs[n-1]) == 0 {
		n--
	}
	a = append(a, byte(n))
	for _, f := range fs[:n] {
		a = binary.AppendUvarint(a, uint64(len(f)))
		a = append(a, f...)
	}
	return a
}

// field returns field k of the entry starting at off.
func field(a []byte, off uint32, k int) []byte {
	if k >= int(a[off]) {
		return nil
	}
	p := a[off+1:]
	for i := 0; ; i++ {
		n, w := binary.Uvarint(p)
		if i == k {
			return p[w : w+int(n)]
		}
		p = p[w+int(n):]
	}
}

// fieldsLen is the length of the entry starting at off.
func fieldsLen(a []byte, off uint32) int {
	p := a[off+1:]
	total := 1
	for range int(a[off]) {
		n, w := binary.Uvarint(p)
		total += w + int(n)
		p = p[w+int(n):]
	}
	return total
}

// foldPatch returns fold.String(s) and the patch that turns it back into
// s: nil when they are equal; else a 0 byte and operations (uvarint bytes
// of folded text to copy, a byte with the number of folded bytes to
// replace in its high 4 bits and of original bytes in its low 4 bits, the
// original bytes), the rest copied; or a 1 byte
// and s itself when folding rune by rune does not give the folded text
// (canonical reordering of marks) or the patch would not be shorter.
//
// runes caches the folding of single non-ASCII runes (nil: no cache).
func foldPatch(s string, runes map[rune]string) (string, []byte) {
	folded := fold.String(s)
	if folded == s {
		return folded, nil
	}
	built, runOrig := make([]byte, 0, len(folded)), make([]byte, 0, 16)
	ops := []byte{0}
	done, runStart, runFolded := 0, -1, 0 // done: folded bytes covered by ops
	var flushRun func()
	tooLong := false
	flushRun = func() {
		if runStart < 0 {
			return
		}
		if runFolded > 15 || len(runOrig) > 15 {
			tooLong = true
		}
		ops = binary.AppendUvarint(ops, uint64(runStart-done))
		ops = append(ops, byte(runFolded<<4|len(runOrig)&15))
		ops = append(ops, runOrig...)
		done = runStart + runFolded
		runStart, runFolded, runOrig = -1, 0, runOrig[:0]
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		orig := s[i : i+size]
		var f string
		if size == 1 && s[i] < utf8.RuneSelf {
			f = asciiLower[s[i]]
		} else if cached, ok := runes[r]; ok && r != utf8.RuneError {
			f = cached
		} else {
			f = fold.String(orig)
			if runes != nil && r != utf8.RuneError && len(runes) < maxFoldedRunes {
				runes[r] = f
			}
		}
		if f == orig {
			flushRun()
		} else {
			if runStart < 0 {
				runStart = len(built)
			}
			runFolded += len(f)
			runOrig = append(runOrig, orig...)
		}
		built = append(built, f...)
		i += size
	}
	flushRun()
	if tooLong || string(built) != folded || len(ops) >= len(s) {
		return folded, append([]byte{1}, s...)
	}
	return folded, ops
}

// asciiLower[c] is c lower-cased, as a string: converting a byte to a
// string would allocate in foldPatch's loop.
var asciiLower = func() (t [utf8.RuneSelf]string) {
	for c := range utf8.RuneSelf {
		l := c
		if 'A' <= c && c <= 'Z' {
			l += 'a' - 'A'
		}
		t[c] = string(rune(l))
	}
	return t
}()

// maxFoldedRunes bounds the cache of foldPatch: a peer's texts may hold
// any number of distinct runes.
const maxFoldedRunes = 4096

// unfold applies a patch of foldPatch to the folded text.
func unfold(folded, patch []byte) string {
	switch {
	case len(patch) == 0:
		return string(folded)
	case patch[0] == 1:
		return string(patch[1:])
	}
	out := make([]byte, 0, len(folded)+len(patch))
	p, pos := patch[1:], 0
	for len(p) > 0 {
		skip, w := binary.Uvarint(p)
		consumed, n := int(p[w]>>4), int(p[w]&15)
		p = p[w+1:]
		out = append(out, folded[pos:pos+int(skip)]...)
		out = append(out, p[:n]...)
		p = p[n:]
		pos += int(skip) + consumed
	}
	return string(append(out, folded[pos:]...))
}
