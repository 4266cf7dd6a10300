package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"codeberg.org/maillage/maillage/internal/errs"
	"codeberg.org/maillage/maillage/internal/httperr"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// Members' pages (issue #5): a public profile of each account's Person
// actor, the follows of the signed-in member, and their home feed.

// showMember is the HTML side of /members/{name}.
func (h *Handler) showMember(w http.ResponseWriter, r *http.Request, user string) {
	o, err := h.svc.Org(r.Context(), model.PersonName(user))
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	id := h.uris.Actor(o.Name)
	v := map[string]any{"Name": o.DisplayName, "Bio": o.Summary, "Handle": o.Handle() + "@" + h.uris.Host(), "ID": id}
	h.kit.Render(w, r, http.StatusOK, "member", webkit.Page{Title: o.DisplayName, OG: id, AltJSON: id, Data: v})
}

type followingItem struct {
	model.Following
	Handle string
}

type followingView struct {
	Items  []followingItem
	Target string
	Error  string
}

// showFollowing lists the follows; ?target= prefills the form (where
// another server's "follow from your server" sends its visitor).
func (h *Handler) showFollowing(w http.ResponseWriter, r *http.Request) {
	h.renderFollowing(w, r, http.StatusOK, r.URL.Query().Get("target"), "")
}

func (h *Handler) renderFollowing(w http.ResponseWriter, r *http.Request, status int, target, problem string) {
	name, err := h.svc.MemberActor(r.Context(), webkit.UserOf(r.Context()))
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	list, err := h.svc.FollowingList(r.Context(), name)
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	v := followingView{Target: target, Error: problem}
	for _, f := range list {
		v.Items = append(v.Items, followingItem{f, h.handleOf(f.Target)})
	}
	h.kit.Render(w, r, status, "me_following", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "homefeed.following.title"), Data: v})
}

// meFollow follows a handle, URL or host typed in /me/following, or the
// actor IRI of a profile page's Follow button.
func (h *Handler) meFollow(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	lang := h.tr.Pick(r)
	target := strings.TrimPrefix(strings.TrimSpace(r.PostFormValue("target")), "@")
	if target == "" {
		h.renderFollowing(w, r, http.StatusUnprocessableEntity, target, h.tr.T(lang, "homefeed.follow.required"))
		return
	}
	name, err := h.svc.MemberActor(r.Context(), webkit.UserOf(r.Context()))
	if err == nil {
		_, err = h.svc.Follow(r.Context(), webkit.PrincipalOf(r), name, target)
	}
	if errs, ok := h.kit.ValidationErrors(r, err); ok {
		h.renderFollowing(w, r, http.StatusUnprocessableEntity, target, errs["target"])
		return
	}
	if errs.Remote(err) {
		h.log.Info("member follow failed", "target", target, "err", err)
		h.renderFollowing(w, r, httperr.Status(err), target, h.tr.T(lang, "homefeed.follow.unresolved", target))
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	http.Redirect(w, r, backOr(r, "/me/following"), http.StatusSeeOther)
}

// backOr is the form's back field, a page of this instance (the page whose
// Follow button was pressed), else def.
func backOr(r *http.Request, def string) string {
	if b := localBack(r.PostFormValue("back")); b != "" {
		return b
	}
	return def
}

func (h *Handler) meUnfollow(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	name, err := h.svc.MemberActor(r.Context(), webkit.UserOf(r.Context()))
	if err == nil {
		err = h.svc.Unfollow(r.Context(), webkit.PrincipalOf(r), name, r.PostFormValue("target"))
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	http.Redirect(w, r, backOr(r, "/me/following"), http.StatusSeeOther)
}

type homeView struct {
	service.HomeFeed
	Filter           service.HomeFilter
	Sectors          []model.Sector
	PrevURL, NextURL string
	Member           *memberCtx // whom the account may answer calls for
	// CanAnswer are the items, by ID, the account may answer: open calls
	// of another organisation than the one it answers for.
	CanAnswer map[string]bool
}

// showMeHome is the member's home feed, /me/home?calls=1&open=1&sector=S&page=N.
func (h *Handler) showMeHome(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := service.HomeFilter{CallsOnly: q.Get("calls") != "", OpenOnly: q.Get("open") != "", Sector: q.Get("sector")}
	f.Page, _ = strconv.Atoi(q.Get("page"))
	f.Page = min(max(f.Page, 1), 10_000)
	feed, err := h.svc.Home(r.Context(), webkit.PrincipalOf(r), webkit.UserOf(r.Context()), f, h.now())
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	v := homeView{HomeFeed: feed, Filter: f, Sectors: model.Sectors, Member: h.memberOf(r), CanAnswer: map[string]bool{}}
	for _, it := range feed.Items {
		if it.Kind == model.KindCall && it.Status == "open" && v.Member.CanAnswer(it.AttributedTo) {
			v.CanAnswer[it.ID] = true
		}
	}
	pageURL := func(n int) string {
		p := url.Values{}
		for _, k := range []string{"calls", "open", "sector"} {
			if q.Get(k) != "" {
				p.Set(k, q.Get(k))
			}
		}
		p.Set("page", strconv.Itoa(n))
		return "/me/home?" + p.Encode()
	}
	if feed.Page > 1 {
		v.PrevURL = pageURL(feed.Page - 1)
	}
	if feed.More {
		v.NextURL = pageURL(feed.Page + 1)
	}
	h.kit.Render(w, r, http.StatusOK, "me_home", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "homefeed.title"), Data: v})
}
