// Package feeds writes directory entries in the formats other software
// reads: Atom 1.0 (RFC 4287) for feed readers, iCalendar (RFC 5545) for the
// deadlines of calls, CSV (RFC 4180) for spreadsheets and GeoJSON (RFC 7946)
// for maps.
//
// Each writer is a pure function of its arguments: no clock, no I/O other
// than the io.Writer it is given, no package state, so it is safe for
// concurrent use and the same input always gives the same bytes (handy for
// ETags). Writers buffer their output and write it as they go; on error the
// writer may have received part of a document, so HTTP handlers should render
// into a buffer first, as they do for pages.
//
// The bulk exports, CSV and GeoJSON, never carry e-mail addresses: any
// e-mail-looking text is replaced by "[e-mail removed]", and a URL that
// contains one is dropped. CSV cells are also guarded against formula
// injection. Atom and iCalendar carry the entries' public text unchanged,
// escaped for their syntax.
package feeds

// Content types to send with each format.
const (
	ContentTypeAtom    = "application/atom+xml; charset=utf-8"
	ContentTypeICal    = "text/calendar; charset=utf-8"
	ContentTypeCSV     = "text/csv; charset=utf-8"
	ContentTypeGeoJSON = "application/geo+json"
)
