package federation_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// importedOrgs is the size of Transiscope's map, imported whole.
const importedOrgs = 15_000

// BenchmarkImportedInstance measures, on an instance holding 15,000
// imported organisations, the requests that concern them all: the instance
// actor's organisations collection (its count, its first and last pages)
// and NodeInfo. Allocations per request do not grow with the number of
// organisations: compare -benchmem with a smaller importedOrgs.
func BenchmarkImportedInstance(b *testing.B) {
	srv, _ := newBenchServer(b)
	now := time.Now().UTC()
	err := srv.Store.Update(func(tx *store.Tx) error {
		for i := range importedOrgs {
			o := model.Org{Name: fmt.Sprintf("imported-%05d", i), Created: now, Updated: now,
				Profile: model.Profile{DisplayName: fmt.Sprintf("Imported %d", i), Summary: strings.Repeat("Une organisation. ", 20),
					Country: "FR", Sectors: []string{"food-agriculture"}, Website: "https://example.org/"},
				Provenance: &model.Provenance{Source: "Transiscope", SourceID: fmt.Sprint(i), Licence: "ODbL-1.0", Imported: now}}
			if err := tx.CreateOrg(o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	last := (importedOrgs+1)/50 + 1
	for _, c := range []struct{ name, path, accept, want string }{
		{"organisations", "/actor/organisations", "application/activity+json", fmt.Sprintf(`"totalItems":%d`, importedOrgs+1)},
		{"organisations-page-1", "/actor/organisations?page=1", "application/activity+json", "imported-00000"},
		{"organisations-last-page", fmt.Sprintf("/actor/organisations?page=%d", last), "application/activity+json", "imported-14999"},
		{"nodeinfo", "/nodeinfo/2.1", "application/json", fmt.Sprintf(`"total":%d`, importedOrgs+1)},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r := httptest.NewRequest(http.MethodGet, benchBase+c.path, nil)
				r.Header.Set("Accept", c.accept)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), c.want) {
					b.Fatalf("GET %s: %d, no %s in %.300s", c.path, w.Code, c.want, w.Body)
				}
			}
		})
	}
}
