package directory

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// TestCompactRoundTrip puts, replaces and removes entries at random, with
// every kind of field the compact rows keep apart (accents and capitals,
// an IRI outside its organisation's, a page that is not the IRI, a host
// and a country not in their canonical case, times not in UTC or out of
// the nanosecond range, an unknown kind, positions half given, images
// with and without a description of their own, the provenance of an
// imported entry, withdrawn or claimed, in a zone or not), enough
// for the arena to be compacted and the IRI table to grow and shift, and
// checks that Get gives back every entry exactly as put.
func TestCompactRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 2))
	paris := time.FixedZone("", 3600)
	titles := []string{"Énergie Citoyenne", "plain", "ŒUVRE commune", "Straße", "e\u0301te\u0301", "Θεσσαλονίκη", "", "l’Atelier DU Vélo"}
	ix := New()
	want := map[string]Entry{}
	for step := range 20000 {
		org := fmt.Sprintf("https://h%d.example/orgs/o%d", rng.IntN(3), rng.IntN(20))
		id := fmt.Sprintf("%s/p/%d", org, rng.IntN(300))
		if rng.IntN(5) == 0 {
			id = fmt.Sprintf("https://elsewhere.example/x/%d", rng.IntN(300))
		}
		switch rng.IntN(10) {
		case 0:
			ix.Remove(id)
			delete(want, id)
			continue
		case 1:
			if step%50 == 0 {
				ix.removeOrg(org)
				for k, e := range want {
					if k == org || e.Org == org {
						delete(want, k)
					}
				}
				continue
			}
		}
		e := Entry{ID: id, URL: id, Kind: []Kind{KindOrg, KindProject, KindCall, "event"}[rng.IntN(4)],
			Title: titles[rng.IntN(len(titles))] + fmt.Sprint(step), Summary: titles[rng.IntN(len(titles))],
			Org: org, OrgName: titles[rng.IntN(len(titles))], Source: []string{"H.example", "h.example", ""}[rng.IntN(3)],
			Local: rng.IntN(2) == 0, Country: []string{"FR", " de", "", "Fr"}[rng.IntN(4)], PlaceName: titles[rng.IntN(len(titles))],
			Status: []string{"open", "closed", ""}[rng.IntN(3)], LegalForm: []string{"", "fr-scic"}[rng.IntN(2)],
			Website:   []string{"", "https://w.example"}[rng.IntN(2)],
			Published: time.Date(2026, 1, 1, 0, 0, 0, rng.IntN(1e9), time.UTC).Add(time.Duration(rng.IntN(1000)) * time.Hour)}
		if rng.IntN(4) == 0 {
			e.URL = id + "/page"
		}
		if rng.IntN(3) == 0 {
			e.Sectors = []string{"energy", "housing", "unknown-sector"}[:1+rng.IntN(3)]
		}
		if rng.IntN(3) == 0 {
			e.PartnerRoles = []string{"supplier", "funder"}[:1+rng.IntN(2)]
		}
		switch rng.IntN(4) {
		case 0:
			e.Published = e.Published.In(paris)
		case 1:
			e.Published = time.Time{}
		}
		switch rng.IntN(4) {
		case 0:
			e.Deadline = ptr(time.Date(2027, 5, 3, 12, 0, 0, 0, time.UTC))
		case 1:
			e.Deadline = ptr(time.Date(3000, 1, 1, 0, 0, 0, 0, paris))
		}
		switch rng.IntN(4) {
		case 0:
			e.Lat, e.Lon = ptr(45.76), ptr(4.84)
		case 1:
			e.Lat = ptr(91.0)
		}
		switch rng.IntN(4) {
		case 0:
			e.Image, e.ImageAlt = "/media/thumb-"+fmt.Sprint(step)+".webp", e.Title
		case 1:
			e.Image, e.ImageAlt = "https://h1.example/logo.png", titles[rng.IntN(len(titles))]
		case 2:
			e.Image = "https://h2.example/no-alt.png"
		}
		if rng.IntN(3) == 0 {
			pv := &model.Provenance{Source: []string{"Transiscope", "Près de chez nous", ""}[rng.IntN(3)],
				SourceURL: []string{"", "https://transiscope.org/api/elements.json"}[rng.IntN(2)],
				SourceID:  fmt.Sprint(rng.IntN(1e6)), SourceKey: []string{"", "pdcn"}[rng.IntN(2)],
				Licence:  []string{"", "ODbL-1.0"}[rng.IntN(2)],
				Imported: time.Date(2026, 11, 1, 0, 0, 0, rng.IntN(1e9), time.UTC)}
			switch rng.IntN(4) {
			case 0:
				pv.Withdrawn = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
			case 1:
				pv.Claimed = time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC)
			case 2:
				pv.Imported = pv.Imported.In(paris)
			case 3:
				pv.Imported = time.Time{}
			}
			e.Provenance = pv
		}
		// Put as the index does not rename: that is TestInternedReleased's.
		ix.put(e, false)
		want[id] = e
	}
	if ix.Len() != len(want) {
		t.Fatalf("Len %d, want %d", ix.Len(), len(want))
	}
	for id, w := range want {
		got, ok := ix.Get(id)
		if !ok {
			t.Fatalf("%s missing", id)
		}
		if !got.Published.Equal(w.Published) || (got.Deadline == nil) != (w.Deadline == nil) ||
			got.Deadline != nil && !got.Deadline.Equal(*w.Deadline) {
			t.Fatalf("%s: times %v %v, want %v %v", id, got.Published, got.Deadline, w.Published, w.Deadline)
		}
		got.Published, w.Published, got.Deadline, w.Deadline = time.Time{}, time.Time{}, nil, nil
		if (got.Provenance == nil) != (w.Provenance == nil) {
			t.Fatalf("%s: provenance %+v, want %+v", id, got.Provenance, w.Provenance)
		}
		if w.Provenance != nil {
			gp, wp := *got.Provenance, *w.Provenance
			if !gp.Imported.Equal(wp.Imported) || !gp.Withdrawn.Equal(wp.Withdrawn) || !gp.Claimed.Equal(wp.Claimed) ||
				gp.Imported.IsZero() != wp.Imported.IsZero() {
				t.Fatalf("%s: provenance times %+v, want %+v", id, gp, wp)
			}
			_, gOff := gp.Imported.Zone()
			_, wOff := wp.Imported.Zone()
			if gOff != wOff {
				t.Fatalf("%s: imported in zone %d, want %d", id, gOff, wOff)
			}
			gp.Imported, wp.Imported = time.Time{}, time.Time{}
			if gp != wp {
				t.Fatalf("%s: provenance %+v, want %+v", id, gp, wp)
			}
			got.Provenance, w.Provenance = nil, nil
		}
		if !reflect.DeepEqual(got, w) {
			t.Fatalf("%s:\n got %+v\nwant %+v", id, got, w)
		}
	}
	if _, ok := ix.Get("https://h0.example/orgs/o1/p/none"); ok {
		t.Error("an IRI never put is found")
	}
}
