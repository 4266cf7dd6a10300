package admin

import (
	"errors"
	"net/http"

	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// inviteByMail makes an invitation and e-mails its link to email. The page
// says where it went; when sending failed, it shows the link once instead,
// for the administrator to pass on.
func (h *Handler) inviteByMail(w http.ResponseWriter, r *http.Request, role service.Role, email string) {
	lang := h.tr.Pick(r)
	code, err := h.svc.InviteByMail(r.Context(), webkit.PrincipalOf(r), role, r.PostForm["orgs"], webkit.UserOf(r.Context()), email)
	if errs, ok := h.kit.ValidationErrors(r, err); ok {
		h.renderAccounts(w, r, http.StatusUnprocessableEntity, adminAccountsView{Errs: errs, Email: email})
		return
	}
	if errors.Is(err, service.ErrTooManyMails) {
		h.renderAccounts(w, r, http.StatusTooManyRequests, adminAccountsView{Email: email,
			Errs: webkit.FieldErrors{"email": h.tr.T(lang, "invite.too_many")}})
		return
	}
	if err != nil && code != "" {
		h.log.Warn("invitation e-mail failed", "err", err)
		h.renderAccounts(w, r, http.StatusOK, adminAccountsView{Link: h.uris.Join(code),
			Error: h.tr.T(lang, "invite.send_failed")})
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.renderAccounts(w, r, http.StatusOK, adminAccountsView{MailedTo: email})
}
