package api

import (
	"encoding/json"
	"errors"
	"net/http"

	"codeberg.org/maillage/maillage/internal/httperr"
	"codeberg.org/maillage/maillage/internal/i18n"
	"codeberg.org/maillage/maillage/internal/model"
)

// apiError is the JSON body of an API error. Internal error text never
// reaches the client: a 500 says only that something failed.
type apiError struct {
	Error  string            `json:"error"`
	Fields map[string]string `json:"fields,omitempty"`
}

// writeAPIError answers err's status; a validation error's field codes
// are rendered in English, the API's language.
func (h *Handler) writeAPIError(w http.ResponseWriter, err error) {
	status := httperr.Status(err)
	body := apiError{Error: http.StatusText(status)}
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		body.Fields = h.tr.Fields(i18n.Languages[0], ve.Fields)
	}
	if status >= 500 {
		h.log.Error("request failed", "err", err)
	}
	writeAPI(w, status, body)
}

func writeAPI(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
