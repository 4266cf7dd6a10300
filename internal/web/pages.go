package web

import (
	"codeberg.org/maillage/maillage/federation"
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/i18n"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
	template "codeberg.org/maillage/maillage/internal/web/webkit/tmpl/htmltemplate"
	"codeberg.org/maillage/maillage/internal/wire"
)

func (h *Handler) showOrg(w http.ResponseWriter, r *http.Request, name string) {
	o, err := h.svc.Org(r.Context(), name)
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	objs, err := h.svc.ObjectsBy(r.Context(), h.uris.Actor(name))
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	v := h.kit.OrgView(o)
	m := h.memberOf(r)
	if m != nil {
		w.Header().Set("Cache-Control", "private, no-store") // the page shows the account's follow
	} else {
		h.allowFormRedirect(w) // the remote follow form (remote_follow.go)
	}
	verified, err := h.svc.VerifiedWebsites(r.Context(), v.ID)
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	logo, banner := localImage(o.Logo, false, o.DisplayName), localImage(o.Banner, false, "")
	preview := banner
	if preview == nil {
		preview = logo
	}
	ogImage, ogAlt := h.ogImage(preview)
	data := map[string]any{"Org": v, "Objects": objs, "Member": m, "RemoteFollow": remoteFollowForm{URI: v.ID},
		"Now": h.now(), "LegalForm": model.LegalFormLabel(o.LegalForm, o.LegalFormText),
		"Verified": verified[v.ID], "Provenance": o.Provenance, "MovedTo": h.movedToHandle(o), "Logo": logo, "Banner": banner,
		"Follow": m.Follow(v.ID), "Listed": o.Provenance.Listed(), "Statuses": callStatuses(objs, h.now())}
	if o.Provenance.Listed() {
		// Imported, not self-published: the badge and the link to the
		// entry at its source (a file name is not a link).
		if u, err := url.Parse(o.Provenance.SourceURL); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
			data["SourceLink"] = o.Provenance.SourceURL
		}
	}
	h.kit.Render(w, r, http.StatusOK, "org", webkit.Page{Title: o.DisplayName, Description: o.Summary, OG: v.ID, AltJSON: v.ID,
		Image: ogImage, ImageAlt: ogAlt, Data: data})
}

type replyView struct {
	model.Reply
	HTML   template.HTML // sanitised when received
	Sender string        // the sender's handle (name@host) when known, else its IRI
}

func (h *Handler) showObject(w http.ResponseWriter, r *http.Request) {
	iri := h.kit.ObjectIRI(r)
	o, err := h.svc.Object(r.Context(), iri)
	if err == nil && !o.Local {
		err = service.ErrNotFound
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	lang := h.tr.Pick(r)
	if o.IsDeleted() {
		http.Error(w, h.tr.T(lang, "object.deleted"), http.StatusGone)
		return
	}
	replies, err := h.svc.Replies(r.Context(), iri)
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	counts, err := h.svc.Counts(r.Context(), iri)
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	rv := make([]replyView, len(replies))
	for i, rep := range replies {
		// Stored sanitised (federation.ASToReply), and sanitised again here:
		// replies stored under an older, looser policy follow the current one.
		body := h.san.HTML(rep.Content)
		if rep.Local {
			body = federation.TextToHTML(rep.Text) // written here: escaped text
		}
		rv[i] = replyView{rep, template.HTML(body), h.handleOf(rep.Actor)}
	}
	org, _ := h.svc.Org(r.Context(), chi.URLParam(r, "org"))
	v := objectView{Object: o, Org: h.kit.OrgView(org), Replies: rv, Counts: counts, Status: o.Status}
	if o.Kind == model.KindCall {
		v.Status = string(o.CallStatus(h.now()))
	}
	v.Title, v.Summary, v.Text, v.Lang = o.Title, o.Summary, o.Text, o.Lang
	available := []string{o.Lang}
	for l := range o.Translations {
		available = append(available, l)
	}
	if best := i18n.Best(lang, available); best != o.Lang {
		tr := o.Translations[best]
		v.Title, v.Summary, v.Text, v.Lang = orText(tr.Title, o.Title), orText(tr.Summary, o.Summary), orText(tr.Text, o.Text), best
	}
	v.Body = template.HTML(h.san.Markdown(v.Text)) // Markdown rendered through the sanitising policy
	if v.AnswerForms = h.answerForms(r, o); len(v.AnswerForms) > 0 {
		w.Header().Set("Cache-Control", "private, no-store") // the forms name the account's organisations
	}
	v.Image = localImage(o.Image, false, "")
	ogImage, ogAlt := h.ogImage(v.Image)
	h.kit.Render(w, r, http.StatusOK, "object", webkit.Page{Title: v.Title, Description: v.Summary, OG: o.ID, AltJSON: o.ID,
		Image: ogImage, ImageAlt: ogAlt, Data: v})
}

// objectView is a project or call page: the object, its text in the
// reader's best language, and what it received.
type objectView struct {
	Object                     model.Object
	Org                        wire.Org
	Title, Summary, Text, Lang string
	Body                       template.HTML
	Status                     string
	Replies                    []replyView
	Counts                     model.Counts
	AnswerForms                []answerForm // for the signed-in account's organisations (answers.go)
	Image                      *imageView   // images.go
}

func orText(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// showSector is where a sector hashtag links to: the directory filtered on
// that sector (one listing, with the directory's hiding of blocked content).
func (h *Handler) showSector(w http.ResponseWriter, r *http.Request) {
	slug := chi.URLParam(r, "sector")
	if !model.IsSector(slug) {
		http.NotFound(w, r)
		return
	}
	http.Redirect(w, r, "/directory?sector="+slug, http.StatusFound)
}

// handleOf is name@host for an actor this instance knows, else its IRI.
func (h *Handler) handleOf(actor string) string {
	if name, ok := h.uris.LocalActorName(actor); ok {
		return strings.TrimPrefix(name, model.PersonPrefix) + "@" + h.uris.Host()
	}
	if a, err := h.svc.Actor(context.Background(), actor); err == nil {
		return a.Handle()
	}
	return actor
}

// callStatuses are the statuses of objs as shown at now, by ID
// (model.Object.CallStatus).
func callStatuses(objs []model.Object, now time.Time) map[string]model.CallStatus {
	m := make(map[string]model.CallStatus, len(objs))
	for _, o := range objs {
		m[o.ID] = o.CallStatus(now)
	}
	return m
}
