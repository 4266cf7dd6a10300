package server_test

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
)

// TestNodeInfoDescribesInstance sets the instance's description and
// publishes a project, a deleted project, an open call and a closed call:
// NodeInfo's metadata carries the description and counts only what is
// listed, both documents stay valid against the NodeInfo schemas' required
// fields, and the instance actor carries the same description.
func TestNodeInfoDescribesInstance(t *testing.T) {
	in := testenv.Start(t, "127.0.0.8", testenv.Options{})
	ctx := context.Background()
	if _, err := in.Server.Service.UpdateInstance(ctx, service.System("test"), service.InstanceInput{
		Name: "Réseau Occitan", Summary: "Les coopératives d'Occitanie", Region: "Occitanie", Country: "fr",
		Languages: []string{"fr", "oc"}}); err != nil {
		t.Fatalf("update instance: %v", err)
	}
	publish(t, in, "coop", projectInput())
	gone := publish(t, in, "coop", projectInput())
	if s := in.API("DELETE", apiPath(in, gone.ID), nil, nil); s != http.StatusNoContent && s != http.StatusOK {
		t.Fatalf("delete project: %d", s)
	}
	publish(t, in, "coop", callInput())
	closed := publish(t, in, "coop", callInput())
	if s := in.API("PATCH", apiPath(in, closed.ID), map[string]any{"status": "closed"}, nil); s != http.StatusOK {
		t.Fatalf("close call: %d", s)
	}

	for _, v := range []string{"2.0", "2.1"} {
		ni := getJSON(t, in, in.Base+"/nodeinfo/"+v, "application/json", http.StatusOK)
		checkNodeInfoSchema(t, v, ni)
		meta := ni["metadata"].(map[string]any)
		if meta["nodeName"] != "Réseau Occitan" || meta["nodeDescription"] != "Les coopératives d'Occitanie" {
			t.Errorf("%s: nodeName/nodeDescription = %v", v, meta)
		}
		m, _ := meta["maillage"].(map[string]any)
		want := map[string]any{"name": "Réseau Occitan", "summary": "Les coopératives d'Occitanie", "region": "Occitanie",
			"country": "FR", "organisations": 1.0, "projects": 1.0, "openCalls": 1.0}
		for k, w := range want {
			if m[k] != w {
				t.Errorf("%s: metadata.maillage.%s = %v, want %v", v, k, m[k], w)
			}
		}
		if langs, _ := m["languages"].([]any); !slices.Equal(langs, []any{"fr", "oc"}) {
			t.Errorf("%s: languages = %v", v, m["languages"])
		}
		if posts := ni["usage"].(map[string]any)["localPosts"]; posts != 3.0 {
			t.Errorf("%s: localPosts = %v, want 3 (the deleted project is not counted)", v, posts)
		}
	}

	a := getJSON(t, in, in.Actor(model.InstanceName), asAccept, http.StatusOK)
	if a["name"] != "Réseau Occitan" || a["areaServed"] != "Occitanie" || a["country"] != "FR" {
		t.Errorf("instance actor = name %v, areaServed %v, country %v", a["name"], a["areaServed"], a["country"])
	}
	if langs, _ := a["knowsLanguage"].([]any); !slices.Equal(langs, []any{"fr", "oc"}) {
		t.Errorf("instance actor knowsLanguage = %v", a["knowsLanguage"])
	}
}

// checkNodeInfoSchema checks the fields the NodeInfo 2.0 and 2.1 JSON
// schemas require (nodeinfo.diaspora.software/schema.html), with their
// types.
func checkNodeInfoSchema(t *testing.T, version string, ni map[string]any) {
	t.Helper()
	for _, k := range []string{"version", "software", "protocols", "services", "openRegistrations", "usage", "metadata"} {
		if _, ok := ni[k]; !ok {
			t.Errorf("%s: no %s", version, k)
		}
	}
	sw, _ := ni["software"].(map[string]any)
	if name, _ := sw["name"].(string); !regexp.MustCompile(`^[a-z0-9-]+$`).MatchString(name) {
		t.Errorf("%s: software.name %q breaks the schema's pattern", version, name)
	}
	if _, ok := sw["version"].(string); !ok {
		t.Errorf("%s: software.version is not a string", version)
	}
	if p, _ := ni["protocols"].([]any); len(p) == 0 {
		t.Errorf("%s: protocols empty", version)
	}
	svc, _ := ni["services"].(map[string]any)
	for _, k := range []string{"inbound", "outbound"} {
		if _, ok := svc[k].([]any); !ok {
			t.Errorf("%s: services.%s is not an array", version, k)
		}
	}
	if _, ok := ni["openRegistrations"].(bool); !ok {
		t.Errorf("%s: openRegistrations is not a boolean", version)
	}
	usage, _ := ni["usage"].(map[string]any)
	if _, ok := usage["users"].(map[string]any); !ok {
		t.Errorf("%s: usage.users is not an object", version)
	}
	if _, ok := ni["metadata"].(map[string]any); !ok {
		t.Errorf("%s: metadata is not an object", version)
	}
}
