package web_test

import (
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/web/webtest"
	"codeberg.org/maillage/maillage/store"
)

// A place with a country and no name (as maps' exports often give it)
// reads as the country, not as "(ES)".
func TestPlaceWithoutName(t *testing.T) {
	t.Parallel()
	in, _ := webtest.StartAdmin(t, "127.0.0.49")
	lat, lon := 40.42, -3.7
	if err := in.Server.Store.Update(func(tx *store.Tx) error {
		return tx.CreateOrg(model.Org{Name: "madrid", Profile: model.Profile{DisplayName: "Cooperativa en Madrid",
			Location: &model.Place{Country: "ES", Latitude: &lat, Longitude: &lon}}})
	}); err != nil {
		t.Fatal(err)
	}
	_, page := webtest.NewBrowser(t, in).Get("/orgs/madrid?lang=en")
	if !strings.Contains(page, "<dd>ES</dd>") || strings.Contains(page, "(ES)") {
		t.Errorf("the place reads wrong:\n%s", page)
	}
}
