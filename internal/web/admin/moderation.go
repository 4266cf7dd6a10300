package admin

import (
	"net/http"
	"strings"

	"codeberg.org/maillage/maillage/internal/errs"
	"codeberg.org/maillage/maillage/internal/httperr"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// adminBlockItem is a block as the moderation page lists it.
type adminBlockItem struct {
	model.Block
	IsDomain bool
}

// adminReportItem is a report with its reporter and reported actor
// described from the store.
type adminReportItem struct {
	model.Report
	Reporter, Reported adminActorItem
}

// adminModerationView is the moderation page: blocks, reports, and the
// forms to block and to report.
type adminModerationView struct {
	adminPage
	Blocks  []adminBlockItem
	Reports []adminReportItem
	Errs    webkit.FieldErrors
	Target  string              // block form
	Report  service.ReportInput // report form
	Objects string              // report form: one IRI a line
}

const moderationPath = "/admin/moderation"

func (h *Handler) adminModeration(w http.ResponseWriter, r *http.Request) {
	h.renderModeration(w, r, http.StatusOK, adminModerationView{Report: service.ReportInput{Forward: true}})
}

func (h *Handler) renderModeration(w http.ResponseWriter, r *http.Request, status int, v adminModerationView) {
	blocks, err := h.svc.Blocks(r.Context(), webkit.PrincipalOf(r))
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	reports, err := h.svc.Reports(r.Context(), webkit.PrincipalOf(r))
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	for _, b := range blocks {
		v.Blocks = append(v.Blocks, adminBlockItem{Block: b, IsDomain: b.Kind == model.BlockDomain})
	}
	iris := make([]string, 0, 2*len(reports))
	for _, rep := range reports {
		iris = append(iris, rep.Actor, rep.Target)
	}
	items := h.actorItems(iris)
	for i, rep := range reports {
		v.Reports = append(v.Reports, adminReportItem{Report: rep, Reporter: items[2*i], Reported: items[2*i+1]})
	}
	v.adminPage = adminPageOf(r)
	h.kit.Render(w, r, status, "admin_moderation", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "moderation.title"), Data: v})
}

// adminBlock blocks an actor or a server from the page's form.
func (h *Handler) adminBlock(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	if r.PostFormValue("confirm") == "" {
		h.adminConfirmBlock(w, r)
		return
	}
	v := adminModerationView{Target: strings.TrimSpace(r.PostFormValue("target")), Report: service.ReportInput{Forward: true}}
	_, err := h.svc.Block(r.Context(), webkit.PrincipalOf(r), v.Target)
	if errs, ok := h.kit.ValidationErrors(r, err); ok {
		v.Errs = errs
		h.renderModeration(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	if err := h.dismissReportOf(r); err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.kit.Saved(w, "blocked")
	http.Redirect(w, r, moderationPath, http.StatusSeeOther)
}

// adminUnblock lifts a block listed on the page.
func (h *Handler) adminUnblock(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	if err := h.svc.Unblock(r.Context(), webkit.PrincipalOf(r), r.PostFormValue("target")); err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.kit.Saved(w, "unblocked")
	http.Redirect(w, r, moderationPath, http.StatusSeeOther)
}

// adminReport reports a remote actor and, when asked, sends the report
// to its server.
func (h *Handler) adminReport(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	f := r.PostForm
	v := adminModerationView{Objects: f.Get("objects"), Report: service.ReportInput{Actor: strings.TrimSpace(f.Get("actor")),
		Objects: strings.Fields(f.Get("objects")), Comment: f.Get("comment"), Forward: f.Get("forward") != ""}}
	_, err := h.svc.Report(r.Context(), webkit.PrincipalOf(r), v.Report)
	if errs, ok := h.kit.ValidationErrors(r, err); ok {
		v.Errs = errs
		h.renderModeration(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if errs.Remote(err) {
		h.log.Info("report failed", "actor", v.Report.Actor, "err", err)
		v.Errs = webkit.FieldErrors{"actor": h.tr.T(h.tr.Pick(r), "moderation.unresolved", v.Report.Actor)}
		h.renderModeration(w, r, httperr.Status(err), v)
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.kit.Saved(w, "reported")
	http.Redirect(w, r, moderationPath, http.StatusSeeOther)
}
