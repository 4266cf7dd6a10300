package httperr

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/errs"
)

func TestStatus(t *testing.T) {
	notFound := errs.New(errs.NotFound, "store: not found")
	for _, tc := range []struct {
		name string
		err  error
		want int
	}{
		{"plain error", errors.New("disk full"), 500},
		{"sentinel wrapped", fmt.Errorf("call x: %w", notFound), 404},
		{"bare kind", fmt.Errorf("denied: %w", errs.Forbidden), 403},
		{"outermost kind wins", errs.E(errs.RemoteInvalid, fmt.Errorf("actor: %w", notFound)), 502},
		{"invalid", errs.E(errs.Invalid, errors.New("bad")), 422},
		{"malformed", errs.E(errs.Malformed, errors.New("bad json")), 400},
		{"remote unavailable", errs.E(errs.RemoteUnavailable, errors.New("dial")), 502},
		{"rate limited", errs.E(errs.RateLimited, errors.New("slow down")), 429},
		{"too large", errs.E(errs.TooLarge, errors.New("big")), 413},
		{"gone", errs.E(errs.Gone, errors.New("410")), 410},
		{"conflict", errs.E(errs.Conflict, errors.New("exists")), 409},
	} {
		if got := Status(tc.err); got != tc.want {
			t.Errorf("%s: Status(%v) = %d, want %d", tc.name, tc.err, got, tc.want)
		}
	}
}

func TestWriteHidesInternalText(t *testing.T) {
	rec := httptest.NewRecorder()
	if s := Write(rec, fmt.Errorf("open /var/lib/maillage/db: %w", errors.New("permission denied"))); s != 500 {
		t.Fatalf("Write = %d, want 500", s)
	}
	if body := rec.Body.String(); strings.Contains(body, "/var/lib") || !strings.Contains(body, http.StatusText(500)) {
		t.Errorf("body = %q, want only the status text", body)
	}
}
