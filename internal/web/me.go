package web

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/feeds"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

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
		r.Get("/answers", h.showMyAnswers)
		r.Post("/answers/withdraw", h.withdrawMyAnswer)
		r.Post("/profile", h.saveMeProfile)
	})
}

// requireSession lets through requests with a live session of any
// enabled account (member, editor, administrator), and sends the others
// to the login page.
func (h *Handler) requireSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		acc, ok := h.kit.SessionAccount(r)
		if !ok || acc.Disabled {
			back := "/me"
			if r.Method == http.MethodGet {
				back = r.URL.RequestURI()
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(back), http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r.WithContext(webkit.WithAccount(r.Context(), acc)))
	})
}

type meView struct {
	User    string
	Notices []service.Notice
	Unread  int
	Member  *memberCtx // whom the account may answer calls for
	Now     time.Time
	// CanAnswer are the notices' calls, by ID, the account may answer:
	// open, of another organisation than the one it answers for.
	CanAnswer map[string]bool
}

func (h *Handler) showMe(w http.ResponseWriter, r *http.Request) {
	user := webkit.UserOf(r.Context())
	ns, err := h.svc.Notices(r.Context(), webkit.PrincipalOf(r), user, 50)
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	v := meView{User: user, Notices: ns, Member: h.memberOf(r), Now: h.now(), CanAnswer: map[string]bool{}}
	for _, n := range ns {
		if n.Call.CallStatus(v.Now) == model.CallOpen && v.Member.CanAnswer(n.Call.AttributedTo) {
			v.CanAnswer[n.Call.ID] = true
		}
		if !n.Read {
			v.Unread++
		}
	}
	h.kit.Render(w, r, http.StatusOK, "me", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "me.title"), Data: v})
}

func (h *Handler) markRead(w http.ResponseWriter, r *http.Request) {
	if err := h.svc.MarkAllRead(r.Context(), webkit.PrincipalOf(r), webkit.UserOf(r.Context())); err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	http.Redirect(w, r, "/me", http.StatusSeeOther)
}

func (h *Handler) showInterests(w http.ResponseWriter, r *http.Request) {
	_, in, err := h.svc.Prefs(r.Context(), webkit.PrincipalOf(r), webkit.UserOf(r.Context()))
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.renderInterests(w, r, http.StatusOK, webkit.InterestsViewOf(in, r.URL.Query().Has("saved")))
}

func (h *Handler) renderInterests(w http.ResponseWriter, r *http.Request, status int, v webkit.InterestsView) {
	h.kit.Render(w, r, status, "me_interests", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "me.interests.title"), Data: v.WithOptions()})
}

func (h *Handler) saveInterests(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	in, v := h.kit.InterestsForm(r)
	if len(v.Errors) > 0 {
		h.renderInterests(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if err := h.svc.SetInterests(r.Context(), webkit.PrincipalOf(r), webkit.UserOf(r.Context()), in); err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	http.Redirect(w, r, "/me/interests?saved", http.StatusSeeOther)
}

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
	// NoMail: the instance has no mail server, so it sends no digest and
	// no link; the page says so and offers no link to send.
	NoMail bool
	// Profile is the member's name and bio (me_profile.go).
	Profile profileForm
}

func (h *Handler) showMeSettings(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := meSettingsView{Saved: q.Has("saved"), Sent: q.Has("sent")}
	v.Profile.Saved = q.Has("profile")
	if err := h.fillMeProfile(r, &v.Profile); err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	if err := h.fillMeSettings(r, &v); err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.renderMeSettings(w, r, http.StatusOK, v)
}

// fillMeSettings fills v with the signed-in account's stored settings.
func (h *Handler) fillMeSettings(r *http.Request, v *meSettingsView) error {
	p, _, err := h.svc.Prefs(r.Context(), webkit.PrincipalOf(r), webkit.UserOf(r.Context()))
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
	v.Frequencies, v.NoMail = service.DigestFrequencies, !h.svc.HasMailer()
	h.kit.Render(w, r, status, "me_settings", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "me.settings.title"), Data: v})
}

func (h *Handler) saveMeSettings(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	user := webkit.UserOf(r.Context())
	v := meSettingsView{Email: strings.TrimSpace(r.PostFormValue("email")), Digest: r.PostFormValue("digest")}
	err := h.svc.SetMailSettings(r.Context(), webkit.PrincipalOf(r), user, v.Email, v.Digest)
	if errs, ok := h.kit.ValidationErrors(r, err); ok {
		v.Errors = errs
		if p, _, err := h.svc.Prefs(r.Context(), webkit.PrincipalOf(r), user); err == nil && p.FeedSecret != "" {
			v.FeedURL = h.uris.AccountFeed(p.FeedSecret)
		}
		_ = h.fillMeProfile(r, &v.Profile)
		h.renderMeSettings(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	http.Redirect(w, r, "/me/settings?saved", http.StatusSeeOther)
}

func (h *Handler) newFeedSecret(w http.ResponseWriter, r *http.Request) {
	if _, err := h.svc.NewFeedSecret(r.Context(), webkit.PrincipalOf(r), webkit.UserOf(r.Context())); err != nil {
		webkit.WritePageError(w, h.log, err)
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
		webkit.WritePageError(w, h.log, err)
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
