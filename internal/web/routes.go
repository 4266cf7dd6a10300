package web

import (
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/federation"
	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/i18n"
	"codeberg.org/maillage/maillage/internal/metrics"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/sanitize"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/uris"
)

// Deps are what the HTTP surface needs.
type Deps struct {
	Service   *service.Service
	URIs      uris.URIs
	Log       *slog.Logger
	Directory *directory.Index
	Sanitize  *sanitize.Policy
	// SetupToken is the one-time token of the first-run setup page ("":
	// no page), which also names SetupOrg, the first organisation.
	SetupToken, SetupOrg string
	// Operations (ops.go): all optional.
	Metrics    *metrics.Metrics // nil: no /metrics
	Ready      func() error     // the readiness check of /readyz
	Deliveries DeliveryQueue    // retry and drop queued deliveries
	// TrustedProxies are reverse proxies (besides loopback) whose
	// X-Forwarded-For names the client, for login rate limiting.
	TrustedProxies []netip.Prefix
	// Signup opens /signup (accounts waiting for approval); off: 404.
	Signup bool
	// Now is the instance's clock (open and expired calls, days left,
	// sessions); nil: time.Now.
	Now func() time.Time
}

// Handler serves the pages, the member area, the administration forms
// and the JSON API of an instance.
type Handler struct {
	svc   *service.Service
	uris  uris.URIs
	log   *slog.Logger
	pages map[string]*template.Template
	tr    *i18n.Bundle
	dir   *directory.Index
	san   *sanitize.Policy
	admin *adminState // administrators' login, sessions and CSRF protection
	setup *setupState // the first-run setup page (setup.go)

	readyCheck func() error
	queue      DeliveryQueue
	proxies    []netip.Prefix
	now        func() time.Time
	metrics    *metrics.Metrics
	signupOpen bool
}

// New builds the handler of the pages, the member area, the
// administration forms and the JSON API; Routes mounts them.
func New(d Deps) (*Handler, error) {
	pages, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	tr, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	h := &Handler{svc: d.Service, uris: d.URIs, log: d.Log, pages: pages, tr: tr,
		dir: d.Directory, san: d.Sanitize, readyCheck: d.Ready, queue: d.Deliveries, now: d.Now,
		metrics: d.Metrics, signupOpen: d.Signup}
	if h.now == nil {
		h.now = time.Now
	}
	if err := h.initAdmin(h.now); err != nil {
		return nil, err
	}
	if err := h.initMe(); err != nil {
		return nil, err
	}
	h.setup = newSetupState(d.SetupToken, d.SetupOrg)
	h.proxies = d.TrustedProxies
	return h, nil
}

// Middleware is what every route of the instance goes through, federation's
// included: security headers, the remembered language, and the
// cross-origin protection of forms (which lets inbox POSTs through).
func (h *Handler) Middleware() []func(http.Handler) http.Handler {
	return []func(http.Handler) http.Handler{securityHeaders, h.rememberLanguage, h.crossOrigin}
}

// Routes mounts the operations endpoints, the public pages, the member
// area, the administration forms and the JSON API on r. The pages of
// actor and object ids are mounted by federation (ShowActor, ShowObject).
func (h *Handler) Routes(r chi.Router) {
	r.Handle("/static/*", static())
	r.Get("/healthz", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	r.Get("/readyz", h.ready)
	if h.metrics != nil {
		r.Method(http.MethodGet, "/metrics", h.metrics.Handler())
	}
	r.Get("/", h.showHome)
	r.Get("/sectors/{sector}", h.showSector)
	r.Get("/directory", h.showDirectory)
	r.Get("/directory.json", h.directoryJSON)
	h.exportRoutes(r)

	// Mastodon's instance API, which GoToSocial and others probe before
	// NodeInfo: not ours, so a plain 404 rather than the admin API's 401.
	r.Get("/api/v1/instance", http.NotFound)
	r.Route("/api/v1", func(r chi.Router) {
		r.Use(h.requireToken)
		r.Get("/orgs", h.apiOrgs)
		r.Post("/orgs", h.apiCreateOrg)
		r.Put("/orgs/{org}", h.apiUpdateOrg)
		r.Get("/objects", h.apiObjects)
		r.Get("/orgs/{org}/objects", h.apiObjects)
		r.Post("/orgs/{org}/objects", h.apiPublish)
		r.Put("/orgs/{org}/{kinds:projects|calls}/{id}", h.apiEdit)
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
		r.Get("/reports", h.apiReports)
		r.Post("/reports", h.apiReport)
		r.Post("/backup", h.apiBackup)
		r.Get("/deliveries", h.apiDeliveries)
		r.Post("/deliveries/{id}/retry", h.apiRetryDelivery)
		r.Delete("/deliveries/{id}", h.apiDropDelivery)
	})

	// The administrators' interface (forms, behind the CSRF protection).
	r.Get("/login", h.showLogin)
	r.Post("/login", h.login)
	r.Post("/logout", h.logout)
	r.Get("/setup", h.showSetup)
	r.Post("/setup", h.saveSetup)
	r.Get("/join", h.showJoin)
	r.Post("/join", h.join)
	h.resetRoutes(r, h.signupOpen)
	h.confirmRoutes(r)
	r.Get("/answer", h.showAnswer)
	r.Post("/answer", h.proposeAnswer)
	r.Route("/admin", h.adminRoutes)
	r.Route("/me", h.meRoutes)
}

var _ federation.Pages = (*Handler)(nil) // Handler implements federation.Pages

// ShowObject implements federation.Pages.
func (h *Handler) ShowObject(w http.ResponseWriter, r *http.Request) { h.showObject(w, r) }

// ShowActor implements federation.Pages.
func (h *Handler) ShowActor(w http.ResponseWriter, r *http.Request, name string) {
	h.showOrgOrInstance(w, r, name)
}

func (h *Handler) showOrgOrInstance(w http.ResponseWriter, r *http.Request, name string) {
	if name == model.InstanceName {
		h.showHome(w, r)
		return
	}
	if user, ok := model.PersonUsername(name); ok {
		h.showMember(w, r, user)
		return
	}
	h.showOrg(w, r, name)
}

// securityHeaders sets a strict policy: pages use no script and only their
// own inline style.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' https:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		if strings.HasPrefix(r.URL.Path, "/api/") {
			hd.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// rememberLanguage keeps a language chosen with ?lang= in a cookie.
func (h *Handler) rememberLanguage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if l := r.URL.Query().Get("lang"); l != "" && slices.Contains(i18n.Languages, l) {
			http.SetCookie(w, &http.Cookie{Name: i18n.CookieName, Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
				SameSite: http.SameSiteLaxMode, HttpOnly: true})
		}
		next.ServeHTTP(w, r)
	})
}
