package web

import (
	"errors"
	"net/http"
	"strings"
	"sync"

	"codeberg.org/maillage/maillage/internal/secret"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// setupState is the first-run setup page's secret. The token lives only in
// memory: `maillage serve` prints it with the page's URL when the store has
// no administrator, a restart makes a new one, and it is forgotten once
// used.
type setupState struct {
	org string // the first organisation (-org), whose profile the page edits

	// mu guards token ("" when there is none, or once used) and
	// serialises the setup POSTs.
	mu    sync.Mutex
	token string
}

func newSetupState(token, org string) *setupState {
	return &setupState{token: token, org: org}
}

// valid reports, in constant time, whether token is the setup token.
// The caller holds s.mu.
func (s *setupState) valid(token string) bool {
	return s.token != "" && secret.Equal(s.token, token)
}

// setupView is the setup form.
type setupView struct {
	Token, Org, Handle    string
	Username, DisplayName string
	Country               string
	Sectors               []webkit.Option
	Errs                  webkit.FieldErrors
	MinPassword           int
}

// setupAllowed answers 404 once an administrator exists (or when there is
// no token), 403 for a wrong token, and reports whether the page may be
// used. The caller holds h.setup.mu.
func (h *Handler) setupAllowed(w http.ResponseWriter, r *http.Request, token string) bool {
	w.Header().Set("Cache-Control", "no-store")
	has, err := h.svc.HasAdmins(r.Context())
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return false
	}
	if has {
		h.setup.token = "" // an administrator was made another way: the page is gone for good
	}
	if h.setup.token == "" {
		http.NotFound(w, r)
		return false
	}
	if !h.setup.valid(token) {
		h.log.Warn("setup page: wrong token", "remote_host", h.kit.ClientIP(r))
		http.Error(w, http.StatusText(http.StatusForbidden), http.StatusForbidden)
		return false
	}
	return true
}

// showSetup is GET /setup?token=…: the form creating the first
// administrator and presenting the first organisation.
func (h *Handler) showSetup(w http.ResponseWriter, r *http.Request) {
	h.setup.mu.Lock()
	defer h.setup.mu.Unlock()
	token := r.URL.Query().Get("token")
	if !h.setupAllowed(w, r, token) {
		return
	}
	v := setupView{Token: token}
	if o, err := h.svc.Org(r.Context(), h.setup.org); err == nil && h.setup.org != "" {
		v.DisplayName, v.Country = o.DisplayName, o.Country
		v.Sectors = webkit.SectorOptions(h.tr.Pick(r), o.Sectors)
	}
	h.renderSetup(w, r, http.StatusOK, v)
}

// saveSetup is POST /setup: it creates the administrator, edits the
// organisation, forgets the token and sends to the login page. Like every
// form, it is behind the cross-origin protection.
func (h *Handler) saveSetup(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	h.setup.mu.Lock()
	defer h.setup.mu.Unlock()
	v := setupView{Token: r.PostFormValue("token")}
	if !h.setupAllowed(w, r, v.Token) {
		return
	}
	f := r.PostForm
	v.Username, v.DisplayName, v.Country = strings.TrimSpace(f.Get("username")), f.Get("display_name"), f.Get("country")
	in := service.SetupInput{Username: v.Username, Password: f.Get("password"), PasswordAgain: f.Get("password_again"),
		DisplayName: v.DisplayName, Country: v.Country, Sectors: f["sectors"]}
	_, err := h.svc.Setup(r.Context(), h.setup.org, in)
	if errs, ok := h.kit.ValidationErrors(r, err); ok {
		v.Errs = errs
		v.Sectors = webkit.SectorOptions(h.tr.Pick(r), in.Sectors)
		h.renderSetup(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if errors.Is(err, service.ErrConflict) {
		h.setup.token = ""
		http.NotFound(w, r)
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.setup.token = ""
	h.log.Info("setup done", "admin", v.Username, "remote_host", h.kit.ClientIP(r))
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func (h *Handler) renderSetup(w http.ResponseWriter, r *http.Request, status int, v setupView) {
	if _, err := h.svc.Org(r.Context(), h.setup.org); err == nil && h.setup.org != "" {
		v.Org, v.Handle = h.setup.org, h.setup.org+"@"+h.uris.Host()
	}
	v.MinPassword = service.MinPassword
	h.kit.Render(w, r, status, "setup", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "setup.title"), Data: v})
}
