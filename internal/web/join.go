package web

import (
	"errors"
	"net/http"
	"strings"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// joinView is the form redeeming an invitation.
type joinView struct {
	Code, Username string
	Invalid        bool // the code is unknown, used or expired
	Errs           webkit.FieldErrors
	MinPassword    int
	// Invite says who invites, with which role, for which organisations.
	Invite service.InvitationInfo
}

// showJoin shows the form of /join?code=, or says the invitation is
// invalid (404) without saying why.
func (h *Handler) showJoin(w http.ResponseWriter, r *http.Request) {
	v := joinView{Code: r.URL.Query().Get("code")}
	status := http.StatusOK
	var err error
	if v.Invite, err = h.svc.Invitation(r.Context(), v.Code); errors.Is(err, service.ErrNotFound) {
		v.Invalid, status = true, http.StatusNotFound
	} else if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.renderJoin(w, r, status, v)
}

func (h *Handler) renderJoin(w http.ResponseWriter, r *http.Request, status int, v joinView) {
	v.MinPassword = service.MinPassword
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer") // the code is in the URL
	h.kit.Render(w, r, status, "join", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "accounts.join.title"), Data: v})
}

// join creates the invited account and sends it to the login page.
// Attempts count against the login limits: a code is a secret to guess.
func (h *Handler) join(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	f := r.PostForm
	v := joinView{Code: f.Get("code"), Username: strings.TrimSpace(f.Get("username"))}
	v.Invite, _ = h.svc.Invitation(r.Context(), v.Code) // the welcome, shown again with the errors
	if f.Get("password") != f.Get("password_again") {
		// Every problem at once: the username's and the password's too.
		errs := service.AccountProblems(v.Username, f.Get("password"))
		errs["password_again"] = model.Problem("accounts.join.error.again")
		v.Errs = h.kit.TranslateErrs(h.tr.Pick(r), errs)
		h.renderJoin(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	release, client, ok := h.kit.HashSlot(w, r, "join")
	if !ok {
		return
	}
	_, err := h.svc.RedeemInvitation(r.Context(), v.Code, v.Username, f.Get("password"))
	release()
	if errs, ok := h.kit.ValidationErrors(r, err); ok {
		v.Errs = errs
		h.renderJoin(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if errors.Is(err, service.ErrNotFound) {
		v.Invalid = true
		h.renderJoin(w, r, http.StatusNotFound, v)
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.kit.RefundLogin(client) // only this attempt: earlier failures stay counted
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
