package webkit

import (
	"embed"
	"net/http"
)

//go:embed static
var staticFS embed.FS

// Static serves the embedded stylesheet and other assets, cached for a day.
func Static() http.Handler {
	files := http.FileServer(http.FS(staticFS))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	})
}
