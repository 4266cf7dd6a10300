package federation

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/internal/httperr"
)

// The Serve* handlers answer GETs of our IRIs with ActivityStreams JSON.
// They need no signature: actors and keys must stay fetchable unsigned, or
// two servers that both demand signed fetches wait on each other forever.

func writeAS(w http.ResponseWriter, status int, m map[string]any) {
	m["@context"] = ldContext
	w.Header().Set("Vary", "Accept")
	writeJSON(w, status, ContentTypeAS, m)
}

// ServeActor serves a local actor document, rendered once per change
// (Documents) and answered 304 to a GET naming its ETag.
func (f *Federation) ServeActor(w http.ResponseWriter, r *http.Request, name string) {
	id := f.uris.Actor(name)
	doc, gen, ok := f.docs.get(id)
	if !ok {
		o, err := f.svc.Org(r.Context(), name)
		if err == nil && o.PublicKeyPEM == "" {
			// An imported organisation gets its key when first served
			// (httpsign.LocalKeys.Ensure) unless made in the background
			// already; the wait ends when the client leaves, and too many
			// waiting are told to come back.
			o.PublicKeyPEM, err = f.fetch.local.EnsureContext(r.Context(), name)
			if errors.Is(err, httpsign.ErrKeyBusy) {
				w.Header().Set("Retry-After", "5")
			}
		}
		if err != nil {
			httperr.Write(w, err)
			return
		}
		m, err := f.render.ActorMap(o)
		var body []byte
		if err == nil {
			m["@context"] = ldContext
			body, err = json.Marshal(m)
		}
		if err != nil {
			f.log.Error("render actor", "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		doc = newDocument(body)
		f.docs.put(id, doc, gen)
	}
	doc.write(w, r)
}

// ServeObject serves a local project or call, or 410 Gone with a Tombstone.
// The document is rendered once per change of the object (Documents) and
// of its visible replies, which are read on every GET: which replies are
// visible also depends on blocks and moderation, told to no one.
func (f *Federation) ServeObject(w http.ResponseWriter, r *http.Request, iri string) {
	cached, gen, ok := f.docs.get(iri)
	ids := f.replyIDs(iri)
	digest := repliesDigest(ids)
	if ok && cached.replies == digest {
		cached.write(w, r)
		return
	}
	o, err := f.svc.Object(r.Context(), iri)
	if err != nil || !o.Local {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	if o.IsDeleted() {
		writeAS(w, http.StatusGone, tombstone(o.ID, o.Deleted))
		return
	}
	m, err := f.render.ObjectMap(o)
	var body []byte
	if err == nil {
		if len(ids) > 0 {
			first := m["replies"].(map[string]any)["first"].(map[string]any)
			first["orderedItems"] = pageOf(ids, 1)
			if len(ids) > collectionPage {
				first["next"] = f.uris.Replies(iri) + "?page=2"
			}
		}
		m["@context"] = ldContext
		body, err = json.Marshal(m)
	}
	if err != nil {
		f.log.Error("render object", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	doc := newDocument(body)
	doc.replies = digest
	f.docs.put(iri, doc, gen)
	doc.write(w, r)
}

// replyIDs lists the visible replies of a local object.
func (f *Federation) replyIDs(objectIRI string) []string {
	rs, err := f.svc.Replies(context.Background(), objectIRI)
	if err != nil {
		return nil
	}
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	return ids
}

// ServeActivity serves one of our outgoing activities as it was sent.
func (f *Federation) ServeActivity(w http.ResponseWriter, r *http.Request, iri string) {
	body, err := f.svc.Activity(r.Context(), iri)
	if err != nil {
		httperr.Write(w, err)
		return
	}
	w.Header().Set("Content-Type", ContentTypeAS)
	_, _ = w.Write(body)
}

// page reads ?page=N (1-based); 0 means the collection itself.
func page(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 {
		return 0
	}
	return min(n, maxPage) // beyond any collection; keeps offsets from overflowing
}

// maxPage bounds ?page=: a million pages of 50 is more than any collection.
const maxPage = 1_000_000

// collection writes an OrderedCollection (page 0) or one of its pages.
func collection(w http.ResponseWriter, id string, p, total int, items []any) {
	if p == 0 {
		m := map[string]any{"id": id, "type": "OrderedCollection", "totalItems": total}
		if total > 0 {
			m["first"] = id + "?page=1"
		}
		writeAS(w, http.StatusOK, m)
		return
	}
	m := map[string]any{"id": id + "?page=" + strconv.Itoa(p), "type": "OrderedCollectionPage",
		"partOf": id, "totalItems": total, "orderedItems": items}
	if p*collectionPage < total {
		m["next"] = id + "?page=" + strconv.Itoa(p+1)
	}
	if p > 1 {
		m["prev"] = id + "?page=" + strconv.Itoa(p-1)
	}
	writeAS(w, http.StatusOK, m)
}

// ServeOutbox serves a local actor's public activities, newest first.
func (f *Federation) ServeOutbox(w http.ResponseWriter, r *http.Request, name string) {
	p := page(r)
	offset := 0
	if p > 0 {
		offset = (p - 1) * collectionPage
	}
	limit := collectionPage
	if p == 0 {
		limit = 0
	}
	bodies, total, err := f.svc.Outbox(r.Context(), name, offset, limit)
	if err != nil {
		httperr.Write(w, err)
		return
	}
	items := make([]any, 0, len(bodies))
	for _, b := range bodies {
		var m map[string]any
		if json.Unmarshal(b, &m) == nil {
			delete(m, "@context")
			items = append(items, m)
		}
	}
	collection(w, f.uris.Outbox(name), p, total, items)
}

// ServeFollows serves a local actor's followers (following false) or
// following collection, as actor IRIs.
func (f *Federation) ServeFollows(w http.ResponseWriter, r *http.Request, name string, following bool) {
	ids, err := f.svc.FollowIDs(r.Context(), name, following)
	if err != nil {
		httperr.Write(w, err)
		return
	}
	id := f.uris.Followers(name)
	if following {
		id = f.uris.Following(name)
	}
	p := page(r)
	collection(w, id, p, len(ids), pageOf(ids, p))
}

// ServeReplies serves the replies collection of a local object.
func (f *Federation) ServeReplies(w http.ResponseWriter, r *http.Request, objectIRI string) {
	ids, err := f.svc.LocalReplyIDs(r.Context(), objectIRI)
	if err != nil {
		httperr.Write(w, err)
		return
	}
	p := page(r)
	collection(w, f.uris.Replies(objectIRI), p, len(ids), pageOf(ids, p))
}

func pageOf(ids []string, p int) []any {
	if p == 0 {
		return nil
	}
	start := (p - 1) * collectionPage
	out := []any{}
	for i := start; i < len(ids) && i < start+collectionPage; i++ {
		out = append(out, ids[i])
	}
	return out
}

// ServeNote serves a reply written by one of our organisations.
func (f *Federation) ServeNote(w http.ResponseWriter, r *http.Request, iri string) {
	rep, err := f.svc.LocalReply(r.Context(), iri)
	if err != nil {
		httperr.Write(w, err)
		return
	}
	writeAS(w, http.StatusOK, f.render.ReplyMap(rep))
}

// ServeFeatured serves an actor's featured (pinned) collection: empty, as
// maillage pins nothing yet.
func (f *Federation) ServeFeatured(w http.ResponseWriter, r *http.Request, name string) {
	if _, err := f.svc.Org(r.Context(), name); err != nil {
		httperr.Write(w, err)
		return
	}
	writeAS(w, http.StatusOK, map[string]any{"id": f.uris.Actor(name) + "/featured", "type": "OrderedCollection",
		"totalItems": 0, "orderedItems": []any{}})
}
