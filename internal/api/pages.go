package api

import (
	"net/http"
	"strconv"

	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/wire"
)

// pageRequest reads a listing's ?after= (the cursor of the previous page's
// next link) and ?limit= (at most service.MaxPageSize; more is cut).
func pageRequest(w http.ResponseWriter, r *http.Request) (service.PageRequest, bool) {
	q := r.URL.Query()
	req := service.PageRequest{After: q.Get("after")}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			writeAPI(w, http.StatusBadRequest, apiError{Error: "limit must be a positive number"})
			return req, false
		}
		req.Limit = min(n, service.MaxPageSize)
	}
	return req, true
}

// writePage answers one page of a listing: its entries as a JSON array
// (so a listing that fits in one page reads as before) and, when more
// follow, a Link header to the next page (RFC 8288, rel="next", as
// GitHub's and Mastodon's APIs paginate): the same URL with ?after= set.
func writePage[T any](w http.ResponseWriter, r *http.Request, p service.Page[T]) {
	if p.Next != "" {
		setNextLink(w, r, p.Next)
	}
	items := p.Items
	if items == nil {
		items = []T{}
	}
	writeAPI(w, http.StatusOK, items)
}

// setNextLink links the next page: r's URL with ?after=next.
func setNextLink(w http.ResponseWriter, r *http.Request, next string) {
	u := *r.URL
	q := u.Query()
	q.Set("after", next)
	u.RawQuery = q.Encode()
	w.Header().Set("Link", wire.NextLink(u.RequestURI()))
}
