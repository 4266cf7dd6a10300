package web

import (
	"net/http"
	"path"
	"strings"

	"codeberg.org/maillage/maillage/federation"
)

// ErrorPages renders the error answers of the pages, the member area and
// the administration as pages of the site (webkit.ErrorPages). It must
// wrap the panic recovery, so that a fault becomes the styled 500 too.
func (h *Handler) ErrorPages() func(http.Handler) http.Handler {
	return h.kit.ErrorPages(h.isForPrograms)
}

// programPrefixes are the paths that programs read: the JSON API and the
// operations endpoints, discovery, the static files and the images.
var programPrefixes = []string{"/api/", "/.well-known/", "/nodeinfo/", "/healthz", "/readyz", "/metrics", "/static/", "/media/", "/activities/"}

// collectionNames end the paths of an actor's collections (federation's
// actorRoutes), which only servers read.
var collectionNames = map[string]bool{"outbox": true, "followers": true, "following": true, "featured": true, "replies": true, "organisations": true}

// exportExtensions are the directory's exports and feeds.
var exportExtensions = map[string]bool{".json": true, ".csv": true, ".geojson": true, ".ics": true, ".atom": true}

// isForPrograms reports whether r keeps its short plain-text error: a
// request of the API, of ActivityPub (an inbox, or a document asked for as
// ActivityStreams) or of an export.
func (h *Handler) isForPrograms(r *http.Request) bool {
	p := r.URL.Path
	for _, pre := range programPrefixes {
		if strings.HasPrefix(p, pre) {
			return true
		}
	}
	if strings.HasPrefix(p, "/orgs/") || strings.HasPrefix(p, "/members/") || strings.HasPrefix(p, "/actor/") {
		if collectionNames[path.Base(p)] {
			return true
		}
	}
	return h.uris.IsInboxPath(p) || federation.WantsAS(r) || exportExtensions[path.Ext(p)]
}
