package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
	"codeberg.org/maillage/maillage/internal/wire"
)

// claimPages are the claimant's pages, parsed with the form partials.
var claimPages = []string{"claim_form", "claim"}

// claimRoutes mount the claim of an imported organisation (issue #10,
// item 3): the form that opens a claim, and the claim's own page, whose
// path holds its secret key, where the claimant reads the proof to put in
// place and asks for the check.
func (h *Handler) claimRoutes(r chi.Router) {
	r.Get("/claims/new/{org}", h.showClaimForm)
	r.Post("/claims/new/{org}", h.openClaim)
	r.Get("/claims/{id}/{key}", h.showClaim)
	r.Post("/claims/{id}/{key}", h.checkClaim)
}

type claimFormView struct {
	Org                    wire.Org
	Email, Message, Method string
	MaxMessage             int
	Errs                   webkit.FieldErrors
	Error                  string // a refusal that is not about one field
}

func (h *Handler) showClaimForm(w http.ResponseWriter, r *http.Request) {
	h.renderClaimForm(w, r, http.StatusOK, claimFormView{Method: model.ClaimRelMe})
}

func (h *Handler) renderClaimForm(w http.ResponseWriter, r *http.Request, status int, v claimFormView) {
	o, err := h.svc.ClaimableOrg(r.Context(), chi.URLParam(r, "org"))
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	v.Org, v.MaxMessage = h.kit.OrgView(o), service.MaxClaimMessage
	w.Header().Set("Cache-Control", "no-store")
	h.kit.Render(w, r, status, "claim_form", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "claims.form.title", o.DisplayName), Data: v})
}

// openClaim records a claim and sends the claimant to its page.
func (h *Handler) openClaim(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	f := r.PostForm
	v := claimFormView{Email: f.Get("email"), Message: f.Get("message"), Method: f.Get("method")}
	c, key, err := h.svc.OpenClaim(r.Context(), chi.URLParam(r, "org"),
		service.ClaimInput{Email: v.Email, Message: v.Message, Method: v.Method}, h.kit.ClientIP(r))
	if errs, ok := h.kit.ValidationErrors(r, err); ok {
		v.Errs = errs
		h.renderClaimForm(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if errors.Is(err, service.ErrTooManyClaims) {
		v.Error = h.tr.T(h.tr.Pick(r), "claims.error.too_many")
		h.renderClaimForm(w, r, http.StatusTooManyRequests, v)
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	http.Redirect(w, r, claimPath(c.ID, key), http.StatusSeeOther)
}

func claimPath(id, key string) string {
	return "/claims/" + url.PathEscape(id) + "/" + url.PathEscape(key)
}

type claimView struct {
	Claim  model.Claim
	Proof  service.ClaimProof
	Org    wire.Org
	Action string // this page, where the check is asked
	Link   string // an invitation made now (automatic confirmation), shown once
	Error  string
}

func (h *Handler) showClaim(w http.ResponseWriter, r *http.Request) {
	h.renderClaim(w, r, http.StatusOK, claimView{})
}

func (h *Handler) renderClaim(w http.ResponseWriter, r *http.Request, status int, v claimView) {
	id, key := chi.URLParam(r, "id"), chi.URLParam(r, "key")
	c, proof, err := h.svc.ClaimFor(r.Context(), id, key)
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	o, err := h.svc.Org(r.Context(), c.Org)
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	v.Claim, v.Proof, v.Org, v.Action = c, proof, h.kit.OrgView(o), claimPath(id, key)
	w.Header().Set("Cache-Control", "no-store")
	h.kit.Render(w, r, status, "claim", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "claims.page.title", o.DisplayName), Data: v})
}

// checkClaim reads the website for the proof, at the claimant's request.
func (h *Handler) checkClaim(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	id, key := chi.URLParam(r, "id"), chi.URLParam(r, "key")
	_, code, err := h.svc.CheckClaim(r.Context(), id, key)
	switch {
	case errors.Is(err, service.ErrTooManyClaims):
		h.renderClaim(w, r, http.StatusTooManyRequests, claimView{Error: h.tr.T(h.tr.Pick(r), "claims.error.too_soon")})
	case errors.Is(err, service.ErrClaimState):
		http.Redirect(w, r, claimPath(id, key), http.StatusSeeOther)
	case err != nil:
		webkit.WritePageError(w, h.log, err)
	case code != "":
		// Confirmed by the instance itself: the invitation is shown
		// here, once, as it is to an administrator.
		h.renderClaim(w, r, http.StatusOK, claimView{Link: h.uris.Join(code)})
	default:
		http.Redirect(w, r, claimPath(id, key), http.StatusSeeOther)
	}
}
