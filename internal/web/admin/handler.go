package admin

import (
	"errors"
	"log/slog"
	"time"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/i18n"
	"codeberg.org/maillage/maillage/internal/media"
	"codeberg.org/maillage/maillage/internal/sanitize"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// Deps are what the administration forms need.
type Deps struct {
	// Kit is the plumbing shared with web: one per instance, so that the
	// password change counts against the same login limiter as /login.
	Kit      *webkit.Kit
	Service  *service.Service
	URIs     uris.URIs
	Log      *slog.Logger
	Messages *i18n.Bundle
	// Sanitize renders the replies received (sanitised again when shown).
	Sanitize *sanitize.Policy
	// Now is the instance's clock (open and expired calls); nil: time.Now.
	Now func() time.Time
	// Media stores uploaded images; nil: the forms take no file.
	Media *media.Files
	// Images is the cache of remote images: the avatars of the network
	// lists (nil: initials only).
	Images *media.Cache
}

// Handler serves the administration forms under /admin.
type Handler struct {
	kit  *webkit.Kit // shared with web: templates, sessions, login limiter
	svc  *service.Service
	uris uris.URIs
	log  *slog.Logger
	tr   *i18n.Bundle
	san  *sanitize.Policy
	now  func() time.Time
	// media stores uploaded images (media.go); nil: none taken.
	media *media.Files
	// images are the remote images this instance caches (avatars).
	images *media.Cache

	previews *previews // imports previewed, waiting to be applied (imports.go)
}

// pages are the templates of the administration forms, each parsed with
// the layout and the shared admin partials.
var pages = []string{"admin_dashboard", "admin_org", "admin_profile", "admin_object", "admin_delete",
	"admin_network", "admin_replies", "admin_moderation", "admin_account", "admin_accounts", "admin_answers",
	"admin_org_interests", "admin_move", "admin_relays", "admin_import",
	"admin_instance", "admin_block_confirm"}

// New builds the handler of the administration forms; Routes mounts them.
func New(d Deps) (*Handler, error) {
	if d.Messages == nil || d.Kit == nil {
		return nil, errors.New("admin: New needs the interface texts and the shared kit")
	}
	if err := d.Kit.Parse([]string{"admin_partials.html", "interests_fields.html", "images_fields.html"}, pages...); err != nil {
		return nil, err
	}
	if err := d.Kit.Parse([]string{"admin_partials.html"}, "admin_claims"); err != nil {
		return nil, err
	}
	h := &Handler{kit: d.Kit, svc: d.Service, uris: d.URIs, log: d.Log, tr: d.Messages, san: d.Sanitize, now: d.Now, media: d.Media, images: d.Images,
		previews: newPreviews()}
	if h.now == nil {
		h.now = time.Now
	}
	return h, nil
}

// Routes mounts the administration forms at /admin.
func (h *Handler) Routes(r chi.Router) { r.Route("/admin", h.adminRoutes) }
