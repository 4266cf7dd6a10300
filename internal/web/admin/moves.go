package admin

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/errs"
	"codeberg.org/maillage/maillage/internal/httperr"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// adminMoveView is the page that moves an organisation: its aliases (the
// actors it moves from) and the move to another actor.
type adminMoveView struct {
	adminPage
	Actor   string // the organisation's actor IRI
	Aliases string // one IRI a line, as in the form
	MovedTo adminActorItem
	Target  string // move form
	Errs    webkit.FieldErrors
}

func (h *Handler) adminMove(w http.ResponseWriter, r *http.Request) {
	o, ok := h.adminOrgOf(w, r)
	if !ok {
		return
	}
	h.renderMove(w, r, http.StatusOK, strings.Join(o.AlsoKnownAs, "\n"), "", nil)
}

func (h *Handler) renderMove(w http.ResponseWriter, r *http.Request, status int, aliases, target string, errs webkit.FieldErrors) {
	o, ok := h.adminOrgOf(w, r)
	if !ok {
		return
	}
	v := adminMoveView{adminPage: adminPageOf(r), Actor: h.uris.Actor(o.Name), Aliases: aliases, Target: target, Errs: errs}
	if o.MovedTo != "" {
		v.MovedTo = h.actorItems([]string{o.MovedTo})[0]
	}
	lang := h.tr.Pick(r)
	h.kit.Render(w, r, status, "admin_move", webkit.Page{Title: h.tr.T(lang, "move.admin.title", o.DisplayName), Data: v})
}

func (h *Handler) movePath(r *http.Request) string {
	return "/admin/orgs/" + chi.URLParam(r, "org") + "/move"
}

// adminSetAliases saves the aliases, one actor IRI a line.
func (h *Handler) adminSetAliases(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	text := r.PostFormValue("also_known_as")
	_, err := h.svc.SetAliases(r.Context(), webkit.PrincipalOf(r), chi.URLParam(r, "org"), strings.Fields(text))
	if errs, ok := h.kit.ValidationErrors(r, err); ok {
		h.renderMove(w, r, http.StatusUnprocessableEntity, text, "", errs)
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	http.Redirect(w, r, h.movePath(r), http.StatusSeeOther)
}

// adminMoveOrg moves the organisation to the target given.
func (h *Handler) adminMoveOrg(w http.ResponseWriter, r *http.Request) {
	o, ok := h.adminOrgOf(w, r)
	if !ok || !webkit.ReadForm(w, r) {
		return
	}
	aliases := strings.Join(o.AlsoKnownAs, "\n")
	lang := h.tr.Pick(r)
	target := strings.TrimSpace(r.PostFormValue("target"))
	if target == "" {
		h.renderMove(w, r, http.StatusUnprocessableEntity, aliases, target,
			webkit.FieldErrors{"target": h.tr.T(lang, "admin.error.required")})
		return
	}
	_, err := h.svc.MoveOrg(r.Context(), webkit.PrincipalOf(r), o.Name, target)
	if errs, ok := h.kit.ValidationErrors(r, err); ok {
		h.renderMove(w, r, http.StatusUnprocessableEntity, aliases, target, errs)
		return
	}
	if errs.Remote(err) || errs.KindOf(err) == errs.Conflict {
		h.log.Info("move failed", "target", target, "err", err)
		key := "admin.network.unresolved"
		if errs.KindOf(err) == errs.Conflict {
			key = "move.admin.too_soon"
		}
		h.renderMove(w, r, httperr.Status(err), aliases, target, webkit.FieldErrors{"target": h.tr.T(lang, key, target)})
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	http.Redirect(w, r, h.movePath(r), http.StatusSeeOther)
}

// moveRoutes are the move page's, for administrators only (service.ActMove).
func (h *Handler) moveRoutes(r chi.Router) {
	r = r.With(h.allow(service.ActMove))
	r.Get("/move", h.adminMove)
	r.Post("/move", h.adminMoveOrg)
	r.Post("/aliases", h.adminSetAliases)
}
