package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"codeberg.org/maillage/maillage/federation"
	"codeberg.org/maillage/maillage/internal/api"
	"codeberg.org/maillage/maillage/internal/media"
	"codeberg.org/maillage/maillage/internal/metrics"
	"codeberg.org/maillage/maillage/internal/web"
	"codeberg.org/maillage/maillage/internal/web/admin"
)

// routes assembles the instance's HTTP surface on one router, behind one
// middleware stack: what other servers request (federation, which asks web
// for the pages of its ids), the pages and the member area (web), the
// administration forms (admin), and the JSON admin API with the operations
// endpoints (api).
func routes(m *metrics.Metrics, fed *federation.Federation, h *web.Handler, forms *admin.Handler, jsonAPI *api.Handler, images *media.Handler) http.Handler {
	r := chi.NewRouter()
	r.Use(m.Middleware, h.ErrorPages(), middleware.Recoverer)
	r.Use(h.Middleware()...)
	fed.Routes(r, h)
	h.Routes(r)
	forms.Routes(r)
	jsonAPI.Routes(r)
	images.Routes(r)
	return r
}
