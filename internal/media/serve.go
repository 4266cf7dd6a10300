package media

import (
	"net/http"
	"os"
	"strings"

	"github.com/go-chi/chi/v5"
)

// Handler serves local media (/media/{name}) and the remote cache
// (/media/remote/{name}).
type Handler struct {
	Files *Files
	Cache *Cache
}

// Routes mounts the media paths on r.
func (h *Handler) Routes(r chi.Router) {
	r.Get("/media/{name}", h.serveLocal)
	r.Get("/media/remote/{name}", h.serveRemote)
	// Link preview fetchers ask HEAD first; ServeContent answers it.
	r.Head("/media/{name}", h.serveLocal)
	r.Head("/media/remote/{name}", h.serveRemote)
}

func (h *Handler) serveLocal(w http.ResponseWriter, r *http.Request) {
	name := chi.URLParam(r, "name")
	path, ok := h.Files.Path(name)
	if !ok {
		http.NotFound(w, r)
		return
	}
	// A content-addressed name never changes meaning: cached for a year,
	// never revalidated (RFC 8246).
	serveFile(w, r, path, name, "public, max-age=31536000, immutable")
}

func (h *Handler) serveRemote(w http.ResponseWriter, r *http.Request) {
	name := chi.URLParam(r, "name")
	path, ok := h.Cache.file(name)
	if !ok {
		http.NotFound(w, r)
		return
	}
	// The same key names the next copy after an eviction, which the
	// remote server may have changed: a day, not forever.
	serveFile(w, r, path, name, "public, max-age=86400")
}

// serveFile sends a file written by this package: its type is the one it
// was encoded as, said outright and never sniffed by the browser.
func serveFile(w http.ResponseWriter, r *http.Request, path, name, cacheControl string) {
	f, err := os.Open(path)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/jpeg")
	if strings.HasSuffix(name, ".png") {
		h.Set("Content-Type", "image/png")
	}
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", cacheControl)
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Content-Disposition", "inline")
	h.Set("ETag", `"`+strings.TrimSuffix(strings.TrimSuffix(name, ".jpg"), ".png")+`"`)
	http.ServeContent(w, r, "", info.ModTime(), f)
}
