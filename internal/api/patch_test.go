package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
)

// TestAPIPatch: PATCH changes only the fields its body names (null clears
// one), and a refused patch changes nothing.
func TestAPIPatch(t *testing.T) {
	t.Parallel()
	in := testenv.NewHandler(t, "127.0.0.27", testenv.Options{})
	ctx := context.Background()
	lat, lon := 45.19, 5.72
	o, err := in.Server.Service.Publish(ctx, service.TokenPrincipal(), "coop", service.ObjectInput{
		Kind: model.KindCall, Title: "Pilot territories", Summary: "Two rural territories.", Text: "What we bring.",
		Sectors: []string{"mobility"}, PartnerRoles: []string{"pilot-territory"},
		Deadline: service.Time(time.Date(2031, 3, 15, 0, 0, 0, 0, time.UTC)),
		Location: &model.Place{Name: "Grenoble", Country: "FR", Latitude: &lat, Longitude: &lon},
	})
	if err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/orgs/coop/calls/" + o.ID[strings.LastIndex(o.ID, "/")+1:]
	stored := func() model.Object {
		t.Helper()
		got, err := in.Server.Service.Object(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}

	var out model.Object
	if got := in.API("PATCH", path, json.RawMessage(`{"title": "Three territories", "location": {"name": "Voiron"}, "deadline": null}`), &out); got != http.StatusOK {
		t.Fatalf("PATCH: status %d", got)
	}
	want := o
	want.Title, want.Deadline, want.Updated = "Three territories", nil, out.Updated
	loc := *o.Location
	loc.Name = "Voiron"
	want.Location = &loc
	if after := stored(); !reflect.DeepEqual(after, want) || !reflect.DeepEqual(out, after) {
		t.Errorf("after PATCH:\n got %+v\nwant %+v", after, want)
	}

	before := stored()
	for _, tt := range []struct {
		name string
		body any
		want int
	}{
		{"unknown field", json.RawMessage(`{"titel": "x"}`), http.StatusBadRequest},
		{"bad date", json.RawMessage(`{"deadline": "soon"}`), http.StatusBadRequest},
		{"wrong type", json.RawMessage(`{"sectors": "energy"}`), http.StatusBadRequest},
		{"not an object", json.RawMessage(`[1]`), http.StatusBadRequest},
		{"null", json.RawMessage(`null`), http.StatusBadRequest},
		{"no field", json.RawMessage(`{}`), http.StatusBadRequest},
		{"no sectors", json.RawMessage(`{"sectors": []}`), http.StatusUnprocessableEntity},
		{"kind", json.RawMessage(`{"kind": "project"}`), http.StatusUnprocessableEntity},
		{"too big", map[string]string{"text": strings.Repeat("x", 300<<10)}, http.StatusRequestEntityTooLarge},
	} {
		if got := in.API("PATCH", path, tt.body, nil); got != tt.want {
			t.Errorf("%s: status %d, want %d", tt.name, got, tt.want)
		}
	}
	if got := in.API("PATCH", path+"x", json.RawMessage(`{"title": "x"}`), nil); got != http.StatusNotFound {
		t.Errorf("unknown object: status %d, want 404", got)
	}
	if after := stored(); !reflect.DeepEqual(after, before) {
		t.Errorf("a refused PATCH changed the call:\n got %+v\nwant %+v", after, before)
	}

	// null removes a member, as RFC 7396 says: a plain field, and one
	// translation of several.
	if got := in.API("PATCH", path, json.RawMessage(`{"translations": {"fr": {"title": "Trois territoires", "summary": "Deux."}, "de": {"title": "Drei Gebiete", "summary": "Zwei."}}}`), nil); got != http.StatusOK {
		t.Fatalf("PATCH translations: status %d", got)
	}
	if got := in.API("PATCH", path, json.RawMessage(`{"summary": null, "translations": {"fr": null}}`), &out); got != http.StatusOK {
		t.Fatalf("PATCH with nulls: status %d", got)
	}
	after := stored()
	if after.Summary != "" || after.Title != "Three territories" {
		t.Errorf("after summary: null: summary %q, title %q; want the summary cleared, the title kept", after.Summary, after.Title)
	}
	if _, ok := after.Translations["fr"]; ok || after.Translations["de"].Title != "Drei Gebiete" {
		t.Errorf("after translations.fr: null: %+v; want fr removed, de kept", after.Translations)
	}
}
