package directory

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// benchLoad times Load on a store of n objects as an aggregator holds
// them: one in ten a public project or call, the rest received Notes of
// about 1 KB.
func benchLoad(b *testing.B, n int) {
	st, err := store.Open(filepath.Join(b.TempDir(), "maillage.db"), store.Options{LockTimeout: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	text := make([]byte, 900)
	for i := range text {
		text[i] = 'a' + byte(i%26)
	}
	const batch = 5000
	for start := 0; start < n; start += batch {
		err := st.Update(func(tx *store.Tx) error {
			for i := start; i < min(n, start+batch); i++ {
				o := model.Object{ID: fmt.Sprintf("https://r%d.example/o/%d", i%50, i), AttributedTo: fmt.Sprintf("https://r%d.example/u/a", i%50),
					Kind: model.KindNote, Audience: model.AudiencePublic, Content: string(text), Published: days(-i % 300)}
				if i%10 == 0 {
					o.Kind, o.Title, o.Summary, o.Content = model.KindProject, fmt.Sprintf("Projet %d", i), "Un projet de l'économie sociale", ""
					o.Sectors = []string{"food-agriculture"}
				}
				if err := tx.PutObject(o); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	u := uris.URIs{Base: localBase}
	var ix *Index
	for b.Loop() {
		if ix, err = Load(st, u); err != nil {
			b.Fatal(err)
		}
	}
	if ix.Len() != (n+9)/10 {
		b.Fatalf("Load listed %d entries, want %d", ix.Len(), (n+9)/10)
	}
}

func BenchmarkLoad10k(b *testing.B)  { benchLoad(b, 10_000) }
func BenchmarkLoad100k(b *testing.B) { benchLoad(b, 100_000) }
