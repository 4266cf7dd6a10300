package web

import (
	"net/http"
	"net/url"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
	template "codeberg.org/maillage/maillage/internal/web/webkit/tmpl/htmltemplate"
)

// heldView is this instance's page of a project or call it holds from
// another server: the stored object, its author, and a link to the
// original (issue #12), so that a member reads it, follows its author and
// answers it where they are signed in.
type heldView struct {
	Object    model.Object
	Author    string // the author's name
	AuthorID  string
	Handle    string
	Status    string
	Body      template.HTML // the received content, sanitised again
	Original  string
	Member    *memberCtx
	Follow    *followButton // the author's, for a member (nil for its own)
	CanAnswer bool
	Image     *imageView // the object's image from this instance's cache, once cached
}

// showHeld is /object?id=IRI. A local object has its own page; the others
// are shown as they were received, to whoever may see them.
func (h *Handler) showHeld(w http.ResponseWriter, r *http.Request) {
	iri := r.URL.Query().Get("id")
	m := h.memberOf(r)
	o, err := h.svc.HeldObject(r.Context(), h.heldViewer(w, r, m != nil), iri)
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	if o.Local {
		http.Redirect(w, r, o.ID, http.StatusSeeOther)
		return
	}
	v := heldView{Object: o, AuthorID: o.AttributedTo, Author: o.AttributedTo, Handle: h.handleOf(o.AttributedTo),
		Status: o.Status, Original: o.ID, Member: m, Follow: m.Follow(o.AttributedTo)}
	if a, err := h.svc.Actor(r.Context(), o.AttributedTo); err == nil && a.Name != "" {
		v.Author = a.Name
	}
	if o.URL != "" {
		v.Original = o.URL
	}
	if o.Kind == model.KindCall {
		v.Status = string(o.CallStatus(h.now()))
		v.CanAnswer = o.CallState().IsOpen(h.now()) && m.CanAnswer(o.AttributedTo)
	}
	// Never the other server's URL (images.go); the cache serves its
	// copies to anyone, so only the images of public objects.
	if im := o.Image; im != nil && im.URL != "" && h.images != nil && o.IsPublic() {
		if large, _, ok := h.images.Lookup(im.URL); ok {
			v.Image = &imageView{Src: large, Alt: im.Alt, Width: im.Width, Height: im.Height}
		} else {
			h.images.Want(im.URL)
		}
	}
	// A maillage peer sends its text apart (Markdown) besides the HTML made
	// for fediverse readers, which repeats the title and summary.
	if o.Text != "" {
		v.Body = template.HTML(h.san.Markdown(o.Text)) // rendered through the sanitising policy
	} else {
		v.Body = template.HTML(h.san.HTML(o.Content)) // remote HTML through the sanitising policy
	}
	// The preview image is this instance's cached copy too.
	ogImage, ogAlt := h.ogImage(v.Image)
	h.kit.Render(w, r, http.StatusOK, "held", webkit.Page{Title: o.Title, Description: o.Summary,
		OG: h.uris.Base + "/object?id=" + url.QueryEscape(o.ID), Image: ogImage, ImageAlt: ogAlt, Data: v})
}

// heldViewer is who looks at a held object: the signed-in account, whose
// answer is then private, or an anonymous visitor.
func (h *Handler) heldViewer(w http.ResponseWriter, r *http.Request, member bool) service.Principal {
	if !member {
		return service.Principal{}
	}
	w.Header().Set("Cache-Control", "private, no-store")
	if acc, ok := h.kit.SessionAccount(r); ok {
		return service.AccountPrincipal(acc)
	}
	return service.Principal{}
}
