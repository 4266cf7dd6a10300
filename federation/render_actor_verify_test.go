package federation

import (
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
)

// Mastodon verifies a remote profile field whose value is one <a> whose
// href equals its text, an https URL (app/models/account/field.rb,
// extract_url_from_html and verifiable?), by crawling it for a rel="me"
// link back to the actor's url (app/services/verify_link_service.rb): the
// website goes out as such a field, so a Mastodon follower sees the mark
// too once the website links back to the actor.
func TestActorWebsiteFieldIsVerifiable(t *testing.T) {
	r := &Renderer{URIs: uris.URIs{Base: "https://127.0.0.2:8443"}}
	m, err := r.ActorMap(model.Org{Name: "coop", Profile: model.Profile{DisplayName: "Coop", Website: "https://coop.example/about?x=1&y=2"},
		PublicKeyPEM: "-----BEGIN PUBLIC KEY-----\nZmFrZQ==\n-----END PUBLIC KEY-----\n"})
	if err != nil {
		t.Fatal(err)
	}
	fields, ok := m["attachment"].([]any)
	if !ok {
		t.Fatalf("attachment is %T, want an array (Mastodon ignores anything else)", m["attachment"])
	}
	for _, f := range fields {
		pv, _ := f.(map[string]any)
		if pv["type"] != "PropertyValue" || pv["name"] != "Website" {
			continue
		}
		v, _ := pv["value"].(string)
		const esc = "https://coop.example/about?x=1&amp;y=2"
		if !strings.HasPrefix(v, `<a href="`+esc+`"`) || !strings.HasSuffix(v, ">"+esc+"</a>") || !strings.Contains(v, `rel="me`) {
			t.Errorf("website field = %q, want one <a rel=me> whose href is its text", v)
		}
		return
	}
	t.Errorf("no Website PropertyValue in %v", fields)
}
