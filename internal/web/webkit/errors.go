package webkit

import (
	"log/slog"
	"net/http"

	"codeberg.org/maillage/maillage/internal/httperr"
)

// WritePageError answers err with the status of its kind (httperr, the one
// table) and a safe page; a server fault is logged, never shown.
func WritePageError(w http.ResponseWriter, log *slog.Logger, err error) {
	if status := httperr.Write(w, err); status >= 500 {
		log.Error("page failed", "err", err)
	}
}
