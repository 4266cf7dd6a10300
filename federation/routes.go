package federation

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/model"
)

// Pages are the HTML halves of the ids federation serves: a browser asking
// for an actor or an object id gets its page (Negotiate). Package web's
// Handler implements it.
type Pages interface {
	// ShowActor is the page of a local actor: the instance actor, an
	// organisation or a member's Person.
	ShowActor(w http.ResponseWriter, r *http.Request, name string)
	// ShowObject is the page of a project or call; the path has {org},
	// {kinds} (projects or calls) and {id}.
	ShowObject(w http.ResponseWriter, r *http.Request)
}

// Routes mounts what other servers request on r: WebFinger, host-meta,
// NodeInfo, the inboxes, and the ActivityStreams documents of actors,
// objects, notes, activities and collections. An actor's or object's id
// answers pages through Negotiate. r's middleware must let inbox POSTs
// through any cross-origin check (uris.IsInboxPath).
func (f *Federation) Routes(r chi.Router, pages Pages) {
	r.Get("/.well-known/webfinger", f.WebFinger)
	r.Get("/.well-known/host-meta", f.HostMeta)
	r.Get("/.well-known/nodeinfo", f.NodeInfoIndex)
	r.Get("/nodeinfo/{version}", f.NodeInfo)
	r.Post("/inbox", f.Inbox)
	r.Get("/activities/{id}", func(w http.ResponseWriter, r *http.Request) {
		f.ServeActivity(w, r, f.uris.Activity(chi.URLParam(r, "id")))
	})
	r.Route("/actor", func(r chi.Router) {
		f.actorRoutes(pages, func(*http.Request) string { return model.InstanceName })(r)
		r.Get("/organisations", f.ServeOrganisations)
	})
	// An account's Person actor, never reachable as /orgs/~name.
	r.Route("/members/{member}", f.actorRoutes(pages, func(r *http.Request) string {
		return model.PersonName(strings.ReplaceAll(chi.URLParam(r, "member"), model.PersonPrefix, ""))
	}))
	r.Route("/orgs/{org}", func(r chi.Router) {
		f.actorRoutes(pages, func(r *http.Request) string {
			return strings.ReplaceAll(chi.URLParam(r, "org"), model.PersonPrefix, "")
		})(r)
		r.Get("/{kinds:projects|calls}/{id}", Negotiate(
			func(w http.ResponseWriter, r *http.Request) { f.ServeObject(w, r, f.objectIRI(r)) },
			pages.ShowObject))
		r.Get("/notes/{id}", func(w http.ResponseWriter, r *http.Request) {
			f.ServeNote(w, r, f.uris.Note(chi.URLParam(r, "org"), chi.URLParam(r, "id")))
		})
		r.Get("/{kinds:projects|calls}/{id}/replies", func(w http.ResponseWriter, r *http.Request) {
			f.ServeReplies(w, r, f.objectIRI(r))
		})
	})
}

// actorRoutes are the sub-routes the instance actor, the organisations and
// the members share; name reads the actor's local name from the path.
func (f *Federation) actorRoutes(pages Pages, name func(*http.Request) string) func(chi.Router) {
	return func(r chi.Router) {
		r.Get("/", Negotiate(
			func(w http.ResponseWriter, r *http.Request) { f.ServeActor(w, r, name(r)) },
			func(w http.ResponseWriter, r *http.Request) { pages.ShowActor(w, r, name(r)) }))
		r.Post("/inbox", f.Inbox)
		r.Get("/outbox", func(w http.ResponseWriter, r *http.Request) { f.ServeOutbox(w, r, name(r)) })
		r.Get("/followers", func(w http.ResponseWriter, r *http.Request) { f.ServeFollows(w, r, name(r), false) })
		r.Get("/following", func(w http.ResponseWriter, r *http.Request) { f.ServeFollows(w, r, name(r), true) })
		r.Get("/featured", func(w http.ResponseWriter, r *http.Request) { f.ServeFeatured(w, r, name(r)) })
	}
}

// objectIRI is the id of the project or call named by the path.
func (f *Federation) objectIRI(r *http.Request) string {
	return f.uris.ObjectOfPath(chi.URLParam(r, "org"), chi.URLParam(r, "kinds"), chi.URLParam(r, "id"))
}
