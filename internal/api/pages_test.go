package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/wire"
	"codeberg.org/maillage/maillage/store"
)

const remoteActor = "https://remote.example/users/alice"

// putRemoteNotes stores n public notes of remoteActor numbered from
// first, published a second apart (number i at second i), straight into
// the store: the inbox would do the same, a thousand times slower.
func putRemoteNotes(tb testing.TB, in *testenv.Instance, first, n int) {
	tb.Helper()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	err := in.Server.Store.Update(func(tx *store.Tx) error {
		for i := first; i < first+n; i++ {
			o := model.Object{ID: fmt.Sprintf("https://remote.example/notes/%06d", i), Kind: model.KindProject,
				AttributedTo: remoteActor, Title: "Note " + strconv.Itoa(i), Published: t0.Add(time.Duration(i) * time.Second)}
			if err := tx.PutObject(o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// getPage gets one page of a listing: its entries' ids and the next link.
func getPage(t *testing.T, in *testenv.Instance, path string) ([]string, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, in.Base+path, nil)
	req.Header.Set("Authorization", "Bearer "+in.Token)
	resp, err := in.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", path, resp.StatusCode)
	}
	var items []struct {
		ID     string `json:"id"`
		Target string `json:"target"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&items); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, 0, len(items))
	for _, it := range items {
		ids = append(ids, it.ID+it.Target)
	}
	return ids, wire.NextOf(resp.Header.Get("Link"))
}

// TestObjectsPagesWhileInserting lists 25 objects 7 at a time while new
// ones are stored between pages: every object stored before the listing
// began comes exactly once, newest first, and the pages end.
func TestObjectsPagesWhileInserting(t *testing.T) {
	t.Parallel()
	in := testenv.NewHandler(t, "127.0.0.27", testenv.Options{})
	putRemoteNotes(t, in, 100, 25)
	seen := map[string]int{}
	var order []string
	path := "/api/v1/objects?limit=7&actor=" + url.QueryEscape(remoteActor)
	for pages := 0; path != ""; pages++ {
		if pages > 10 {
			t.Fatal("pages do not end")
		}
		ids, next := getPage(t, in, path)
		if len(ids) > 7 {
			t.Errorf("page of %d entries, limit 7", len(ids))
		}
		for _, id := range ids {
			seen[id]++
			order = append(order, id)
		}
		// Newer (inserted before the cursor) and older (after it) notes
		// arrive between pages.
		putRemoteNotes(t, in, 200+pages, 1)
		putRemoteNotes(t, in, pages, 1)
		path = next
	}
	for i := 100; i < 125; i++ {
		if id := fmt.Sprintf("https://remote.example/notes/%06d", i); seen[id] != 1 {
			t.Errorf("%s listed %d times, want once", id, seen[id])
		}
	}
	for id, n := range seen {
		if n > 1 {
			t.Errorf("%s listed %d times", id, n)
		}
	}
	for i := 1; i < len(order); i++ {
		if order[i] >= order[i-1] {
			t.Errorf("not newest first: %s after %s", order[i], order[i-1])
		}
	}
}

// TestBlocksPagesWhileInserting pages a listing in key order (blocks by
// target) while blocks are added on both sides of the cursor.
func TestBlocksPagesWhileInserting(t *testing.T) {
	t.Parallel()
	in := testenv.NewHandler(t, "127.0.0.28", testenv.Options{})
	block := func(host string) {
		if s := in.API(http.MethodPost, "/api/v1/blocks", map[string]string{"target": host}, nil); s != http.StatusCreated {
			t.Fatalf("block %s: status %d", host, s)
		}
	}
	for i := range 10 {
		block(fmt.Sprintf("m%02d.example", i))
	}
	seen := map[string]int{}
	path := "/api/v1/blocks?limit=3"
	for pages := 0; path != ""; pages++ {
		if pages > 20 {
			t.Fatal("pages do not end")
		}
		ids, next := getPage(t, in, path)
		if len(ids) > 3 {
			t.Errorf("page of %d entries, limit 3", len(ids))
		}
		for _, id := range ids {
			seen[id]++
		}
		block(fmt.Sprintf("a%02d.example", pages))
		block(fmt.Sprintf("z%02d.example", pages))
		path = next
	}
	for i := range 10 {
		if h := fmt.Sprintf("m%02d.example", i); seen[h] != 1 {
			t.Errorf("%s listed %d times, want once", h, seen[h])
		}
	}
	for h, n := range seen {
		if n != 1 {
			t.Errorf("%s listed %d times", h, n)
		}
	}
}

// TestPageBounds: the page size is cut to service.MaxPageSize, and a bad
// limit or cursor is a 400.
func TestPageBounds(t *testing.T) {
	t.Parallel()
	in := testenv.NewHandler(t, "127.0.0.29", testenv.Options{})
	putRemoteNotes(t, in, 0, service.MaxPageSize+5)
	actor := url.QueryEscape(remoteActor)
	ids, next := getPage(t, in, "/api/v1/objects?limit=1000000&actor="+actor)
	if len(ids) != service.MaxPageSize || next == "" {
		t.Errorf("limit 1000000: %d entries, next %q; want %d and a next page", len(ids), next, service.MaxPageSize)
	}
	ids, next = getPage(t, in, "/api/v1/objects?actor="+actor)
	if len(ids) != service.DefaultPageSize || next == "" {
		t.Errorf("no limit: %d entries, next %q; want %d and a next page", len(ids), next, service.DefaultPageSize)
	}
	for q, want := range map[string]int{"limit=0": 400, "limit=-3": 400, "limit=x": 400, "after=%25%25": 400,
		"after=": 200, "after=AAAA": 200} {
		if s := in.API(http.MethodGet, "/api/v1/objects?"+q+"&actor="+actor, nil, nil); s != want {
			t.Errorf("%s: status %d, want %d", q, s, want)
		}
	}
}

// BenchmarkObjectsPage gets the first page of an actor's objects from
// stores of 1,000 and 50,000: the bytes allocated per request must not
// grow with the store.
func BenchmarkObjectsPage(b *testing.B) {
	for _, n := range []int{1000, 50000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			in := testenv.NewHandler(b, "127.0.0.30", testenv.Options{})
			for i := 0; i < n; i += 5000 {
				putRemoteNotes(b, in, i, min(5000, n-i))
			}
			h := in.Server.Handler()
			req := httptest.NewRequest(http.MethodGet, "/api/v1/objects?actor="+url.QueryEscape(remoteActor), nil)
			req.Header.Set("Authorization", "Bearer "+in.Token)
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}
