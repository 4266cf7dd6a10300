package admin

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/errs"
	"codeberg.org/maillage/maillage/internal/httperr"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/web/webkit"
	template "codeberg.org/maillage/maillage/internal/web/webkit/tmpl/htmltemplate"
)

// adminActorItem is a remote actor as the admin pages show it: its IRI,
// and its handle and server when it is stored.
type adminActorItem struct {
	IRI, Handle, Server string
	// Known remote actors (describeActor): its name, avatar (a path of
	// this instance's image cache) or initials, and sectors (slugs, and
	// their names in the page's language).
	Name, Avatar, Initials string
	Sectors, SectorLabels  []string
}

// actorItems describes the actors iris, from what the store holds.
func (h *Handler) actorItems(iris []string) []adminActorItem {
	out := make([]adminActorItem, len(iris))
	known := h.svc.KnownActors(context.Background(), iris)
	for i, iri := range iris {
		out[i] = adminActorItem{IRI: iri}
		if u, err := url.Parse(iri); err == nil {
			out[i].Server = u.Host
		}
		if a, ok := known[iri]; ok {
			out[i].Handle = a.Handle()
			h.describeActor(&out[i], a)
		}
	}
	return out
}

type adminFollowerItem struct {
	adminActorItem
	model.Follower
}

type adminFollowingItem struct {
	adminActorItem
	model.Following
}

type adminNetworkView struct {
	adminPage
	Followers, Pending []adminFollowerItem
	Following          []adminFollowingItem
	Target             string // follow form
	Errs               webkit.FieldErrors
}

func (h *Handler) adminNetwork(w http.ResponseWriter, r *http.Request) {
	h.renderNetwork(w, r, http.StatusOK, "", nil)
}

func (h *Handler) renderNetwork(w http.ResponseWriter, r *http.Request, status int, target string, errs webkit.FieldErrors) {
	o, ok := h.adminOrgOf(w, r)
	if !ok {
		return
	}
	followers, err := h.svc.Followers(r.Context(), o.Name)
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	following, err := h.svc.FollowingList(r.Context(), o.Name)
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	v := adminNetworkView{adminPage: adminPageOf(r), Target: target, Errs: errs}
	iris := make([]string, 0, len(followers)+len(following))
	for _, f := range followers {
		iris = append(iris, f.Actor)
	}
	for _, f := range following {
		iris = append(iris, f.Target)
	}
	items := h.actorItems(iris)
	h.labelSectors(h.tr.Pick(r), items)
	for i, f := range followers {
		if f.Pending {
			v.Pending = append(v.Pending, adminFollowerItem{items[i], f})
		} else {
			v.Followers = append(v.Followers, adminFollowerItem{items[i], f})
		}
	}
	for i, f := range following {
		v.Following = append(v.Following, adminFollowingItem{items[len(followers)+i], f})
	}
	lang := h.tr.Pick(r)
	h.kit.Render(w, r, status, "admin_network", webkit.Page{Title: h.tr.T(lang, "admin.network.title", o.DisplayName), Data: v})
}

func (h *Handler) networkPath(r *http.Request) string {
	return "/admin/orgs/" + chi.URLParam(r, "org") + "/network"
}

// adminFollow sends a follow; it stays pending until the other side
// accepts.
func (h *Handler) adminFollow(w http.ResponseWriter, r *http.Request) {
	if _, ok := h.adminOrgOf(w, r); !ok || !webkit.ReadForm(w, r) {
		return
	}
	lang := h.tr.Pick(r)
	target := strings.TrimSpace(r.PostFormValue("target"))
	if target == "" {
		h.renderNetwork(w, r, http.StatusUnprocessableEntity, target,
			webkit.FieldErrors{"target": h.tr.T(lang, "admin.error.required")})
		return
	}
	_, err := h.svc.Follow(r.Context(), webkit.PrincipalOf(r), chi.URLParam(r, "org"), target)
	if errs, ok := h.kit.ValidationErrors(r, err); ok {
		h.renderNetwork(w, r, http.StatusUnprocessableEntity, target, errs)
		return
	}
	if errs.Remote(err) {
		// Resolving the remote actor failed: the remote's fault (or a
		// typo), said as such. Anything else, a failing store write
		// included, is not the remote's and is answered by its kind.
		h.log.Info("follow failed", "target", target, "err", err)
		h.renderNetwork(w, r, httperr.Status(err), target,
			webkit.FieldErrors{"target": h.tr.T(lang, "admin.network.unresolved", target)})
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.kit.Saved(w, "followed")
	http.Redirect(w, r, h.networkPath(r), http.StatusSeeOther)
}

func (h *Handler) adminUnfollow(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	if err := h.svc.Unfollow(r.Context(), webkit.PrincipalOf(r), chi.URLParam(r, "org"), r.PostFormValue("target")); err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.kit.Saved(w, "unfollowed")
	http.Redirect(w, r, h.networkPath(r), http.StatusSeeOther)
}

// adminApprove accepts or rejects a pending follow request.
func (h *Handler) adminApprove(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	decision := r.PostFormValue("decision")
	if decision != "approve" && decision != "reject" {
		http.Error(w, http.StatusText(http.StatusBadRequest), http.StatusBadRequest)
		return
	}
	err := h.svc.ApproveFollower(r.Context(), webkit.PrincipalOf(r), chi.URLParam(r, "org"), r.PostFormValue("actor"), decision == "approve")
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	notice := "rejected"
	if decision == "approve" {
		notice = "approved"
	}
	h.kit.Saved(w, notice)
	http.Redirect(w, r, h.networkPath(r), http.StatusSeeOther)
}

// adminReplyItem is a reply on the responses page.
type adminReplyItem struct {
	adminActorItem
	model.Reply
	HTML    template.HTML
	Profile *model.Profile // the sender's organisation profile, when it is a maillage organisation
}

type adminRepliesView struct {
	adminPage
	Object  model.Object
	Path    string
	Replies []adminReplyItem
}

// adminReplies lists the replies a project or call received.
func (h *Handler) adminReplies(w http.ResponseWriter, r *http.Request) {
	o, ok := h.adminObjectOf(w, r)
	if !ok {
		return
	}
	answers, err := h.svc.AnswersReceived(r.Context(), o.ID)
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	iris := make([]string, len(answers))
	for i, a := range answers {
		iris[i] = a.Reply.Actor
	}
	items := h.actorItems(iris)
	v := adminRepliesView{adminPage: adminPageOf(r), Object: o, Path: h.adminPath(o)}
	for i, a := range answers {
		rep := a.Reply
		it := adminReplyItem{adminActorItem: items[i], Reply: rep, Profile: a.Profile}
		if !rep.Local {
			// Sanitised when received (ASToReply), and again here: replies
			// stored under an older, looser policy follow the current one.
			it.HTML = template.HTML(h.san.HTML(rep.Content))
		}
		v.Replies = append(v.Replies, it)
	}
	lang := h.tr.Pick(r)
	h.kit.Render(w, r, http.StatusOK, "admin_replies", webkit.Page{Title: h.tr.T(lang, "admin.replies.title", o.Title), Data: v})
}
