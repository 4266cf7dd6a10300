// Package seeds holds maillage's example data as data files, and the small
// loader that parses them into the service's input types, so that seeded
// content passes the same validation as a form. Tests use the same data
// sets as named fixtures. All projects and calls here are invented
// examples, marked as such.
package seeds
