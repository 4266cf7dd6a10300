package web

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/feeds"
	"codeberg.org/maillage/maillage/internal/matching"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
)

// mePages are the pages of any signed-in account (matching, issue #5).
var mePages = []string{"me", "me_interests", "me_settings", "me_following", "me_home", "member"}

func (h *Handler) initMe() error {
	for _, name := range mePages {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/me_partials.html",
			"templates/interests_fields.html", "templates/"+name+".html")
		if err != nil {
			return fmt.Errorf("web: parse template %s: %w", name, err)
		}
		h.pages[name] = t
	}
	return nil
}

// meRoutes are mounted at /me; the feed needs no session, its secret is
// the credential.
func (h *Handler) meRoutes(r chi.Router) {
	r.Get("/feed/{secret}", h.meFeed)
	r.Group(func(r chi.Router) {
		r.Use(h.requireSession)
		r.Get("/", h.showMe)
		r.Post("/read", h.markRead)
		r.Get("/interests", h.showInterests)
		r.Post("/interests", h.saveInterests)
		r.Get("/settings", h.showMeSettings)
		r.Post("/settings", h.saveMeSettings)
		r.Post("/settings/secret", h.newFeedSecret)
		r.Post("/settings/confirm", h.resendConfirmation)
		r.Get("/home", h.showMeHome)
		r.Get("/following", h.showFollowing)
		r.Post("/following", h.meFollow)
		r.Post("/follow", h.meFollow)
		r.Post("/unfollow", h.meUnfollow)
	})
}

// requireSession lets through requests with a live session of any
// enabled account (member, editor, administrator), and sends the others
// to the login page.
func (h *Handler) requireSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		acc, ok := h.sessionAccount(r)
		if !ok || acc.Disabled {
			back := "/me"
			if r.Method == http.MethodGet {
				back = r.URL.RequestURI()
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(back), http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r.WithContext(withSessionAccount(r.Context(), acc)))
	})
}

type meView struct {
	User    string
	Notices []service.Notice
	Unread  int
}

func (h *Handler) showMe(w http.ResponseWriter, r *http.Request) {
	user := sessionUserOf(r.Context())
	ns, err := h.svc.Notices(r.Context(), principalOf(r), user, 50)
	if err != nil {
		writePageError(w, h.log, err)
		return
	}
	v := meView{User: user, Notices: ns}
	for _, n := range ns {
		if !n.Read {
			v.Unread++
		}
	}
	h.render(w, r, http.StatusOK, "me", pageData{Title: h.tr.T(h.tr.Pick(r), "me.title"), Data: v})
}

func (h *Handler) markRead(w http.ResponseWriter, r *http.Request) {
	if err := h.svc.MarkAllRead(r.Context(), principalOf(r), sessionUserOf(r.Context())); err != nil {
		writePageError(w, h.log, err)
		return
	}
	http.Redirect(w, r, "/me", http.StatusSeeOther)
}

type interestsView struct {
	Sectors   []model.Sector
	Roles     []string
	In        map[string]bool // chosen sector and role slugs
	Countries string
	Lat, Lon  string
	Radius    string
	Errors    map[string]string
	Saved     bool
}

func (h *Handler) showInterests(w http.ResponseWriter, r *http.Request) {
	_, in, err := h.svc.Prefs(r.Context(), principalOf(r), sessionUserOf(r.Context()))
	if err != nil {
		writePageError(w, h.log, err)
		return
	}
	v := interestsView{Countries: strings.Join(in.Countries, " "), Saved: r.URL.Query().Has("saved")}
	if in.Near != nil {
		v.Lat, v.Lon = ftoa(in.Near.Lat), ftoa(in.Near.Lon)
		v.Radius = ftoa(in.Near.RadiusKm)
	}
	v.In = map[string]bool{}
	for _, s := range append(in.Sectors, in.Roles...) {
		v.In[s] = true
	}
	h.renderInterests(w, r, http.StatusOK, v)
}

func (h *Handler) renderInterests(w http.ResponseWriter, r *http.Request, status int, v interestsView) {
	h.renderInterestsPage(w, r, status, "me_interests", v)
}

func (h *Handler) renderInterestsPage(w http.ResponseWriter, r *http.Request, status int, page string, v interestsView) {
	v.Sectors, v.Roles = model.Sectors, model.PartnerRoles
	var data any = v
	if page != "me_interests" { // an organisation's: the admin pages' navigation
		data = orgInterestsView{adminPage: adminPageOf(r), interestsView: v}
	}
	h.render(w, r, status, page, pageData{Title: h.tr.T(h.tr.Pick(r), "me.interests.title"), Data: data})
}

