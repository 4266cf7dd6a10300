package federation_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/testenv"
)

// pagesSpy records which HTML half federation asked for.
type pagesSpy struct{ actor, object string }

func (p *pagesSpy) ShowActor(w http.ResponseWriter, r *http.Request, name string) {
	p.actor = name
	_, _ = w.Write([]byte("actor page"))
}

func (p *pagesSpy) ShowObject(w http.ResponseWriter, r *http.Request) {
	p.object = r.URL.Path
	_, _ = w.Write([]byte("object page"))
}

// TestRoutesNegotiate checks that federation's own routes, mounted without
// package web, answer ActivityStreams to servers and hand browsers to the
// pages, on the same ids.
func TestRoutesNegotiate(t *testing.T) {
	t.Parallel()
	in := testenv.NewHandler(t, "127.0.0.240", testenv.Options{})
	r := chi.NewRouter()
	pages := &pagesSpy{}
	in.Server.Fed.Routes(r, pages)
	get := func(path, accept string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Accept", accept)
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		return rec
	}

	rec := get("/orgs/coop", "application/activity+json")
	var actor struct{ ID, Type string }
	if err := json.Unmarshal(rec.Body.Bytes(), &actor); rec.Code != http.StatusOK || err != nil || actor.ID != in.Actor("coop") {
		t.Errorf("AS GET /orgs/coop: %d %q, want the actor document of %s", rec.Code, rec.Body, in.Actor("coop"))
	}
	if rec := get("/orgs/coop", "text/html"); rec.Body.String() != "actor page" || pages.actor != "coop" {
		t.Errorf("HTML GET /orgs/coop: %q, page of %q; want the actor page of coop", rec.Body, pages.actor)
	}
	if rec := get("/members/alice", "text/html,*/*"); rec.Body.String() != "actor page" || pages.actor != "~alice" {
		t.Errorf("HTML GET /members/alice: %q, page of %q; want the actor page of ~alice", rec.Body, pages.actor)
	}
	if rec := get("/orgs/coop/calls/x", "text/html"); rec.Body.String() != "object page" || pages.object != "/orgs/coop/calls/x" {
		t.Errorf("HTML GET of a call: %q, page %q; want the object page", rec.Body, pages.object)
	}
	if rec := get("/orgs/coop/calls/x", `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`); rec.Code != http.StatusNotFound {
		t.Errorf("AS GET of an unknown call: status %d, want 404", rec.Code)
	}
	if rec := get("/orgs/coop", "application/activity+json"); !strings.Contains(rec.Header().Get("Vary"), "Accept") {
		t.Errorf("negotiated answer without Vary: Accept: %v", rec.Header())
	}
	if rec := get("/.well-known/webfinger?resource=acct:coop@"+in.Host, "application/jrd+json"); rec.Code != http.StatusOK ||
		!strings.Contains(rec.Body.String(), in.Actor("coop")) {
		t.Errorf("WebFinger: %d %q, want coop's links", rec.Code, rec.Body)
	}
}
