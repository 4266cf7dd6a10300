package admin

import (
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// accountRoutes are the administrators' pages managing accounts and
// invitations (under /admin/accounts).
func (h *Handler) accountRoutes(r chi.Router) {
	r.Get("/", h.adminAccounts)
	r.Post("/invite", h.adminInvite)
	r.Post("/{username}/role", h.adminSetRole)
	r.Post("/{username}/disable", h.adminDisableAccount)
	r.Post("/{username}/enable", h.adminEnableAccount)
	r.Post("/{username}/delete", h.adminDeleteAccount)
	r.Post("/{username}/reset", h.adminResetLink)
	r.Post("/{username}/approve", h.adminApproveAccount)
	r.Post("/{username}/refuse", h.adminRefuseAccount)
}

// adminAccountsView lists the accounts and holds the invitation form; Link
// is a new invitation's link, shown once.
type adminAccountsView struct {
	adminPage
	Accounts []service.Account
	Names    map[string]string // display names of the accounts that set one
	Roles    []service.Role
	Orgs     []string // local organisation names, for the checkboxes
	Link     string
	// ResetLink is a password reset link made by an administrator, shown once.
	ResetLink string
	Errs      webkit.FieldErrors
	Error     string // why a change was refused
	// CanMail: a mail server is configured, and invitations can be
	// e-mailed; MailedTo is where one just was, Email the address typed.
	CanMail         bool
	MailedTo, Email string
	// HasOrg marks each account's organisations, by username and name
	// (service.Account.HasOrg; {{index $.Data.HasOrg $a.Username .}}).
	HasOrg map[string]map[string]bool
}

func (h *Handler) adminAccounts(w http.ResponseWriter, r *http.Request) {
	h.renderAccounts(w, r, http.StatusOK, adminAccountsView{})
}

func (h *Handler) renderAccounts(w http.ResponseWriter, r *http.Request, status int, v adminAccountsView) {
	var err error
	if v.Accounts, err = h.svc.ListAccounts(r.Context(), webkit.PrincipalOf(r)); err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	users := make([]string, len(v.Accounts))
	for i, a := range v.Accounts {
		users[i] = a.Username
	}
	v.Names = h.svc.MemberNames(r.Context(), users...)
	orgs, err := h.svc.Orgs(r.Context())
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	for _, o := range orgs {
		v.Orgs = append(v.Orgs, o.Name)
	}
	v.HasOrg = make(map[string]map[string]bool, len(v.Accounts))
	for _, a := range v.Accounts {
		v.HasOrg[a.Username] = map[string]bool{}
		for _, o := range v.Orgs {
			v.HasOrg[a.Username][o] = a.HasOrg(o)
		}
	}
	v.adminPage, v.Roles, v.CanMail = adminPageOf(r), service.Roles, h.svc.HasMailer()
	w.Header().Set("Cache-Control", "no-store")
	h.kit.Render(w, r, status, "admin_accounts", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "accounts.title"), Data: v})
}

// adminInvite makes an invitation and shows its link once, in this
// answer only (no redirect: the code is never stored in clear).
func (h *Handler) adminInvite(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	role := service.Role(r.PostFormValue("role"))
	if email := strings.TrimSpace(r.PostFormValue("email")); email != "" {
		h.inviteByMail(w, r, role, email)
		return
	}
	code, err := h.svc.Invite(r.Context(), webkit.PrincipalOf(r), role, r.PostForm["orgs"], webkit.UserOf(r.Context()))
	if errs, ok := h.kit.ValidationErrors(r, err); ok {
		h.renderAccounts(w, r, http.StatusUnprocessableEntity, adminAccountsView{Errs: errs})
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	link := h.uris.Join(code)
	h.renderAccounts(w, r, http.StatusOK, adminAccountsView{Link: link})
}

func (h *Handler) adminSetRole(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	role := service.Role(r.PostFormValue("role"))
	h.accountChanged(w, r, h.svc.SetRole(r.Context(), webkit.PrincipalOf(r), chi.URLParam(r, "username"), role, r.PostForm["orgs"]))
}

func (h *Handler) adminDisableAccount(w http.ResponseWriter, r *http.Request) {
	h.accountChanged(w, r, h.svc.DisableAccount(r.Context(), webkit.PrincipalOf(r), chi.URLParam(r, "username")))
}

func (h *Handler) adminEnableAccount(w http.ResponseWriter, r *http.Request) {
	h.accountChanged(w, r, h.svc.EnableAccount(r.Context(), webkit.PrincipalOf(r), chi.URLParam(r, "username")))
}

func (h *Handler) adminDeleteAccount(w http.ResponseWriter, r *http.Request) {
	h.accountChanged(w, r, h.svc.DeleteAccount(r.Context(), webkit.PrincipalOf(r), chi.URLParam(r, "username")))
}

// accountChanged answers a change of an account: back to the list, or the
// list with why the change was refused.
func (h *Handler) accountChanged(w http.ResponseWriter, r *http.Request, err error) {
	if errs, ok := h.kit.ValidationErrors(r, err); ok {
		// Every problem, in a stable order (a map's order is random).
		v := adminAccountsView{Error: strings.Join(slices.Sorted(maps.Values(errs)), " ")}
		h.renderAccounts(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.kit.Saved(w, "account")
	http.Redirect(w, r, "/admin/accounts", http.StatusSeeOther)
}
