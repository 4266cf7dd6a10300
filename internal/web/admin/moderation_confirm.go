package admin

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// adminBlockConfirmView asks to confirm a block before it is made: what
// it covers and what it does.
type adminBlockConfirmView struct {
	adminPage
	service.BlockPreview
	IsDomain bool
	Report   string // the report the block answers, dismissed with it
}

// adminConfirmBlock is the page asking to confirm a block, for the block
// form (a POST without confirm) and for the links of a report's actions
// (a GET, which changes nothing). A target that cannot be blocked goes
// back to the moderation page with its error.
func (h *Handler) adminConfirmBlock(w http.ResponseWriter, r *http.Request) {
	target, report := r.FormValue("target"), r.FormValue("report")
	p, err := h.svc.PreviewBlock(r.Context(), webkit.PrincipalOf(r), target)
	if errs, ok := h.kit.ValidationErrors(r, err); ok {
		h.renderModeration(w, r, http.StatusUnprocessableEntity,
			adminModerationView{Target: strings.TrimSpace(target), Errs: errs, Report: service.ReportInput{Forward: true}})
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	if _, err := strconv.ParseUint(report, 10, 64); err != nil {
		report = ""
	}
	v := adminBlockConfirmView{adminPage: adminPageOf(r), BlockPreview: p, IsDomain: p.Kind == "domain", Report: report}
	h.kit.Render(w, r, http.StatusOK, "admin_block_confirm", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "block.confirm.title"), Data: v})
}

// dismissReportOf dismisses the report named by the form's report field,
// if any, after what it reported was blocked.
func (h *Handler) dismissReportOf(r *http.Request) error {
	id, err := strconv.ParseUint(r.PostFormValue("report"), 10, 64)
	if err != nil {
		return nil
	}
	return h.svc.DismissReport(r.Context(), webkit.PrincipalOf(r), id)
}

// adminDismissReport closes a received report without acting on it.
func (h *Handler) adminDismissReport(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseUint(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		webkit.WritePageError(w, h.log, service.ErrNotFound)
		return
	}
	if err := h.svc.DismissReport(r.Context(), webkit.PrincipalOf(r), id); err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.kit.Saved(w, "dismissed")
	http.Redirect(w, r, moderationPath+"#reports", http.StatusSeeOther)
}
