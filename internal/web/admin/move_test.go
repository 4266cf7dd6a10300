package admin_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

// TestAdminMove drives the move page of A's organisation: aliases (a bad
// one refused beside its field), a move to an actor that does not list it
// refused, then the move to B's organisation once B lists it; the page
// then says where the organisation went, in English and in French.
func TestAdminMove(t *testing.T) {
	a := testenv.Start(t, "127.0.0.44", testenv.Options{})
	b := webtest.AdminOn(t, a)
	peer := testenv.Start(t, "127.0.0.45", testenv.Options{})

	resp, body := b.Get("/admin/orgs/coop/move")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `action="/admin/orgs/coop/move"`) ||
		!strings.Contains(body, `href="/admin/orgs/coop/move"`) {
		t.Fatalf("move page: %d\n%s", resp.StatusCode, body)
	}

	resp, body = b.Post("/admin/orgs/coop/aliases", url.Values{"also_known_as": {"not-an-address"}})
	webtest.WantFieldError(t, resp, body, "also_known_as", "http(s) address")
	old := "https://old.example.org/users/coop"
	resp, body = b.Post("/admin/orgs/coop/aliases", url.Values{"also_known_as": {old + "\r\n"}})
	webtest.WantRedirect(t, resp, body, "/admin/orgs/coop/move")
	if got := webtest.Org(t, a, "coop").AlsoKnownAs; !slices.Equal(got, []string{old}) {
		t.Fatalf("aliases = %v, want [%s]", got, old)
	}
	if _, body = b.Get("/admin/orgs/coop/move"); !strings.Contains(body, ">"+old+"</textarea>") {
		t.Errorf("the aliases are not shown in the form")
	}

	resp, body = b.Post("/admin/orgs/coop/move", url.Values{"target": {peer.Handle("coop")}})
	webtest.WantFieldError(t, resp, body, "target", "does not list this organisation")
	if webtest.Org(t, a, "coop").MovedTo != "" {
		t.Fatal("a refused move was recorded")
	}

	if s := peer.API("PUT", "/api/v1/orgs/coop/aliases", map[string]any{"also_known_as": []string{a.Actor("coop")}}, nil); s != http.StatusOK {
		t.Fatalf("B's aliases: %d", s)
	}
	resp, body = b.Post("/admin/orgs/coop/move", url.Values{"target": {peer.Handle("coop")}})
	webtest.WantRedirect(t, resp, body, "/admin/orgs/coop/move")
	if got := webtest.Org(t, a, "coop").MovedTo; got != peer.Actor("coop") {
		t.Fatalf("moved to %q, want %s", got, peer.Actor("coop"))
	}
	if _, body = b.Get("/admin/orgs/coop/move"); !strings.Contains(body, "has moved to") || !strings.Contains(body, "@"+peer.Handle("coop")) {
		t.Errorf("the page does not say where the organisation went:\n%s", body)
	}
	b.Header.Set("Accept-Language", "fr")
	if _, body = b.Get("/admin/orgs/coop/move"); !strings.Contains(body, "a déménagé vers") {
		t.Errorf("the French page does not say where the organisation went")
	}
}
