package web

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"codeberg.org/maillage/maillage/federation/delivery"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
)

// statusOf maps an error to an HTTP status; everything unexpected is 500.
func statusOf(err error) int {
	var ve *model.ValidationError
	switch {
	case errors.As(err, &ve):
		return http.StatusUnprocessableEntity
	case errors.Is(err, service.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, service.ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, service.ErrConflict), errors.Is(err, delivery.ErrInFlight):
		return http.StatusConflict
	}
	return http.StatusInternalServerError
}

// apiError is the JSON body of an API error. Internal error text never
// reaches the client: a 500 says only that something failed.
type apiError struct {
	Error  string            `json:"error"`
	Fields map[string]string `json:"fields,omitempty"`
}

func writeAPIError(w http.ResponseWriter, log *slog.Logger, err error) {
	status := statusOf(err)
	body := apiError{Error: http.StatusText(status)}
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		body.Fields = ve.Fields
	}
	if status >= 500 {
		log.Error("request failed", "err", err)
	}
	writeAPI(w, status, body)
}

func writeAPI(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writePageError(w http.ResponseWriter, log *slog.Logger, err error) {
	status := statusOf(err)
	if status >= 500 {
		log.Error("page failed", "err", err)
	}
	http.Error(w, http.StatusText(status), status)
}
