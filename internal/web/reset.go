package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// resetRoutes are the password reset pages and, when signup is on, the
// open sign-up form (off, /signup is a 404).
func (h *Handler) resetRoutes(r chi.Router, signup bool) {
	r.Get("/reset", h.showReset)
	r.Post("/reset", h.requestReset)
	r.Get("/reset/{token}", h.showResetForm)
	r.Post("/reset/{token}", h.resetPassword)
	if signup {
		r.Get("/signup", h.showSignup)
		r.Post("/signup", h.signup)
	}
}

// resetView is the page asking for a reset link; Sent says the request
// was taken (whatever happened to it).
type resetView struct {
	Sent bool
}

func (h *Handler) showReset(w http.ResponseWriter, r *http.Request) {
	h.renderReset(w, r, http.StatusOK, resetView{})
}

func (h *Handler) renderReset(w http.ResponseWriter, r *http.Request, status int, v resetView) {
	w.Header().Set("Cache-Control", "no-store")
	h.kit.Render(w, r, status, "reset", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "reset.title"), Data: v})
}

// requestReset queues the reset and answers the same page whether an
// account matches or not: the lookup and the e-mail happen later, in the
// service's reset worker. Requests count against the login limits.
func (h *Handler) requestReset(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	client := h.kit.ClientIP(r)
	if !h.kit.CountClient(client) {
		h.log.Warn("reset rate limited", "remote_host", client)
		http.Error(w, http.StatusText(http.StatusTooManyRequests), http.StatusTooManyRequests)
		return
	}
	h.svc.RequestReset(r.PostFormValue("who"))
	h.renderReset(w, r, http.StatusOK, resetView{Sent: true})
}

// resetFormView is the form setting a new password from a reset link.
type resetFormView struct {
	Token       string
	Invalid     bool
	Errs        webkit.FieldErrors
	MinPassword int
}

func (h *Handler) showResetForm(w http.ResponseWriter, r *http.Request) {
	v := resetFormView{Token: chi.URLParam(r, "token")}
	status := http.StatusOK
	if err := h.svc.CheckReset(r.Context(), v.Token); errors.Is(err, service.ErrNotFound) {
		v.Invalid, status = true, http.StatusNotFound
	} else if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.renderResetForm(w, r, status, v)
}

func (h *Handler) renderResetForm(w http.ResponseWriter, r *http.Request, status int, v resetFormView) {
	v.MinPassword = service.MinPassword
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer") // the token is in the URL
	h.kit.Render(w, r, status, "reset_form", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "reset.form.title"), Data: v})
}

// resetPassword sets the new password, which ends every session of the
// account, and sends the browser to the login page.
func (h *Handler) resetPassword(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	f := r.PostForm
	v := resetFormView{Token: chi.URLParam(r, "token")}
	if f.Get("password") != f.Get("password_again") {
		errs := service.PasswordProblems(f.Get("password"))
		errs["password_again"] = model.Problem("reset.error.again")
		v.Errs = h.kit.TranslateErrs(h.tr.Pick(r), errs)
		h.renderResetForm(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	release, client, ok := h.kit.HashSlot(w, r, "reset")
	if !ok {
		return
	}
	err := h.svc.ResetPassword(r.Context(), v.Token, f.Get("password"))
	release()
	if errs, ok := h.kit.ValidationErrors(r, err); ok {
		v.Errs = errs
		h.renderResetForm(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if errors.Is(err, service.ErrNotFound) {
		v.Invalid = true
		h.renderResetForm(w, r, http.StatusNotFound, v)
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.kit.RefundLogin(client) // only this attempt: earlier failures stay counted
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// signupView is the open sign-up form; Done says the account waits for
// approval.
type signupView struct {
	Username, Email, Org, Message string
	Orgs                          []string
	Done                          bool
	Errs                          webkit.FieldErrors
	MinPassword                   int
}

func (h *Handler) showSignup(w http.ResponseWriter, r *http.Request) {
	h.renderSignup(w, r, http.StatusOK, signupView{})
}

func (h *Handler) renderSignup(w http.ResponseWriter, r *http.Request, status int, v signupView) {
	orgs, err := h.svc.Orgs(r.Context())
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	for _, o := range orgs {
		v.Orgs = append(v.Orgs, o.Name)
	}
	v.MinPassword = service.MinPassword
	w.Header().Set("Cache-Control", "no-store")
	h.kit.Render(w, r, status, "signup", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "signup.title"), Data: v})
}

// signup creates a pending account. Attempts count against the login
// limits.
func (h *Handler) signup(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	f := r.PostForm
	v := signupView{Username: strings.TrimSpace(f.Get("username")), Email: f.Get("email"), Org: f.Get("org"), Message: f.Get("message")}
	if f.Get("password") != f.Get("password_again") {
		errs := service.AccountProblems(v.Username, f.Get("password"))
		errs["password_again"] = model.Problem("reset.error.again")
		v.Errs = h.kit.TranslateErrs(h.tr.Pick(r), errs)
		h.renderSignup(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	release, _, ok := h.kit.HashSlot(w, r, "signup")
	if !ok {
		return
	}
	_, err := h.svc.SignUp(r.Context(), service.SignUpInput{Username: v.Username, Password: f.Get("password"),
		Email: v.Email, Org: v.Org, Message: v.Message})
	release()
	if errs, ok := h.kit.ValidationErrors(r, err); ok {
		v.Errs = errs
		h.renderSignup(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.renderSignup(w, r, http.StatusOK, signupView{Done: true})
}
