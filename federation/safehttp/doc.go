// Package safehttp builds the HTTP client that every outgoing request uses:
// WebFinger, actor, key and object fetches, and deliveries.
//
// Remote input decides where these requests go, so by default the client
// refuses destinations that are not globally routable (loopback, private,
// link-local, CGNAT and similar). The check runs in the dialer's Control hook
// on the resolved IP address, just before connecting, so it also covers names
// that resolve to internal addresses, DNS rebinding and redirects. Tests and
// local demos turn it off with Options.AllowPrivate.
//
// The client never reads proxy settings from the environment, never disables
// TLS verification, follows at most three redirects, only to http or https,
// and never carries an HTTP Signature header to another origin (see
// CheckRedirect). Callers still cap what they read with ReadLimited.
package safehttp