func (h *Handler) saveInterests(w http.ResponseWriter, r *http.Request) {
	if !readForm(w, r) {
		return
	}
	in, v := h.interestsForm(r)
	if len(v.Errors) > 0 {
		h.renderInterests(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if err := h.svc.SetInterests(r.Context(), principalOf(r), sessionUserOf(r.Context()), in); err != nil {
		writePageError(w, h.log, err)
		return
	}
	http.Redirect(w, r, "/me/interests?saved", http.StatusSeeOther)
}

// interestsForm reads the interests form (of an account or of an
// organisation) and the problems it has.
func (h *Handler) interestsForm(r *http.Request) (matching.Interests, interestsView) {
	f := r.PostForm
	in := matching.Interests{Sectors: f["sectors"], Roles: f["roles"]}
	v := interestsView{In: map[string]bool{}, Countries: f.Get("countries"), Lat: f.Get("lat"), Lon: f.Get("lon"),
		Radius: f.Get("radius_km")}
	p := model.FieldErrors{}
	for _, s := range append(in.Sectors, in.Roles...) {
		v.In[s] = true
	}
	for _, c := range strings.FieldsFunc(v.Countries, func(r rune) bool { return r == ',' || r == ' ' }) {
		in.Countries = append(in.Countries, strings.ToUpper(c))
	}
	if v.Lat != "" || v.Lon != "" || v.Radius != "" {
		lat, e1 := strconv.ParseFloat(strings.TrimSpace(v.Lat), 64)
		lon, e2 := strconv.ParseFloat(strings.TrimSpace(v.Lon), 64)
		rad, e3 := strconv.ParseFloat(strings.TrimSpace(v.Radius), 64)
		if e1 != nil || e2 != nil {
			p["near"] = model.Problem("validation.place.numbers")
		}
		if e3 != nil {
			p["radius_km"] = model.Problem("validation.radius.number")
		}
		in.Near = &matching.Place{Lat: lat, Lon: lon, RadiusKm: rad}
	}
	err := in.Validate()
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		for k, m := range ve.Fields {
			if _, ok := p[k]; !ok {
				p[k] = m
			}
		}
	}
	v.Errors = h.translateErrs(h.tr.Pick(r), p)
	return in, v
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

type meSettingsView struct {
	Email, Digest string
	Frequencies   []string
	FeedURL       string
	Errors        map[string]string
	Saved         bool
	// Where the address stands (me_email.go): Confirmed, or Waiting for
	// its owner to open a link (LinkSent: a live one was sent; an address
	// given at sign-up has none yet); Sent: a link was just sent again;
	// Limited: the mailbox had its share of links this hour.
	Confirmed, Waiting, LinkSent, Sent, Limited bool
}

func (h *Handler) showMeSettings(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := meSettingsView{Saved: q.Has("saved"), Sent: q.Has("sent")}
	if err := h.fillMeSettings(r, &v); err != nil {
		writePageError(w, h.log, err)
		return
	}
	h.renderMeSettings(w, r, http.StatusOK, v)
}

// fillMeSettings fills v with the signed-in account's stored settings.
func (h *Handler) fillMeSettings(r *http.Request, v *meSettingsView) error {
	p, _, err := h.svc.Prefs(r.Context(), principalOf(r), sessionUserOf(r.Context()))
	if err != nil {
		return err
	}
	v.Email, v.Digest = p.Email, p.Digest
	if v.Digest == "" {
		v.Digest = "off"
	}
	if p.FeedSecret != "" {
		v.FeedURL = h.uris.AccountFeed(p.FeedSecret)
	}
	return h.emailStatus(r, v)
}

func (h *Handler) renderMeSettings(w http.ResponseWriter, r *http.Request, status int, v meSettingsView) {
	v.Frequencies = service.DigestFrequencies
	h.render(w, r, status, "me_settings", pageData{Title: h.tr.T(h.tr.Pick(r), "me.settings.title"), Data: v})
}

func (h *Handler) saveMeSettings(w http.ResponseWriter, r *http.Request) {
	if !readForm(w, r) {
		return
	}
	user := sessionUserOf(r.Context())
	v := meSettingsView{Email: strings.TrimSpace(r.PostFormValue("email")), Digest: r.PostFormValue("digest")}
	err := h.svc.SetMailSettings(r.Context(), principalOf(r), user, v.Email, v.Digest)
	if errs, ok := h.validationErrors(r, err); ok {
		v.Errors = errs
		if p, _, err := h.svc.Prefs(r.Context(), principalOf(r), user); err == nil && p.FeedSecret != "" {
			v.FeedURL = h.uris.AccountFeed(p.FeedSecret)
		}
		h.renderMeSettings(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if err != nil {
		writePageError(w, h.log, err)
		return
	}
	http.Redirect(w, r, "/me/settings?saved", http.StatusSeeOther)
}

func (h *Handler) newFeedSecret(w http.ResponseWriter, r *http.Request) {
	if _, err := h.svc.NewFeedSecret(r.Context(), principalOf(r), sessionUserOf(r.Context())); err != nil {
		writePageError(w, h.log, err)
		return
	}
	http.Redirect(w, r, "/me/settings", http.StatusSeeOther)
}

// meFeed serves the Atom feed of an account's matched calls at
// /me/feed/SECRET.atom; any other path is 404.
func (h *Handler) meFeed(w http.ResponseWriter, r *http.Request) {
	secret, ok := strings.CutSuffix(chi.URLParam(r, "secret"), ".atom")
	if !ok {
		http.NotFound(w, r)
		return
	}
	user, ns, err := h.svc.FeedNotices(r.Context(), secret)
	if err != nil { // an unknown secret is not found: 404
		writePageError(w, h.log, err)
		return
	}
	var entries []directory.Entry
	for _, n := range ns {
		if e, ok := directory.ObjectEntry(n.Call, n.Org, ""); ok {
			entries = append(entries, e)
		}
	}
	self := h.uris.AccountFeed(secret)
	lang := h.tr.Pick(r)
	f := feeds.Feed{ID: self, Title: h.tr.T(lang, "me.feed.title", user, h.uris.Host()), Link: h.uris.Me(),
		SelfLink: self, Lang: lang}
	w.Header().Set("Cache-Control", "no-store")
	h.writeFeed(w, feeds.ContentTypeAtom, "", func(buf io.Writer) error { return feeds.Atom(buf, f, entries) })
}
