package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
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
	h.render(w, r, status, "reset", pageData{Title: h.tr.T(h.tr.Pick(r), "reset.title"), Data: v})
}

// requestReset queues the reset and answers the same page whether an
// account matches or not: the lookup and the e-mail happen later, in the
// service's reset worker. Requests count against the login limits.
func (h *Handler) requestReset(w http.ResponseWriter, r *http.Request) {
	if !readForm(w, r) {
		return
	}
	client := clientIP(r, h.proxies...)
	if ok, _ := h.admin.limiter.attempt(client); !ok {
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
	Errs        adminFieldErrors
	MinPassword int
}

func (h *Handler) showResetForm(w http.ResponseWriter, r *http.Request) {
	v := resetFormView{Token: chi.URLParam(r, "token")}
	status := http.StatusOK
	if err := h.svc.CheckReset(r.Context(), v.Token); errors.Is(err, service.ErrNotFound) {
		v.Invalid, status = true, http.StatusNotFound
	} else if err != nil {
		writePageError(w, h.log, err)
		return
	}
	h.renderResetForm(w, r, status, v)
}

func (h *Handler) renderResetForm(w http.ResponseWriter, r *http.Request, status int, v resetFormView) {
	v.MinPassword = service.MinPassword
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer") // the token is in the URL
	h.render(w, r, status, "reset_form", pageData{Title: h.tr.T(h.tr.Pick(r), "reset.form.title"), Data: v})
}

// resetPassword sets the new password, which ends every session of the
// account, and sends the browser to the login page.
func (h *Handler) resetPassword(w http.ResponseWriter, r *http.Request) {
	if !readForm(w, r) {
		return
	}
	f := r.PostForm
	v := resetFormView{Token: chi.URLParam(r, "token")}
	if f.Get("password") != f.Get("password_again") {
		v.Errs = h.translateErrs(h.tr.Pick(r), model.FieldErrors{"password_again": model.Problem("reset.error.again")})
		h.renderResetForm(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	release, client, ok := h.hashSlot(w, r, "reset")
	if !ok {
		return
	}
	err := h.svc.ResetPassword(r.Context(), v.Token, f.Get("password"))
	release()
	if errs, ok := h.validationErrors(r, err); ok {
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
		writePageError(w, h.log, err)
		return
	}
	h.admin.limiter.refund(client) // only this attempt: earlier failures stay counted
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// adminResetLink makes a reset link for an account (one without an
// e-mail address, say) and shows it once, in this answer only.
func (h *Handler) adminResetLink(w http.ResponseWriter, r *http.Request) {
	token, err := h.svc.MakeResetLink(r.Context(), principalOf(r), chi.URLParam(r, "username"))
	if err != nil {
		writePageError(w, h.log, err)
		return
	}
	h.renderAccounts(w, r, http.StatusOK, adminAccountsView{ResetLink: h.svc.ResetURL(token)})
}

func (h *Handler) adminApproveAccount(w http.ResponseWriter, r *http.Request) {
	h.accountChanged(w, r, h.svc.ApproveAccount(r.Context(), principalOf(r), chi.URLParam(r, "username")))
}

func (h *Handler) adminRefuseAccount(w http.ResponseWriter, r *http.Request) {
	h.accountChanged(w, r, h.svc.RefuseAccount(r.Context(), principalOf(r), chi.URLParam(r, "username")))
}

// signupView is the open sign-up form; Done says the account waits for
// approval.
type signupView struct {
	Username, Email, Org, Message string
	Orgs                          []string
	Done                          bool
	Errs                          adminFieldErrors
	MinPassword                   int
}

func (h *Handler) showSignup(w http.ResponseWriter, r *http.Request) {
	h.renderSignup(w, r, http.StatusOK, signupView{})
}

func (h *Handler) renderSignup(w http.ResponseWriter, r *http.Request, status int, v signupView) {
	orgs, err := h.svc.Orgs(r.Context())
	if err != nil {
		writePageError(w, h.log, err)
		return
	}
	for _, o := range orgs {
		v.Orgs = append(v.Orgs, o.Name)
	}
	v.MinPassword = service.MinPassword
	w.Header().Set("Cache-Control", "no-store")
	h.render(w, r, status, "signup", pageData{Title: h.tr.T(h.tr.Pick(r), "signup.title"), Data: v})
}

// signup creates a pending account. Attempts count against the login
// limits.
func (h *Handler) signup(w http.ResponseWriter, r *http.Request) {
	if !readForm(w, r) {
		return
	}
	f := r.PostForm
	v := signupView{Username: strings.TrimSpace(f.Get("username")), Email: f.Get("email"), Org: f.Get("org"), Message: f.Get("message")}
	if f.Get("password") != f.Get("password_again") {
		v.Errs = h.translateErrs(h.tr.Pick(r), model.FieldErrors{"password_again": model.Problem("reset.error.again")})
		h.renderSignup(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	release, _, ok := h.hashSlot(w, r, "signup")
	if !ok {
		return
	}
	_, err := h.svc.SignUp(r.Context(), service.SignUpInput{Username: v.Username, Password: f.Get("password"),
		Email: v.Email, Org: v.Org, Message: v.Message})
	release()
	if errs, ok := h.validationErrors(r, err); ok {
		v.Errs = errs
		h.renderSignup(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if err != nil {
		writePageError(w, h.log, err)
		return
	}
	h.renderSignup(w, r, http.StatusOK, signupView{Done: true})
}

// adminOrgInterests is the form of an organisation's interests: its
// members and editors get the calls that fit, at /me.
func (h *Handler) adminOrgInterests(w http.ResponseWriter, r *http.Request) {
	org := chi.URLParam(r, "org")
	in, err := h.svc.OrgInterests(r.Context(), principalOf(r), org)
	if err != nil {
		writePageError(w, h.log, err)
		return
	}
	v := interestsView{Countries: strings.Join(in.Countries, " "), Saved: r.URL.Query().Has("saved"), In: map[string]bool{}}
	if in.Near != nil {
		v.Lat, v.Lon, v.Radius = ftoa(in.Near.Lat), ftoa(in.Near.Lon), ftoa(in.Near.RadiusKm)
	}
	for _, s := range append(in.Sectors, in.Roles...) {
		v.In[s] = true
	}
	h.renderOrgInterests(w, r, http.StatusOK, v)
}

// orgInterestsView is an organisation's interests form in the admin pages.
type orgInterestsView struct {
	adminPage
	interestsView
}

func (h *Handler) renderOrgInterests(w http.ResponseWriter, r *http.Request, status int, v interestsView) {
	h.renderInterestsPage(w, r, status, "admin_org_interests", v)
}

func (h *Handler) adminSaveOrgInterests(w http.ResponseWriter, r *http.Request) {
	if !readForm(w, r) {
		return
	}
	in, v := h.interestsForm(r)
	if len(v.Errors) > 0 {
		h.renderOrgInterests(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	org := chi.URLParam(r, "org")
	if err := h.svc.SetOrgInterests(r.Context(), principalOf(r), org, in); err != nil {
		writePageError(w, h.log, err)
		return
	}
	http.Redirect(w, r, "/admin/orgs/"+org+"/interests?saved", http.StatusSeeOther)
}
