package web

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// confirmRoutes are the page confirming an e-mail address from the link
// e-mailed to it. It needs no session: the link is the credential, and
// the owner may open it on another device.
func (h *Handler) confirmRoutes(r chi.Router) {
	r.Get("/confirm/{user}/{token}", h.showConfirmEmail)
	r.Post("/confirm/{user}/{token}", h.confirmEmail)
}

// confirmEmailView is the page of a confirmation link: a button (so that
// a mail scanner fetching the link confirms nothing), then Done, or
// Invalid for a bad, used or expired link.
type confirmEmailView struct {
	Username, Token string
	Invalid, Done   bool
}

func (h *Handler) showConfirmEmail(w http.ResponseWriter, r *http.Request) {
	v := confirmEmailView{Username: chi.URLParam(r, "user"), Token: chi.URLParam(r, "token")}
	status := http.StatusOK
	if err := h.svc.CheckEmailConfirmation(r.Context(), v.Username, v.Token); errors.Is(err, service.ErrNotFound) {
		v.Invalid, status = true, http.StatusNotFound
	} else if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.renderConfirmEmail(w, r, status, v)
}

func (h *Handler) confirmEmail(w http.ResponseWriter, r *http.Request) {
	v := confirmEmailView{Username: chi.URLParam(r, "user"), Token: chi.URLParam(r, "token")}
	err := h.svc.ConfirmEmail(r.Context(), v.Username, v.Token)
	if errors.Is(err, service.ErrNotFound) {
		v.Invalid = true
		h.renderConfirmEmail(w, r, http.StatusNotFound, v)
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	v.Done = true
	h.renderConfirmEmail(w, r, http.StatusOK, v)
}

func (h *Handler) renderConfirmEmail(w http.ResponseWriter, r *http.Request, status int, v confirmEmailView) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer") // the token is in the URL
	h.kit.Render(w, r, status, "confirm_email", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "me.confirm.title"), Data: v})
}

// emailStatus fills in where the settings page's address stands.
func (h *Handler) emailStatus(r *http.Request, v *meSettingsView) error {
	st, err := h.svc.EmailStatusOf(r.Context(), webkit.PrincipalOf(r), webkit.UserOf(r.Context()))
	if err != nil {
		return err
	}
	v.Confirmed, v.Waiting = st.Confirmed, st.Email != "" && !st.Confirmed
	v.LinkSent = v.Waiting && st.Sent
	return nil
}

// resendConfirmation e-mails the signed-in account's address a new
// confirmation link; a mailbox that had its share this hour gets a 429
// and the page says so.
func (h *Handler) resendConfirmation(w http.ResponseWriter, r *http.Request) {
	if !h.svc.HasMailer() { // nothing would be sent: never say a link was
		http.Redirect(w, r, "/me/settings", http.StatusSeeOther)
		return
	}
	err := h.svc.SendEmailConfirmation(r.Context(), webkit.PrincipalOf(r), webkit.UserOf(r.Context()))
	if errors.Is(err, service.ErrTooManyMails) {
		v := meSettingsView{Limited: true}
		if err := h.fillMeSettings(r, &v); err != nil {
			webkit.WritePageError(w, h.log, err)
			return
		}
		w.Header().Set("Retry-After", "3600")
		h.renderMeSettings(w, r, http.StatusTooManyRequests, v)
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	http.Redirect(w, r, "/me/settings?sent", http.StatusSeeOther)
}
