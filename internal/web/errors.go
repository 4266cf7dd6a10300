package web

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"codeberg.org/maillage/maillage/internal/httperr"
)

// writeJSON answers v as JSON (the directory's public document).
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writePageError(w http.ResponseWriter, log *slog.Logger, err error) {
	if status := httperr.Write(w, err); status >= 500 {
		log.Error("page failed", "err", err)
	}
}
