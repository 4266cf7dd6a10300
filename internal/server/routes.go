package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"codeberg.org/maillage/maillage/federation"
	"codeberg.org/maillage/maillage/internal/metrics"
	"codeberg.org/maillage/maillage/internal/web"
)

// routes assembles the instance's HTTP surface on one router, behind one
// middleware stack: what other servers request (federation, which asks web
// for the pages of its ids), then the pages, the member area, the
// administration forms and the JSON API (web).
func routes(m *metrics.Metrics, fed *federation.Federation, h *web.Handler) http.Handler {
	r := chi.NewRouter()
	r.Use(m.Middleware, middleware.Recoverer)
	r.Use(h.Middleware()...)
	fed.Routes(r, h)
	h.Routes(r)
	return r
}
