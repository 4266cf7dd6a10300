package federation

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/sanitize"
	"codeberg.org/maillage/maillage/internal/uris"
)

// TestDecodePostKeepsWhatIsRead checks that the inbox's decoding of an
// embedded post (only the terms in postDoc) gives the converters what a
// whole decode gives them: the recorded Mastodon and GoToSocial posts, and
// a project and a call of ours with every field set.
func TestDecodePostKeepsWhatIsRead(t *testing.T) {
	bodies := map[string][]byte{}
	files, _ := filepath.Glob("testdata/*/create_note*.json")
	updates, _ := filepath.Glob("testdata/*/update_note*.json")
	files = append(files, updates...)
	if len(files) < 5 {
		t.Fatalf("fixtures = %v", files)
	}
	fill := strings.NewReplacer("{{REMOTE}}", "https://remote.example", "{{REMOTE_HOST}}", "remote.example",
		"{{LOCAL_ORG}}", "https://local.example/orgs/coop-a", "{{LOCAL_HOST}}", "local.example",
		"{{LOCAL_OBJECT}}", "https://local.example/orgs/coop-a/projects/x")
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		bodies[f] = []byte(fill.Replace(string(raw)))
	}
	r := &Renderer{URIs: uris.URIs{Base: "https://remote.example"}, San: sanitize.New()}
	for _, o := range fullObjects() {
		m, err := r.ObjectMap(o)
		if err != nil {
			t.Fatal(err)
		}
		create := map[string]any{"@context": ldContext, "id": o.ID + "/create", "type": "Create",
			"actor": o.AttributedTo, "to": []any{publicIRI}, "object": m}
		bodies[string(o.Kind)], _ = json.Marshal(create)
	}
	san := sanitize.New()
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			var whole map[string]any
			if err := json.Unmarshal(body, &whole); err != nil {
				t.Fatal(err)
			}
			embed, _ := whole["object"].(map[string]any)
			in, err := decodeActivity(body)
			if err != nil {
				t.Fatal(err)
			}
			if embed == nil || in.Embed == nil {
				t.Fatalf("no embedded post: whole %v, decoded %v", embed != nil, in.Embed != nil)
			}
			if len(in.Embed) >= len(embed) && len(embed) > 12 {
				t.Errorf("decoded post keeps %d of %d terms: nothing skipped", len(in.Embed), len(embed))
			}
			want, werr := ASToObject(embed, san)
			got, gerr := ASToObject(in.Embed, san)
			if !reflect.DeepEqual(got, want) || (werr == nil) != (gerr == nil) {
				t.Errorf("ASToObject:\n got %+v (%v)\nwant %+v (%v)", got, gerr, want, werr)
			}
			wr, _ := ASToReply(embed, san)
			gr, _ := ASToReply(in.Embed, san)
			if gr != wr {
				t.Errorf("ASToReply: got %+v, want %+v", gr, wr)
			}
			isLocal := func(s string) bool { return strings.HasPrefix(s, "https://local.example/") }
			wa, wad := ASToAudience(whole, embed, "https://remote.example/users/a/followers", isLocal)
			ga, gad := audience(in.To, in.Cc, in.Embed, "https://remote.example/users/a/followers", isLocal)
			if ga != wa || !reflect.DeepEqual(gad, wad) {
				t.Errorf("audience: got %v %v, want %v %v", ga, gad, wa, wad)
			}
		})
	}
}

// fullObjects are a project and a call with every field the extension
// terms carry.
func fullObjects() []model.Object {
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	end, deadline := at.Add(90*24*time.Hour), at.Add(30*24*time.Hour)
	lat, lon := 44.75, 5.37
	base := model.Object{AttributedTo: "https://remote.example/orgs/coop-b", Local: true,
		Title: "Autopartage rural", Summary: "Une flotte partagée.", Text: "Trois communes.\n\nDeux ans.",
		Sectors: []string{"mobility", "energy"}, Status: "open", Lang: "fr",
		Location:  &model.Place{Name: "Die", Country: "FR", Latitude: &lat, Longitude: &lon},
		StartTime: &at, EndTime: &end,
		Translations: map[string]model.Translation{"en": {Title: "Rural car sharing", Summary: "A shared fleet.", Text: "Three towns."}},
		Published:    at, Updated: at.Add(time.Hour),
		Image: &model.Image{File: strings.Repeat("a", 64) + ".jpg", Thumb: strings.Repeat("b", 64) + ".jpg",
			MediaType: "image/jpeg", Width: 1200, Height: 800, Alt: "Trois voitures devant la mairie"}}
	project := base
	project.ID, project.Kind = "https://remote.example/orgs/coop-b/projects/p1", model.KindProject
	project.Partners = []model.Partner{{Name: "Coop C", URL: "https://c.example/"}}
	project.FundingSought = &model.Money{Amount: 120000, Currency: "EUR"}
	call := base
	call.ID, call.Kind = "https://remote.example/orgs/coop-b/calls/c1", model.KindCall
	call.Deadline, call.PartnerRoles = &deadline, []string{"coordinator"}
	call.EligibleCountries, call.RelatedProject = []string{"FR", "BE"}, project.ID
	call.FundingProgramme, call.FundingCallID, call.HowToRespond = "Horizon Europe", "HORIZON-CL5-2026", "Écrire."
	return []model.Object{project, call}
}
