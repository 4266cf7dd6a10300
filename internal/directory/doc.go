// Package directory is the searchable read model of everything an instance
// knows: its own organisations, projects and calls, and those it received
// from the instances and organisations it follows. It keeps one compact
// Entry per item in memory (a linear scan of 100,000 entries with bit-mask
// filters answers a query in milliseconds), is built from the store at
// start, and is refreshed item by item after each change.
package directory
