package api

import "net/http"

// apiMedia lists the uploaded images' files, for `maillage backup`,
// which fetches those it lacks from /media/. Files are never removed
// (media.Files), so a list taken after the database copy names every
// file that copy refers to.
func (h *Handler) apiMedia(w http.ResponseWriter, r *http.Request) {
	names := []string{}
	if h.media != nil {
		list, err := h.media.Names()
		if err != nil {
			h.writeAPIError(w, err)
			return
		}
		names = append(names, list...)
	}
	writeAPI(w, http.StatusOK, map[string]any{"files": names})
}
