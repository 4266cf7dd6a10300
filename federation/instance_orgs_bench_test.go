package federation_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/federation/httpsign"
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
	srv, key := newBenchServer(b)
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
	// An Undo of an unknown activity, as any server may send: the inbox
	// looks for a follow it undoes among the local actors.
	b.Run("inbox-undo", func(b *testing.B) {
		reqs := make([]signedInbox, b.N)
		for i := range reqs {
			body := fmt.Appendf(nil, `{"@context":"https://www.w3.org/ns/activitystreams","id":"%s/undo/%d-%d","type":"Undo","actor":"%s","object":"%s/follows/%d"}`,
				benchActor, b.N, i, benchActor, benchActor, i)
			r := httptest.NewRequest(http.MethodPost, benchBase+"/inbox", bytes.NewReader(body))
			r.Header.Set("Content-Type", "application/activity+json")
			if err := httpsign.Sign(r, benchKeyID, key, body, time.Now()); err != nil {
				b.Fatal(err)
			}
			reqs[i] = signedInbox{body, r.Header}
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			r := httptest.NewRequest(http.MethodPost, benchBase+"/inbox", bytes.NewReader(reqs[i].body))
			r.Header = reqs[i].header.Clone()
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != http.StatusAccepted {
				b.Fatalf("Undo: %d %s", w.Code, w.Body)
			}
		}
	})
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
