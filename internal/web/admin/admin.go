package admin

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
	"codeberg.org/maillage/maillage/internal/wire"
)

// adminRoutes are the pages under /admin. The middleware only
// authenticates: requireAdmin wants a session of an account that may read
// the admin interface, and an organisation's pages one that may read that
// organisation's (service.Can with the organisation of the path). Each use
// case behind a page authorises its principal itself (webkit.PrincipalOf), so a
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
	r.Route("/claims", h.claimRoutes)
	r.Get("/moderation", h.adminModeration)
	r.Get("/moderation/block", h.adminConfirmBlock)
	r.Post("/moderation/block", h.adminBlock)
	r.Post("/moderation/reports/{id}/dismiss", h.adminDismissReport)
	r.Post("/moderation/unblock", h.adminUnblock)
	r.Post("/moderation/report", h.adminReport)
	r.Get("/relays", h.adminRelays)
	r.Post("/relays/add", h.adminAddRelay)
	r.Post("/relays/remove", h.adminRemoveRelay)
	r.Post("/relays/pause", h.adminPauseRelay)
	r.Post("/relays/discovery", h.adminRelayDiscovery)
	r.Post("/relays/limits", h.adminRelayLimits)
	r.Get("/import", h.adminImport)
	r.Post("/import", h.adminPreviewImport)
	r.Post("/import/apply", h.adminApplyImport)
	h.instanceRoutes(r)
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
		h.moveRoutes(r)
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
	acc := webkit.AccountOf(r.Context())
	return adminPage{User: acc.Username, Org: chi.URLParam(r, "org"), IsAdmin: service.Can(acc, service.ActManageAccounts, "")}
}

// adminDashboardView lists the organisations, the administrators, and
// holds the form creating an organisation.
type adminDashboardView struct {
	adminPage
	Orgs         []wire.Org
	Admins       []service.Admin
	Name, Title  string // submitted new organisation
	Errs         webkit.FieldErrors
	InstanceName string
	AdminError   string // why an administrator was not deleted
	// Counts are what each organisation publishes and what waits for it,
	// by name; Reports, the reports received and not dismissed
	// (administrators only); Waiting, whether anything waits at all.
	Counts  map[string]service.OrgCounts
	Reports int
	Waiting bool
}

func (h *Handler) adminDashboard(w http.ResponseWriter, r *http.Request) {
	h.renderDashboard(w, r, http.StatusOK, adminDashboardView{})
}

func (h *Handler) renderDashboard(w http.ResponseWriter, r *http.Request, status int, v adminDashboardView) {
	orgs, err := h.svc.Orgs(r.Context())
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	acc := webkit.AccountOf(r.Context())
	if service.Can(acc, service.ActManageAccounts, "") {
		if v.Admins, err = h.svc.ListAdmins(r.Context(), webkit.PrincipalOf(r)); err != nil {
			webkit.WritePageError(w, h.log, err)
			return
		}
	}
	v.Counts = map[string]service.OrgCounts{}
	for _, o := range orgs {
		if !service.Can(acc, service.ActReadAdmin, o.Name) {
			continue
		}
		v.Orgs = append(v.Orgs, h.kit.OrgView(o))
		c, err := h.svc.OrgCounts(r.Context(), webkit.PrincipalOf(r), o.Name)
		if err != nil {
			webkit.WritePageError(w, h.log, err)
			return
		}
		v.Counts[o.Name] = c
		v.Waiting = v.Waiting || c.NewAnswers+c.Drafts+c.FollowRequests > 0
	}
	if service.Can(acc, service.ActModerate, "") {
		if v.Reports, err = h.svc.OpenReports(r.Context(), webkit.PrincipalOf(r)); err != nil {
			webkit.WritePageError(w, h.log, err)
			return
		}
		v.Waiting = v.Waiting || v.Reports > 0
	}
	v.adminPage, v.InstanceName = adminPageOf(r), model.InstanceName
	h.kit.Render(w, r, status, "admin_dashboard", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "admin.dashboard.title"), Data: v})
}

// adminCreateOrg creates an organisation from its name and display name;
// the rest of its profile is edited next.
func (h *Handler) adminCreateOrg(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	v := adminDashboardView{Name: strings.TrimSpace(r.PostFormValue("name")), Title: r.PostFormValue("display_name")}
	o, err := h.svc.CreateOrg(r.Context(), webkit.PrincipalOf(r), model.Org{Name: v.Name, Profile: model.Profile{DisplayName: v.Title}})
	if errs, ok := h.kit.ValidationErrors(r, err); ok {
		v.Errs = errs
		h.renderDashboard(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.kit.Saved(w, "created")
	http.Redirect(w, r, "/admin/orgs/"+o.Name+"/profile", http.StatusSeeOther)
}

// adminOrgOf loads the organisation named in the path, answering 404
// itself when there is none.
func (h *Handler) adminOrgOf(w http.ResponseWriter, r *http.Request) (model.Org, bool) {
	o, err := h.svc.Org(r.Context(), chi.URLParam(r, "org"))
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return o, false
	}
	return o, true
}
