// Package demo runs a small maillage network on this machine: several
// real instances on loopback addresses, each hosting some of the seed
// organisations (package seeds), which follow each other and publish the
// seed projects and calls through the normal federation path. It backs
// `maillage demo` and the test that checks a whole network forms.
//
// Everything goes through each instance's own service, as a form or the
// admin API would: organisations are created with CreateOrg, follows are
// sent with Follow and wait for the other side's Accept, and content is
// published with Publish only once the follows are accepted, so that it
// reaches the other instances as deliveries. Progress is read from the
// stores in read-only transactions.
package demo
