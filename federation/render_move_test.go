package federation_test

import (
	"encoding/json"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/federation"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/sanitize"
	"codeberg.org/maillage/maillage/internal/uris"
)

// A Move is rendered in Mastodon's shape (move_serializer.rb): actor and
// object the organisation, target the new actor; an actor renders its
// aliases as an array and movedTo as an IRI, both declared in @context
// as Mastodon declares them (context_helper.rb).
func TestRenderMove(t *testing.T) {
	r := &federation.Renderer{URIs: uris.URIs{Base: "https://old.example"}}
	self, target := "https://old.example/orgs/coop", "https://new.example/users/coop"
	body, err := r.RenderActivity(model.Activity{ID: "https://old.example/activities/1", Type: "Move", Actor: "coop",
		ObjectID: self, Target: target, To: []string{self + "/followers"}, Published: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	if m["type"] != "Move" || m["actor"] != self || m["object"] != self || m["target"] != target {
		t.Errorf("Move = %s", body)
	}
	doc, err := r.ActorMap(model.Org{Name: "coop", Profile: model.Profile{DisplayName: "Coop"},
		AlsoKnownAs: []string{"https://older.example/users/coop"}, MovedTo: target})
	if err != nil {
		t.Fatal(err)
	}
	if aka, _ := doc["alsoKnownAs"].([]any); len(aka) != 1 || aka[0] != "https://older.example/users/coop" {
		t.Errorf("alsoKnownAs = %v", doc["alsoKnownAs"])
	}
	if doc["movedTo"] != target {
		t.Errorf("movedTo = %v", doc["movedTo"])
	}
	terms := m["@context"].([]any)[2].(map[string]any)
	for _, term := range []string{"alsoKnownAs", "movedTo"} {
		def, _ := terms[term].(map[string]any)
		if def["@id"] != "as:"+term || def["@type"] != "@id" {
			t.Errorf("@context %s = %v", term, terms[term])
		}
	}
	bare, err := r.ActorMap(model.Org{Name: "coop", Profile: model.Profile{DisplayName: "Coop"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := bare["alsoKnownAs"]; ok {
		t.Error("alsoKnownAs rendered without aliases")
	}
	if _, ok := bare["movedTo"]; ok {
		t.Error("movedTo rendered before any move")
	}
}

// ASToActor reads alsoKnownAs (a string or an array, bounded, http(s)
// actor IRIs only) and movedTo.
func TestASToActorAliases(t *testing.T) {
	base := func() map[string]any {
		return map[string]any{"id": "https://r.example/users/a", "type": "Person", "inbox": "https://r.example/users/a/inbox",
			"publicKey": map[string]any{"id": "https://r.example/users/a#main-key", "owner": "https://r.example/users/a", "publicKeyPem": "PEM"}}
	}
	many := make([]any, 0, 30)
	for i := range 30 {
		many = append(many, "https://o.example/users/"+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	for _, c := range []struct {
		aka     any
		moved   any
		want    int
		movedTo string
	}{
		{"https://o.example/users/a", nil, 1, ""},
		{[]any{"https://o.example/users/a", "javascript:alert(1)", "https://o.example/users/a", 42}, "https://n.example/users/a", 1, "https://n.example/users/a"},
		{many, "not an iri", model.MaxAliases, ""},
	} {
		m := base()
		m["alsoKnownAs"], m["movedTo"] = c.aka, c.moved
		a, err := federation.ASToActor(m, sanitize.New(), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if len(a.AlsoKnownAs) != c.want || a.MovedTo != c.movedTo {
			t.Errorf("alsoKnownAs %v movedTo %v: got %v and %q", c.aka, c.moved, a.AlsoKnownAs, a.MovedTo)
		}
	}
}
