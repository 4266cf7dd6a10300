package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
)

// adminState is what the administrators' interface keeps between
// requests: the login limiter, a bound on concurrent password checks (each
// argon2id check takes 19 MiB), and the cross-origin protection of every
// form.
type adminState struct {
	limiter *loginLimiter // per client address
	users   *loginLimiter // per username, whatever the client
	hashing chan struct{}
	csrf    *http.CrossOriginProtection
	secure  bool // session cookie marked Secure: the base URL is https
}

// Login limits, each over loginWindow and at most loginMaxClients entries
// remembered: per client address, loginMaxFailures attempts (a right
// password takes back only its own attempt); per username,
// loginMaxUserFailures attempts from any clients (a right password clears
// that username's count), so spreading guesses over many addresses does
// not help, and one client alone cannot lock an account out.
const (
	loginMaxFailures     = 5
	loginMaxUserFailures = 10
	loginWindow          = 10 * time.Minute
	loginMaxClients      = 10000
	loginMaxHashing      = 4
	maxFormBody          = 1 << 20
)

// adminPages are the templates of the administrators' interface, each
// parsed with the layout and the shared admin partials.
var adminPages = []string{"login", "admin_dashboard", "admin_org", "admin_profile", "admin_object",
	"admin_delete", "admin_network", "admin_replies", "admin_moderation", "admin_account", "admin_accounts", "join", "setup", "admin_answers",
	"reset", "reset_form", "signup", "admin_org_interests", "confirm_email"}

// initAdmin parses the admin templates into h.pages and builds the admin
// state. now is the clock of the login limiter.
func (h *Handler) initAdmin(now func() time.Time) error {
	for _, name := range adminPages {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html",
			"templates/admin_partials.html", "templates/interests_fields.html", "templates/"+name+".html")
		if err != nil {
			return fmt.Errorf("web: parse template %s: %w", name, err)
		}
		h.pages[name] = t
	}
	csrf := http.NewCrossOriginProtection()
	// The bearer-token API carries no cookie; inboxes are let through by
	// crossOrigin.
	csrf.AddInsecureBypassPattern("/api/")
	h.admin = &adminState{
		limiter: newLoginLimiter(now, loginMaxFailures, loginWindow, loginMaxClients),
		users:   newLoginLimiter(now, loginMaxUserFailures, loginWindow, loginMaxClients),
		hashing: make(chan struct{}, loginMaxHashing),
		csrf:    csrf,
		secure:  strings.HasPrefix(h.uris.Base, "https://"),
	}
	return nil
}

// crossOrigin refuses cross-origin form posts (403), except to inboxes:
// servers post signed activities there with no cookie, and some send
// Origin or Sec-Fetch-Site. Every inbox, whatever its actor, is recognised
// by the one predicate uris.IsInboxPath rather than a list of routes.
func (h *Handler) crossOrigin(next http.Handler) http.Handler {
	protected := h.admin.csrf.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && h.uris.IsInboxPath(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		protected.ServeHTTP(w, r)
	})
}

// adminRoutes are the pages under /admin. The middleware only
// authenticates: requireAdmin wants a session of an account that may read
// the admin interface, and an organisation's pages one that may read that
// organisation's (service.Can with the organisation of the path). Each use
// case behind a page authorises its principal itself (principalOf), so a
// route added here without a check is still refused by the service.
func (h *Handler) adminRoutes(r chi.Router) {
	r.Use(h.requireAdmin)
	r.Get("/", h.adminDashboard)
	r.Post("/orgs", h.adminCreateOrg)
	r.Get("/account", h.adminAccount)
	r.Post("/account/password", h.adminChangePassword)
	r.Post("/account/sessions/end", h.adminEndSessions)
	r.Post("/admins/{username}/delete", h.adminDeleteAdmin)
	r.Route("/accounts", h.accountRoutes)
	r.Get("/moderation", h.adminModeration)
	r.Post("/moderation/block", h.adminBlock)
	r.Post("/moderation/unblock", h.adminUnblock)
	r.Post("/moderation/report", h.adminReport)
	r.Route("/orgs/{org}", func(r chi.Router) {
		r.Use(h.allow(service.ActReadAdmin))
		r.Get("/", h.adminOrg)
		r.Get("/profile", h.adminEditProfile)
		r.Post("/profile", h.adminSaveProfile)
		r.Get("/interests", h.adminOrgInterests)
		r.Post("/interests", h.adminSaveOrgInterests)
		r.Get("/network", h.adminNetwork)
		r.Post("/follow", h.adminFollow)
		r.Post("/unfollow", h.adminUnfollow)
		r.Post("/followers/approve", h.adminApprove)
		r.Get("/{kinds:projects|calls}/new", h.adminNewObject)
		r.Post("/{kinds:projects|calls}/new", h.adminCreateObject)
		r.Get("/{kinds:projects|calls}/{id}/edit", h.adminEditObject)
		r.Post("/{kinds:projects|calls}/{id}/edit", h.adminSaveObject)
		r.Post("/{kinds:calls}/{id}/close", h.adminCloseCall)
		r.Get("/{kinds:projects|calls}/{id}/delete", h.adminConfirmDelete)
		r.Post("/{kinds:projects|calls}/{id}/delete", h.adminDeleteObject)
		r.Get("/{kinds:projects|calls}/{id}/replies", h.adminReplies)
		r.Get("/answers", h.adminAnswers)
		r.Post("/answers/{id}/send", h.adminSendAnswer)
		r.Post("/answers/{id}/withdraw", h.adminWithdrawAnswer)
	})
}

