package federation_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
)

// TestActorDocumentCached checks that an actor document carries an ETag,
// that a GET naming it is answered 304 without a body, and that the
// document rendered once is replaced when the actor changes (profile
// edited) or goes (account deleted), not served stale.
func TestActorDocumentCached(t *testing.T) {
	t.Parallel()
	in := testenv.NewHandler(t, "127.0.0.241", testenv.Options{})
	h := in.Server.Handler()
	get := func(path, ifNoneMatch string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, in.Base+path, nil)
		r.Header.Set("Accept", "application/activity+json")
		if ifNoneMatch != "" {
			r.Header.Set("If-None-Match", ifNoneMatch)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	first := get("/orgs/coop", "")
	etag := first.Header().Get("ETag")
	if first.Code != http.StatusOK || etag == "" || !strings.Contains(first.Body.String(), in.Actor("coop")) {
		t.Fatalf("GET actor: %d, ETag %q, body %.80q", first.Code, etag, first.Body)
	}
	if again := get("/orgs/coop", ""); again.Body.String() != first.Body.String() || again.Header().Get("ETag") != etag {
		t.Errorf("second GET differs: ETag %q, want %q", again.Header().Get("ETag"), etag)
	}
	for _, inm := range []string{etag, `"other", W/` + etag, "*"} {
		w := get("/orgs/coop", inm)
		if w.Code != http.StatusNotModified || w.Body.Len() != 0 || w.Header().Get("ETag") != etag {
			t.Errorf("If-None-Match %s: %d, %d bytes, ETag %q; want 304, none, %q", inm, w.Code, w.Body.Len(), w.Header().Get("ETag"), etag)
		}
	}
	if w := get("/orgs/coop", `"other"`); w.Code != http.StatusOK {
		t.Errorf("If-None-Match of another tag: %d, want 200", w.Code)
	}

	ctx := context.Background()
	admin := service.System("test")
	_, err := in.Server.Service.UpdateProfile(ctx, admin, "coop", service.ProfileInput{
		Profile: model.Profile{DisplayName: "Coopérative renommée"}})
	if err != nil {
		t.Fatal(err)
	}
	edited := get("/orgs/coop", etag)
	if edited.Code != http.StatusOK || !strings.Contains(edited.Body.String(), "Coopérative renommée") ||
		edited.Header().Get("ETag") == etag {
		t.Errorf("after the profile edit: %d, ETag %q (was %q), renamed %v; want the new document",
			edited.Code, edited.Header().Get("ETag"), etag, strings.Contains(edited.Body.String(), "Coopérative renommée"))
	}

	if _, err := in.Server.Service.CreateAccount(ctx, admin, "alice", "a long enough password", service.RoleMember, nil); err != nil {
		t.Fatal(err)
	}
	if w := get("/members/alice", ""); w.Code != http.StatusOK {
		t.Fatalf("GET member actor: %d", w.Code)
	}
	if err := in.Server.Service.DeleteAccount(ctx, admin, "alice"); err != nil {
		t.Fatal(err)
	}
	if w := get("/members/alice", ""); w.Code != http.StatusNotFound {
		t.Errorf("GET of a deleted member's actor: %d, want 404", w.Code)
	}
}

// TestObjectDocumentCached checks an object document's ETag and 304, and
// that the document rendered once follows a reply received and the
// object's deletion.
func TestObjectDocumentCached(t *testing.T) {
	e := newInboxEnv(t)
	a := e.remote.addActor(t, "mastodon", "alice", nil, keyInActor)
	obj := e.publish(t, "Projet mis en cache")
	get := func(ifNoneMatch string) (int, string, string) {
		req, _ := http.NewRequest(http.MethodGet, obj, nil)
		req.Header.Set("Accept", "application/activity+json")
		if ifNoneMatch != "" {
			req.Header.Set("If-None-Match", ifNoneMatch)
		}
		res, err := e.local.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var b strings.Builder
		_, _ = io.Copy(&b, res.Body)
		return res.StatusCode, res.Header.Get("ETag"), b.String()
	}
	status, etag, body := get("")
	if status != http.StatusOK || etag == "" || !strings.Contains(body, "Projet mis en cache") {
		t.Fatalf("GET object: %d, ETag %q, body %.80q", status, etag, body)
	}
	if status, _, body := get(etag); status != http.StatusNotModified || body != "" {
		t.Errorf("If-None-Match: %d %q, want 304 and no body", status, body)
	}

	reply := e.fixture(t, a, "create_note_reply.json", map[string]string{"{{LOCAL_OBJECT}}": obj})
	e.mustPost(t, e.sharedInbox, a, reply, http.StatusAccepted)
	noteID := field(t, reply, "object", "id")
	status, etag2, body := get(etag)
	if status != http.StatusOK || etag2 == etag || !strings.Contains(body, noteID) {
		t.Errorf("after a reply: %d, ETag %q (was %q), lists the reply %v; want the new document", status, etag2, etag,
			strings.Contains(body, noteID))
	}

	if err := e.local.Server.Service.Delete(context.Background(), service.System("test"), "coop", obj); err != nil {
		t.Fatal(err)
	}
	if status, _, _ := get(etag2); status != http.StatusGone {
		t.Errorf("after deletion: %d, want 410", status)
	}
}
