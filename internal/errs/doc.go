// Package errs is maillage's closed set of error kinds: what a caller, and
// in the end an HTTP client, may learn about a failure. Errors are
// classified once, where they arise (the store's not-found, a service rule,
// a validation, a remote fetch), and keep their %w context; the kind is
// read back with [KindOf] or tested with errors.Is(err, errs.NotFound).
// The idea is upspin's small set of kinds (errors/errors.go), expressed with
// the standard errors package. The package imports nothing but the
// standard library and nothing of net/http, so every layer can use it;
// internal/httperr maps kinds to HTTP statuses.
package errs
