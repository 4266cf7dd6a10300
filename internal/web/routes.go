package web

import (
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/federation"
	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/gazetteer"
	"codeberg.org/maillage/maillage/internal/i18n"
	"codeberg.org/maillage/maillage/internal/mapgeo"
	"codeberg.org/maillage/maillage/internal/media"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/sanitize"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// Deps are what the pages and the member area need.
type Deps struct {
	// Kit is the plumbing shared with the administration forms (package
	// admin): templates, sessions, the login limiter.
	Kit       *webkit.Kit
	Service   *service.Service
	URIs      uris.URIs
	Log       *slog.Logger
	Directory *directory.Index
	Sanitize  *sanitize.Policy
	// SetupToken is the one-time token of the first-run setup page ("":
	// no page), which also names SetupOrg, the first organisation.
	SetupToken, SetupOrg string
	// Messages are the interface texts (i18n.Load).
	Messages *i18n.Bundle
	// Signup opens /signup (accounts waiting for approval); off: 404.
	Signup bool
	// Interaction finds a visitor's server's page to follow one of ours
	// (remote_follow.go); nil: the form says it cannot.
	Interaction Interactor
	// Now is the instance's clock (open and expired calls, days left,
	// sessions); nil: time.Now.
	Now func() time.Time
	// Images is the cache of remote images (nil: none shown).
	Images *media.Cache
	// TileURL and TileAttribution turn on the directory's slippy map
	// (config tile-url, directory_tiles.go); "": the SVG map only.
	TileURL, TileAttribution string
}

// Handler serves the public pages, the directory and its exports, sign-in,
// the member area and the join, reset and sign-up flows of an instance.
type Handler struct {
	kit   *webkit.Kit // shared with admin: templates, sessions, login limiter
	svc   *service.Service
	uris  uris.URIs
	log   *slog.Logger
	tr    *i18n.Bundle
	dir   *directory.Index
	san   *sanitize.Policy
	setup *setupState // the first-run setup page (setup.go)
	// basemap is the directory's map; places, the gazetteer of the "near"
	// filter, loaded on first use (a quarter of a second, 3 MB) so that
	// instances nobody searches by place never pay for it.
	basemap *mapgeo.Map
	places  func() (*gazetteer.Gazetteer, error)

	now        func() time.Time
	signupOpen bool
	images     *media.Cache // remote images (images.go)
	// interact and lookups: the remote follow form (remote_follow.go).
	interact Interactor
	lookups  *clientLimit
	tiles    *tileConfig // the optional slippy map (directory_tiles.go)
}

// Pages of web, by the partials they are parsed with.
var (
	publicPages = []string{"home", "org", "object", "directory", "answer", "network", "held", "remote_follow"}
	// formPages are sign-in and the flows that make or recover an account.
	formPages = []string{"login", "join", "setup", "reset", "reset_form", "signup", "confirm_email"}
	// mePages are the pages of any signed-in account (matching, issue #5).
	mePages = []string{"me", "me_interests", "me_settings", "me_following", "me_home", "member", "me_answers"}
)

// New builds the handler of the pages and the member area; Routes mounts
// them.
func New(d Deps) (*Handler, error) {
	if d.Messages == nil || d.Kit == nil {
		return nil, errors.New("web: New needs the interface texts and the shared kit")
	}
	k := d.Kit
	if err := k.Parse([]string{"answer_form.html", "member_partials.html"}, publicPages...); err != nil {
		return nil, err
	}
	if err := k.Parse([]string{"admin_partials.html", "interests_fields.html"}, formPages...); err != nil {
		return nil, err
	}
	if err := k.Parse([]string{"me_partials.html", "interests_fields.html", "member_partials.html"}, mePages...); err != nil {
		return nil, err
	}
	if err := k.Parse([]string{"admin_partials.html"}, claimPages...); err != nil {
		return nil, err
	}
	h := &Handler{kit: k, svc: d.Service, uris: d.URIs, log: d.Log, tr: d.Messages,
		dir: d.Directory, san: d.Sanitize, now: d.Now, signupOpen: d.Signup,
		images: d.Images, interact: d.Interaction}
	if h.now == nil {
		h.now = time.Now
	}
	h.lookups = newClientLimit(h.now, remoteFollowMax, remoteFollowWindow, remoteFollowClients)
	h.setup = newSetupState(d.SetupToken, d.SetupOrg)
	tiles, err := newTileConfig(d.TileURL, d.TileAttribution)
	if err != nil {
		return nil, err
	}
	h.tiles = tiles
	m, err := mapgeo.LoadEurope()
	if err != nil {
		return nil, err
	}
	h.basemap, h.places = m, k.Places
	return h, nil
}

// Middleware is what every route of the instance goes through, federation's
// included: security headers, the remembered language, and the
// cross-origin protection of forms (which lets inbox POSTs through).
func (h *Handler) Middleware() []func(http.Handler) http.Handler {
	return []func(http.Handler) http.Handler{securityHeaders, h.rememberLanguage, h.kit.CrossOrigin}
}

// Routes mounts the static files, the public pages, sign-in and the
// member area on r. The pages of actor and object ids are mounted by
// federation (ShowActor, ShowObject), the administration forms by package
// admin.
func (h *Handler) Routes(r chi.Router) {
	r.Handle("/static/*", webkit.Static())
	r.Get("/", h.showHome)
	r.Get("/sectors/{sector}", h.showSector)
	r.Get("/directory", h.showDirectory)
	r.Get("/directory.json", h.directoryJSON)
	r.Get("/network", h.showNetwork)
	h.exportRoutes(r)

	// Sign-in and the account flows (forms, behind the CSRF protection).
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
	r.Route("/me", h.meRoutes)
	h.claimRoutes(r)
	h.memberPathRoutes(r)
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
// own inline style, and show images of this instance only (remote ones
// through its cache, internal/media), so that no visitor's browser asks
// another server for anything.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The values are shared, not made per response (Header.Set
		// allocates each): headers are replaced or appended to, never
		// written into.
		hd := w.Header()
		hd["Content-Security-Policy"] = csp
		hd["X-Content-Type-Options"] = nosniff
		hd["Referrer-Policy"] = sameOrigin
		if strings.HasPrefix(r.URL.Path, "/api/") {
			hd["Cache-Control"] = noStore
		}
		next.ServeHTTP(w, r)
	})
}

var (
	csp        = []string{"default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"}
	nosniff    = []string{"nosniff"}
	sameOrigin = []string{"same-origin"}
	noStore    = []string{"no-store"}
)

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
