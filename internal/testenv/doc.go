// Package testenv starts real maillage instances on loopback addresses
// (127.0.0.x) for tests: each with its own store in a temporary directory,
// its own logger, plain HTTP or HTTPS with certificates from a test CA, and
// an admin API client. Instances federate over real HTTP with real
// signatures; nothing leaves 127.0.0.0/8. Handler tests that need no
// federation use NewHandler instead: the same instance, with no listener,
// served through httptest.
package testenv
