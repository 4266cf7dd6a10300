// Package httperr is the one table from error kinds (internal/errs) to HTTP
// statuses, used by the pages, the JSON API and the federation endpoints.
// Only the status and its standard text reach a client; the error's own
// text, which may name files, hosts or internal state, goes to the log.
package httperr

import (
	"net/http"

	"codeberg.org/maillage/maillage/internal/errs"
)

var statuses = map[errs.Kind]int{
	errs.NotFound:          http.StatusNotFound,
	errs.Forbidden:         http.StatusForbidden,
	errs.Conflict:          http.StatusConflict,
	errs.Invalid:           http.StatusUnprocessableEntity,
	errs.Malformed:         http.StatusBadRequest,
	errs.RateLimited:       http.StatusTooManyRequests,
	errs.TooLarge:          http.StatusRequestEntityTooLarge,
	errs.Gone:              http.StatusGone,
	errs.RemoteUnavailable: http.StatusBadGateway,
	errs.RemoteInvalid:     http.StatusBadGateway,
}

// Status returns the HTTP status for err's kind; 500 for everything
// unexpected (errs.Internal).
func Status(err error) int {
	if s, ok := statuses[errs.KindOf(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Write answers err's status with its standard text only; it returns the
// status so that the caller can log a 5xx.
func Write(w http.ResponseWriter, err error) int {
	s := Status(err)
	http.Error(w, http.StatusText(s), s)
	return s
}
