package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/federation"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/sanitize"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

func storedProject(n, textLen int) service.ObjectInput {
	text := strings.Repeat("Nous cherchons des partenaires pour une coopérative de mobilité partagée en milieu rural. ", textLen/90+1)[:textLen]
	return service.ObjectInput{Kind: model.KindProject, Title: "Autopartage rural " + strconv.Itoa(n),
		Summary: "Une flotte de véhicules partagés pour trois communes.", Text: text,
		Sectors: []string{"mobility", "energy"}, Location: &model.Place{Name: "Die", Country: "FR"}}
}

// TestStoredActivityAsRendered publishes and edits a project on a real
// instance and checks that each activity, read from the store, served at
// its IRI and in the outbox, is byte for byte what the renderer makes of
// it (what peers were sent before the store left out the @context and
// the object), while its record holds neither.
func TestStoredActivityAsRendered(t *testing.T) {
	ctx := context.Background()
	in := testenv.NewHandler(t, "127.0.0.181", testenv.Options{})
	svc := in.Server.Service
	o, err := svc.Publish(ctx, service.System("test"), "coop", storedProject(1, 1200))
	if err != nil {
		t.Fatal(err)
	}
	edit := storedProject(1, 1200)
	edit.Title = "Autopartage rural <élargi> & co"
	if _, err := svc.Edit(ctx, service.System("test"), "coop", o.ID, edit); err != nil {
		t.Fatal(err)
	}
	r := &federation.Renderer{URIs: uris.URIs{Base: in.Base}, San: sanitize.New()}
	var bodies [][]byte
	err = in.Server.Store.View(func(tx *store.Tx) error {
		var err error
		bodies, _, err = tx.Outbox("coop", 0, 10)
		return err
	})
	if err != nil || len(bodies) != 2 {
		t.Fatalf("outbox: %d activities, %v", len(bodies), err)
	}
	for _, body := range bodies {
		var doc struct {
			ID   string `json:"id"`
			Type string `json:"type"`
		}
		if err := json.Unmarshal(body, &doc); err != nil {
			t.Fatal(err)
		}
		var want []byte
		err := in.Server.Store.View(func(tx *store.Tx) error {
			a, _, err := tx.Activity(doc.ID)
			if err != nil {
				return err
			}
			if a.Object != nil {
				t.Errorf("%s: the record keeps the object", doc.Type)
			}
			obj, err := tx.Object(a.ObjectID)
			if err != nil {
				return err
			}
			// What broadcast addressed it to (the record leaves it to the JSON).
			a.To, a.CC = []string{service.PublicIRI}, []string{r.URIs.Followers("coop")}
			a.Object = &obj
			want, err = r.RenderActivity(a)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if d := firstDiff(body, want); d >= 0 {
			t.Errorf("%s from the store differs from its rendering at byte %d: …%s", doc.Type, d, body[max(0, d-80):min(len(body), d+80)])
		}
		status, served := in.Get(doc.ID, federation.ContentTypeAS)
		if d := firstDiff(served, want); status != http.StatusOK || d >= 0 {
			t.Errorf("%s served: %d, differs from its rendering at byte %d", doc.Type, status, d)
		}
		if !strings.Contains(string(want), `"@context":["https://www.w3.org/ns/activitystreams"`) || !strings.Contains(string(want), "élargi") {
			t.Errorf("%s: rendering lacks the context or the edit: %s", doc.Type, want)
		}
	}
}

// firstDiff is the first byte where a and b differ, -1 if they are equal.
func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

// BenchmarkStorePerPublish publishes projects on a real instance (no
// followers, so nothing queued) and reports what the store grows by per
// published object: store-B (bbolt's data size, free pages included) and
// inuse-B (keys, values and page headers).
func BenchmarkStorePerPublish(b *testing.B) {
	for _, textLen := range []int{240, 1200} {
		b.Run("text"+strconv.Itoa(textLen), func(b *testing.B) {
			in := testenv.NewHandler(b, "127.0.0.182", testenv.Options{})
			svc, st := in.Server.Service, in.Server.Store
			publish := func(i int) {
				if _, err := svc.Publish(context.Background(), service.System("bench"), "coop", storedProject(i, textLen)); err != nil {
					b.Fatal(err)
				}
			}
			for i := range 200 { // past the first pages
				publish(i)
			}
			size0, inuse0 := st.Size(), st.InUse()
			n := 0
			for b.Loop() {
				publish(1000 + n)
				n++
			}
			b.ReportMetric(float64(st.Size()-size0)/float64(n), "store-B/object")
			b.ReportMetric(float64(st.InUse()-inuse0)/float64(n), "inuse-B/object")
		})
	}
}