// adminPage is what every admin page shows around its content: who is
// signed in and, below the dashboard, which organisation it is about.
type adminPage struct {
	User    string
	Org     string // local name
	IsAdmin bool   // the account is an administrator: links to the instance's pages
}

func adminPageOf(r *http.Request) adminPage {
	acc := sessionAccountOf(r.Context())
	return adminPage{User: acc.Username, Org: chi.URLParam(r, "org"), IsAdmin: service.Can(acc, service.ActManageAccounts, "")}
}

// adminFieldErrors are the problems of a submitted form, by field name
// (the names of model.ValidationError, which are also the input ids).
type adminFieldErrors map[string]string

// Attrs marks an input invalid and links it to its message.
func (e adminFieldErrors) Attrs(field string) template.HTMLAttr {
	if _, ok := e[field]; !ok {
		return ""
	}
	id := template.HTMLEscapeString("err-" + field)
	return template.HTMLAttr(`aria-invalid="true" aria-describedby="` + id + `"`)
}

// Described links a group (fieldset) to its message.
func (e adminFieldErrors) Described(field string) template.HTMLAttr {
	if _, ok := e[field]; !ok {
		return ""
	}
	return template.HTMLAttr(`aria-describedby="` + template.HTMLEscapeString("err-"+field) + `"`)
}

// For is the message of field, for the "admin_err" partial.
func (e adminFieldErrors) For(field string) adminFieldError {
	return adminFieldError{Field: field, Message: e[field]}
}

type adminFieldError struct{ Field, Message string }

// validationErrors returns the field messages of a validation error, in
// the request's language.
func (h *Handler) validationErrors(r *http.Request, err error) (adminFieldErrors, bool) {
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		return h.translateErrs(h.tr.Pick(r), ve.Fields), true
	}
	return nil, false
}

// readForm parses a bounded urlencoded form body; it answers 400 (or 413)
// itself and returns false when it cannot.
func readForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		status := http.StatusBadRequest
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			status = http.StatusRequestEntityTooLarge
		}
		http.Error(w, http.StatusText(status), status)
		return false
	}
	return true
}

// adminDashboardView lists the organisations, the administrators, and
// holds the form creating an organisation.
type adminDashboardView struct {
	adminPage
	Orgs         []orgView
	Admins       []service.Admin
	Name, Title  string // submitted new organisation
	Errs         adminFieldErrors
	InstanceName string
	AdminError   string // why an administrator was not deleted
}

func (h *Handler) adminDashboard(w http.ResponseWriter, r *http.Request) {
	h.renderDashboard(w, r, http.StatusOK, adminDashboardView{})
}

func (h *Handler) renderDashboard(w http.ResponseWriter, r *http.Request, status int, v adminDashboardView) {
	orgs, err := h.svc.Orgs(r.Context())
	if err != nil {
		writePageError(w, h.log, err)
		return
	}
	acc := sessionAccountOf(r.Context())
	if service.Can(acc, service.ActManageAccounts, "") {
		if v.Admins, err = h.svc.ListAdmins(r.Context(), principalOf(r)); err != nil {
			writePageError(w, h.log, err)
			return
		}
	}
	for _, o := range orgs {
		if service.Can(acc, service.ActReadAdmin, o.Name) {
			v.Orgs = append(v.Orgs, h.orgView(o))
		}
	}
	v.adminPage, v.InstanceName = adminPageOf(r), model.InstanceName
	h.render(w, r, status, "admin_dashboard", pageData{Title: h.tr.T(h.tr.Pick(r), "admin.dashboard.title"), Data: v})
}

// adminCreateOrg creates an organisation from its name and display name;
// the rest of its profile is edited next.
func (h *Handler) adminCreateOrg(w http.ResponseWriter, r *http.Request) {
	if !readForm(w, r) {
		return
	}
	v := adminDashboardView{Name: strings.TrimSpace(r.PostFormValue("name")), Title: r.PostFormValue("display_name")}
	o, err := h.svc.CreateOrg(r.Context(), principalOf(r), model.Org{Name: v.Name, Profile: model.Profile{DisplayName: v.Title}})
	if errs, ok := h.validationErrors(r, err); ok {
		v.Errs = errs
		h.renderDashboard(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if err != nil {
		writePageError(w, h.log, err)
		return
	}
	http.Redirect(w, r, "/admin/orgs/"+o.Name+"/profile", http.StatusSeeOther)
}

// adminOrgOf loads the organisation named in the path, answering 404
// itself when there is none.
func (h *Handler) adminOrgOf(w http.ResponseWriter, r *http.Request) (model.Org, bool) {
	o, err := h.svc.Org(r.Context(), chi.URLParam(r, "org"))
	if err != nil {
		writePageError(w, h.log, err)
		return o, false
	}
	return o, true
}

type sessionKey struct{}

func withSessionAccount(ctx context.Context, acc service.Account) context.Context {
	return context.WithValue(ctx, sessionKey{}, acc)
}

// sessionAccountOf is the account signed in for this request (the zero
// Account, which may do nothing, outside requireAdmin).
func sessionAccountOf(ctx context.Context) service.Account {
	a, _ := ctx.Value(sessionKey{}).(service.Account)
	return a
}

// sessionUserOf is the name of the account signed in for this request.
func sessionUserOf(ctx context.Context) string { return sessionAccountOf(ctx).Username }
