package api

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/i18n"
	"codeberg.org/maillage/maillage/internal/media"
	"codeberg.org/maillage/maillage/internal/metrics"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/uris"
)

// Deps are what the API needs.
type Deps struct {
	Service *service.Service
	URIs    uris.URIs
	Log     *slog.Logger
	// Messages renders validation codes (the API answers in English).
	Messages *i18n.Bundle
	// Operations: all optional.
	Metrics    *metrics.Metrics // nil: no /metrics
	Ready      func() error     // the readiness check of /readyz
	Deliveries DeliveryQueue    // retry and drop queued deliveries
	// Now is the instance's clock (backup names); nil: time.Now.
	Now func() time.Time
	// Media lists the uploaded images for backups (nil: none).
	Media *media.Files
}

// Handler serves the JSON administration API and the operations
// endpoints.
type Handler struct {
	svc  *service.Service
	uris uris.URIs
	log  *slog.Logger
	tr   *i18n.Bundle

	metrics    *metrics.Metrics
	readyCheck func() error
	queue      DeliveryQueue
	now        func() time.Time
	media      *media.Files // media.go
}

// New returns the API handler; Routes mounts it.
func New(d Deps) *Handler {
	h := &Handler{svc: d.Service, uris: d.URIs, log: d.Log, tr: d.Messages, metrics: d.Metrics,
		readyCheck: d.Ready, queue: d.Deliveries, now: d.Now, media: d.Media}
	if h.now == nil {
		h.now = time.Now
	}
	return h
}

// Routes mounts the operations endpoints and /api/v1 on r. Every /api/v1
// route needs the admin token.
func (h *Handler) Routes(r chi.Router) {
	r.Get("/healthz", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	r.Get("/readyz", h.ready)
	if h.metrics != nil {
		r.Method(http.MethodGet, "/metrics", h.metrics.Handler())
	}
	// Mastodon's instance API, which GoToSocial and others probe before
	// NodeInfo: not ours, so a plain 404 rather than the admin API's 401.
	r.Get("/api/v1/instance", http.NotFound)
	r.Route("/api/v1", func(r chi.Router) {
		r.Use(h.requireToken)
		h.claimRoutes(r)
		r.Get("/orgs", h.apiOrgs)
		r.Post("/orgs", h.apiCreateOrg)
		r.Put("/orgs/{org}", h.apiUpdateOrg)
		r.Put("/orgs/{org}/aliases", h.apiSetAliases)
		r.Post("/orgs/{org}/move", h.apiMove)
		r.Get("/objects", h.apiObjects)
		r.Get("/orgs/{org}/objects", h.apiObjects)
		r.Post("/orgs/{org}/objects", h.apiPublish)
		r.Put("/orgs/{org}/{kinds:projects|calls}/{id}", h.apiEdit)
		r.Patch("/orgs/{org}/{kinds:projects|calls}/{id}", h.apiPatch)
		r.Delete("/orgs/{org}/{kinds:projects|calls}/{id}", h.apiDelete)
		r.Get("/orgs/{org}/{kinds:projects|calls}/{id}/replies", h.apiReplies)
		r.Get("/orgs/{org}/followers", h.apiFollowers)
		r.Post("/orgs/{org}/followers/approve", h.apiApprove)
		r.Get("/orgs/{org}/following", h.apiFollowing)
		r.Post("/orgs/{org}/follow", h.apiFollow)
		r.Post("/orgs/{org}/unfollow", h.apiUnfollow)
		r.Post("/orgs/{org}/replies", h.apiReply)
		r.Post("/admins", h.apiCreateAdmin)
		r.Delete("/admins/{username}", h.apiDeleteAdmin)
		r.Post("/admins/{username}/sessions/end", h.apiEndSessions)
		r.Get("/blocks", h.apiBlocks)
		r.Post("/blocks", h.apiBlock)
		r.Delete("/blocks", h.apiUnblock)
		r.Get("/relays", h.apiRelays)
		r.Post("/relays", h.apiAddRelay)
		r.Patch("/relays", h.apiUpdateRelay)
		r.Delete("/relays", h.apiRemoveRelay)
		r.Get("/reports", h.apiReports)
		r.Post("/reports", h.apiReport)
		r.Post("/backup", h.apiBackup)
		r.Get("/media", h.apiMedia)
		r.Post("/import", h.apiImport)
		r.Get("/deliveries", h.apiDeliveries)
		r.Post("/deliveries/{id}/retry", h.apiRetryDelivery)
		r.Delete("/deliveries/{id}", h.apiDropDelivery)
	})
}
