package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/web/webkit"
	template "codeberg.org/maillage/maillage/internal/web/webkit/tmpl/htmltemplate"
)

// directoryView is what the directory page shows.
type directoryView struct {
	Query    directory.Query
	Filters  filters
	Result   directory.Result
	Pages    []pageLink
	Map      mapView
	Sectors  []sectorOption
	Roles    []string
	Exports  template.URL // "?" and the encoded filters, for the export links
	Now      time.Time
	LastPage int
	// Verified marks the organisations of the page whose website this
	// instance verified (directory_verified.go).
	Verified map[string]bool
	Thumbs   map[string]*imageView // by entry ID (images.go)
	Member   *memberCtx            // the signed-in account's actions (member_ctx.go), nil for a visitor
	Tiles    *tileView             // the slippy map, nil unless configured (directory_tiles.go)
	// FilterErrors are Filters.Errors by field
	// ({{index $d.FilterErrors "near"}}: nil when the field is right).
	FilterErrors map[string]*filterError
	// Form is the first value of each query parameter, as typed
	// ({{index $d.Form "near"}}).
	Form map[string]string
	// Kinds are the selected kinds ({{index $d.Kinds "org"}}).
	Kinds map[string]bool
	// First is the rank of the page's first entry.
	First int
	// Actions are the actions of each entry's card, by entry ID.
	Actions map[string]entryActions
}

type pageLink struct {
	N       int
	URL     string
	Current bool
}

type sectorOption struct {
	Slug, Label string
	Checked     bool
}

func (h *Handler) showDirectory(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	f := h.readFilters(v)
	q := f.Query
	now := h.now()
	res := h.dir.Query(q, now)
	lang := h.tr.Pick(r)
	f.translate(h.tr, lang)
	view := directoryView{Query: q, Filters: f, FilterErrors: f.byField(), Form: map[string]string{}, Kinds: map[string]bool{},
		Result: res, Roles: model.PartnerRoles, Now: now,
		First:   (res.Page-1)*res.PerPage + 1,
		Exports: template.URL("?" + exportQuery(v))} // built by url.Values.Encode: already escaped
	for k := range v {
		view.Form[k] = v.Get(k)
	}
	for _, k := range q.Kinds {
		view.Kinds[string(k)] = true
	}
	view.Thumbs = h.thumbs(res.Entries)
	for _, s := range model.Sectors {
		label := s.EN
		if lang == "fr" {
			label = s.FR
		}
		checked := false
		for _, c := range q.Sectors {
			checked = checked || c == s.Slug
		}
		view.Sectors = append(view.Sectors, sectorOption{s.Slug, label, checked})
	}
	view.LastPage = (res.Total + res.PerPage - 1) / max(res.PerPage, 1)
	for n := max(1, res.Page-3); n <= min(view.LastPage, res.Page+3); n++ {
		view.Pages = append(view.Pages, pageLink{N: n, URL: "/directory?" + withPage(v, n), Current: n == res.Page})
	}
	m, err := h.newMap(&f, v, res.Total, lang, now)
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	view.Map = m
	view.Tiles = h.slippy(w, &f, v)
	if view.Verified, err = h.verifiedEntries(r, res.Entries); err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	if view.Member = h.memberOf(r); view.Member != nil {
		w.Header().Set("Cache-Control", "private, no-store") // the page shows the account's follows
	}
	view.Actions = make(map[string]entryActions, len(res.Entries))
	for _, e := range res.Entries {
		view.Actions[e.ID] = actionsOf(e, view.Member)
	}
	h.kit.Render(w, r, http.StatusOK, "directory", webkit.Page{Title: h.tr.T(lang, "directory.title"),
		Description: h.tr.T(lang, "directory.description"), Data: view})
}

// withPage is the query string v with page set to n.
func withPage(v url.Values, n int) string {
	c := url.Values{}
	for k, vs := range v {
		c[k] = vs
	}
	c.Set("page", strconv.Itoa(n))
	return c.Encode()
}

// exportQuery is v without paging, for exports that take every match.
func exportQuery(v url.Values) string {
	c := url.Values{}
	for k, vs := range v {
		if k != "page" && k != "per_page" {
			c[k] = vs
		}
	}
	return c.Encode()
}

func (h *Handler) directoryJSON(w http.ResponseWriter, r *http.Request) {
	res := h.dir.Query(h.parseQuery(r.URL.Query()), h.now())
	verified, err := h.verifiedEntries(r, res.Entries)
	if err != nil {
		h.log.Error("directory json: verified websites", "err", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		return
	}
	for i := range res.Entries {
		res.Entries[i].Verified = verified[res.Entries[i].ID]
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, http.StatusOK, res)
}

// writeJSON answers v as JSON (the directory's public document).
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
