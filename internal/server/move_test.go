package server_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/wire"
)

func follows(in *testenv.Instance, local, target string) bool {
	return slices.ContainsFunc(following(in, local), func(f model.Following) bool { return f.Target == target })
}

func actorDoc(t *testing.T, in *testenv.Instance, iri string) map[string]any {
	t.Helper()
	status, body := in.Get(iri, "application/activity+json")
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d", iri, status)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestMoveAcrossInstances: A's organisation, followed by B's and by
// another organisation of A, moves to C's organisation, which lists it in
// its aliases. B and A's other organisation end up following C's
// organisation (accepted), not A's; what C publishes then reaches B; A's
// organisation renders movedTo, its page points to C's, and it publishes
// nothing more. A move to an actor that does not list it is refused.
func TestMoveAcrossInstances(t *testing.T) {
	ca := testenv.NewCA(t)
	a := testenv.Start(t, "127.0.0.41", testenv.Options{CA: ca})
	b := testenv.Start(t, "127.0.0.42", testenv.Options{CA: ca})
	c := testenv.Start(t, "127.0.0.43", testenv.Options{CA: ca})
	oldIRI, newIRI := a.Actor("coop"), c.Actor("coop")
	if s := a.API("POST", "/api/v1/orgs", map[string]any{"name": "second", "display_name": "Second coop"}, nil); s != http.StatusCreated {
		t.Fatalf("create second: %d", s)
	}
	follow(t, b, "coop", a.Handle("coop"))
	follow(t, a, "second", a.Handle("coop"))
	waitAccepted(t, b, "coop", oldIRI)
	waitAccepted(t, a, "second", oldIRI)

	// C does not list A's organisation yet: refused, nothing changes.
	var view wire.Org
	if s := a.API("POST", "/api/v1/orgs/coop/move", map[string]string{"target": c.Handle("coop")}, nil); s != http.StatusUnprocessableEntity {
		t.Fatalf("move to an actor without the alias: %d, want 422", s)
	}
	if m := actorDoc(t, a, oldIRI); m["movedTo"] != nil {
		t.Fatalf("refused move: movedTo = %v", m["movedTo"])
	}

	if s := c.API("PUT", "/api/v1/orgs/coop/aliases", map[string]any{"also_known_as": []string{oldIRI}}, &view); s != http.StatusOK {
		t.Fatalf("aliases: %d", s)
	}
	if !slices.Equal(view.AlsoKnownAs, []string{oldIRI}) {
		t.Fatalf("aliases = %v", view.AlsoKnownAs)
	}
	if aka, _ := actorDoc(t, c, newIRI)["alsoKnownAs"].([]any); len(aka) != 1 || aka[0] != oldIRI {
		t.Fatalf("C's actor alsoKnownAs = %v, want [%s]", aka, oldIRI)
	}

	if s := a.API("POST", "/api/v1/orgs/coop/move", map[string]string{"target": c.Handle("coop")}, &view); s != http.StatusOK {
		t.Fatalf("move: %d", s)
	}
	if view.MovedTo != newIRI {
		t.Fatalf("moved to %q, want %s", view.MovedTo, newIRI)
	}
	if m := actorDoc(t, a, oldIRI); m["movedTo"] != newIRI {
		t.Fatalf("A's actor movedTo = %v, want %s", m["movedTo"], newIRI)
	}

	waitAccepted(t, b, "coop", newIRI)
	waitAccepted(t, a, "second", newIRI)
	testenv.WaitFor(t, wait, "the follows of A's organisation to be withdrawn", func() bool {
		return !follows(b, "coop", oldIRI) && !follows(a, "second", oldIRI) && len(followers(a, "coop")) == 0
	})
	fs := followers(c, "coop")
	if len(fs) != 2 {
		t.Fatalf("C's followers = %+v, want B's coop and A's second", fs)
	}

	// A's organisation publishes nothing more; C's content reaches B.
	if s := a.API("POST", "/api/v1/orgs/coop/objects", projectInput(), nil); s != http.StatusUnprocessableEntity {
		t.Errorf("publish after the move: %d, want 422", s)
	}
	call := publish(t, c, "coop", callInput())
	waitObject(t, b, newIRI, call.ID, func(model.Object) bool { return true })

	// A's page says where the organisation went.
	status, page := a.Get(oldIRI, "text/html")
	if status != http.StatusOK || !strings.Contains(string(page), `href="`+newIRI+`"`) {
		t.Errorf("A's page (%d) does not link to %s", status, newIRI)
	}
}
