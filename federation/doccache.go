package federation

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"
)

// maxCachedDocs bounds the documents a Documents cache holds (a few KB
// each): past it, one is dropped for each added.
const maxCachedDocs = 1024

// Documents caches the rendered ActivityStreams documents of local actors
// and objects, so that one is rendered once per change rather than once per
// GET: remote servers fetch an actor on every signature they have not
// cached, and an object on every boost or reply they are shown. It is
// told of changes by the service's OnCommit (Changed); an entry is filled
// only if no change was told while it was being read and rendered, so a
// document rendered from a record being replaced is never kept.
type Documents struct {
	mu   sync.Mutex
	gen  uint64              // bumped by every Changed
	docs map[string]document // by IRI
}

// document is a rendered document and its entity tag.
type document struct {
	body    []byte
	etag    string
	replies [sha256.Size]byte // an object's: digest of the visible replies it lists (repliesDigest)
}

// NewDocuments returns an empty cache.
func NewDocuments() *Documents { return &Documents{docs: map[string]document{}} }

// Changed forgets the documents of ids, as service.Deps.OnCommit: the IRIs
// of the actors and objects a commit changed.
func (d *Documents) Changed(ids ...string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.gen++
	for _, id := range ids {
		delete(d.docs, id)
	}
}

// get returns the document cached for id, or the generation to give put.
func (d *Documents) get(id string) (document, uint64, bool) {
	if d == nil {
		return document{}, 0, false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	doc, ok := d.docs[id]
	return doc, d.gen, ok
}

// put keeps doc for id unless a change was told since get gave gen.
func (d *Documents) put(id string, doc document, gen uint64) {
	if d == nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.gen != gen {
		return
	}
	if len(d.docs) >= maxCachedDocs {
		for k := range d.docs {
			delete(d.docs, k)
			break
		}
	}
	d.docs[id] = doc
}

// newDocument renders body with its entity tag: a digest of the bytes, so
// that the tag changes exactly when the document does, across restarts too.
func newDocument(body []byte) document {
	sum := sha256.Sum256(body)
	return document{body: body, etag: `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`}
}

// write answers a GET with doc, or 304 Not Modified when the request's
// If-None-Match names it (RFC 9110, 13.1.2: weak comparison).
func (doc document) write(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Vary", "Accept")
	h.Set("ETag", doc.etag)
	h.Set("Access-Control-Allow-Origin", "*")
	if noneMatch(r.Header.Get("If-None-Match"), doc.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", ContentTypeAS)
	_, _ = w.Write(doc.body)
}

// noneMatch reports whether an If-None-Match list holds etag or is "*".
func noneMatch(list, etag string) bool {
	for list != "" {
		var tag string
		tag, list, _ = strings.Cut(list, ",")
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == etag || tag == "*" {
			return true
		}
	}
	return false
}

// repliesDigest stands for a list of reply ids in a cached document: the
// list itself can be long (anyone may reply), the digest is 32 bytes.
func repliesDigest(ids []string) [sha256.Size]byte {
	h := sha256.New()
	for _, id := range ids {
		h.Write([]byte(id))
		h.Write([]byte{'\n'})
	}
	var d [sha256.Size]byte
	h.Sum(d[:0])
	return d
}
