// Package directory is the searchable read model of everything an instance
// knows: its own organisations, projects and calls, and those it received
// from the instances and organisations it follows.
//
// An Index keeps every entry in memory as a fixed-size row of scan data
// (sector and role bit masks, position, dates, shared strings as numbers)
// and its texts in one byte arena, the title and summary folded for the
// search with a patch back to the original: about 300 bytes an entry
// (BenchmarkIndexBytes). A query is a linear scan with cheap filters
// followed by a sort of the matches only: a few milliseconds for 100,000
// entries (see BenchmarkQuery); the entries of the page it returns are
// rebuilt from their rows. Load builds it from the store at start; after each
// change the caller passes the changed IRIs to Refresh.
//
// The index is a read model that the service feeds, which is why it may
// read the store without the service: internal/server registers Refresh once
// as the service's OnCommit observer, so that every committed change reaches
// it, and Load and Refresh only read, in read-only transactions, the records
// the service wrote. It never writes to the store.
//
// Places returns every match that has a position, beyond one page, for
// the directory's map; Query.Within limits a query to the map's area.
//
// Query, Places and Counts take the current time as an argument, which decides
// which calls are open and which have expired.
package directory
