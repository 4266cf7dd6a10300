// Package importer reads the maps the field already has (GoGoCarto element
// exports, GeoJSON, CSV, and maillage's own /directory.geojson and
// /directory.csv) into one Entry type, and plans an import against what an
// instance already holds.
//
// It is the pure core of issue #10: no store, no network, no clock of its
// own (the import time is passed in Options.Now). Parse turns a file into a
// Batch of valid entries and refused ones, each refusal with its index or
// line and its reasons; NewPlan compares a Batch with the entries held and
// says what would be added, updated (and what changed), left unchanged,
// withdrawn, refused, or held back as a possible duplicate. Nothing is
// applied here: the caller applies a Plan in one transaction, or not at all.
//
// Personal data never becomes a public field: "hidden" and "private"
// placeholders are dropped, an e-mail address is kept only when it is a role
// address on the organisation's own website domain, and telephone numbers
// are dropped (see contact.go for why). E-mail addresses and phone numbers
// found inside descriptions are replaced.
//
// Bounds: a file is read through a limit (Limits.MaxBytes, 50 MB by
// default) and may hold at most Limits.MaxEntries entries (100,000); beyond
// either, Parse fails for the whole file with ErrTooLarge or
// ErrTooManyEntries, so a failed import changes nothing.
package importer
