package web

import (
	"bytes"
	"io"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/feeds"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// maxExport bounds how many entries one export or feed holds.
const maxExport = 10000

// exportRoutes serves the directory's feeds and exports; each honours the
// directory page's filters.
func (h *Handler) exportRoutes(r chi.Router) {
	r.Get("/directory.csv", h.export(feeds.ContentTypeCSV, "directory.csv", func(w io.Writer, r *http.Request, es []directory.Entry) error {
		if r.URL.Query().Get("bom") == "1" {
			// A UTF-8 byte order mark, which spreadsheet software needs to
			// read the file as UTF-8 rather than a legacy code page.
			if _, err := io.WriteString(w, "\uFEFF"); err != nil {
				return err
			}
		}
		return feeds.CSV(w, es, h.words(r))
	}))
	r.Get("/directory.geojson", h.export(feeds.ContentTypeGeoJSON, "", func(w io.Writer, _ *http.Request, es []directory.Entry) error {
		return feeds.GeoJSON(w, es)
	}))
	r.Get("/directory/calls.atom", h.callsFeed)
	r.Get("/directory/deadlines.ics", h.export(feeds.ContentTypeICal, "deadlines.ics", func(w io.Writer, r *http.Request, es []directory.Entry) error {
		return feeds.ICal(w, "maillage "+h.uris.Host(), es, h.words(r))
	}))
	r.Get("/orgs/{org}/feed.atom", h.orgFeed)
}

// all returns every entry matching q, in q's order, up to maxExport.
func (h *Handler) all(q directory.Query) []directory.Entry {
	var out []directory.Entry
	q.PerPage = 100
	for q.Page = 1; len(out) < maxExport; q.Page++ {
		res := h.dir.Query(q, h.now())
		out = append(out, res.Entries...)
		if len(res.Entries) < q.PerPage || len(out) >= res.Total {
			break
		}
	}
	return out
}

// words are the texts of an export in the reader's language.
func (h *Handler) words(r *http.Request) feeds.Text {
	lang := h.tr.Pick(r)
	return func(key string, args ...any) string { return h.tr.T(lang, key, args...) }
}

// export writes the entries matching the request's filters with write.
func (h *Handler) export(contentType, filename string, write func(io.Writer, *http.Request, []directory.Entry) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := h.parseQuery(r.URL.Query())
		if contentType == feeds.ContentTypeICal {
			q.Kinds, q.OpenOnly = []directory.Kind{directory.KindCall}, true
		}
		h.writeFeed(w, contentType, filename, func(buf io.Writer) error { return write(buf, r, h.all(q)) })
	}
}

// callsFeed is the Atom feed of the directory's open calls.
func (h *Handler) callsFeed(w http.ResponseWriter, r *http.Request) {
	q := h.parseQuery(r.URL.Query())
	q.Kinds, q.OpenOnly, q.Sort = []directory.Kind{directory.KindCall}, true, directory.SortRecent
	entries := h.all(q)
	lang := h.tr.Pick(r)
	f := feeds.Feed{ID: h.uris.OpenCallsFeed(), Title: h.tr.T(lang, "feed.calls", h.uris.Host()),
		Link: h.uris.OpenCallsPage(), SelfLink: h.uris.Base + r.URL.RequestURI(), Updated: newest(entries), Lang: lang}
	h.writeFeed(w, feeds.ContentTypeAtom, "", func(buf io.Writer) error { return feeds.Atom(buf, f, entries) })
}

// orgFeed is the Atom feed of one organisation's projects and calls.
func (h *Handler) orgFeed(w http.ResponseWriter, r *http.Request) {
	name := chi.URLParam(r, "org")
	org, err := h.svc.Org(r.Context(), name)
	if err == nil && org.Instance {
		err = service.ErrNotFound // the instance actor publishes no projects or calls
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	objs, err := h.svc.ObjectsBy(r.Context(), h.uris.Actor(name))
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	var entries []directory.Entry
	for _, o := range objs {
		if e, ok := directory.ObjectEntry(o, org.DisplayName, h.uris.Host()); ok {
			entries = append(entries, e)
		}
	}
	actor := h.uris.Actor(name)
	f := feeds.Feed{ID: actor + "/feed.atom", Title: org.DisplayName, Link: actor, SelfLink: actor + "/feed.atom",
		Updated: newest(entries), Lang: h.tr.Pick(r)}
	h.writeFeed(w, feeds.ContentTypeAtom, "", func(buf io.Writer) error { return feeds.Atom(buf, f, entries) })
}

// writeFeed renders into a buffer first, so a failure is a clean 500.
func (h *Handler) writeFeed(w http.ResponseWriter, contentType, filename string, write func(io.Writer) error) {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		h.log.Error("export failed", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType)
	if filename != "" {
		w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	}
	_, _ = w.Write(buf.Bytes())
}

func newest(es []directory.Entry) time.Time {
	var t time.Time
	for _, e := range es {
		if e.Published.After(t) {
			t = e.Published
		}
	}
	if t.IsZero() {
		t = time.Unix(0, 0).UTC()
	}
	return t
}
