package store

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// BenchmarkCommit measures what a bbolt commit allocates, which a write
// pays whatever it writes: the meta page, and the copy of every page on
// the paths to what changed (bbolt reads each into a node of 64 bytes per
// key, and the tree root of 46 buckets with them). The inbox's Batch
// shares one commit among the Creates that arrive together
// (BenchmarkInbox reports creates/commit); a Create alone in its commit
// pays all of it. Each case starts from a store of 4,000 received Notes
// of one actor, about what BenchmarkInbox's holds.
//
//	go test ./store/ -run '^$' -bench Commit -benchmem -benchtime 4000x
func BenchmarkCommit(b *testing.B) {
	const actor = "https://mastodon.example/users/Gargron"
	note := func(i int) model.Object {
		return model.Object{ID: fmt.Sprintf("%s/statuses/%d", actor, 1_000_000+i), Kind: model.KindNote,
			AttributedTo: actor, Audience: model.AudiencePublic,
			Content:   `<p>A received note of an ordinary length, with a <a href="https://x.example/">link</a> in it.</p>`,
			Published: t0.Add(time.Duration(i) * time.Second), Updated: t0.Add(time.Duration(i) * time.Second)}
	}
	// Each case starts from its own copy of a store of 4,000 Notes, built
	// once. In adding(n), a transaction adds n Notes and an op is one Note.
	built := filepath.Join(b.TempDir(), "built.db")
	s, err := Open(built, Options{})
	if err != nil {
		b.Fatal(err)
	}
	for i := range 4000 {
		mustUpdate(b, s, func(tx *Tx) error { return tx.AddObject(note(i)) })
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(built)
	if err != nil {
		b.Fatal(err)
	}
	filled := func(b *testing.B) *Store {
		path := filepath.Join(b.TempDir(), "maillage.db")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			b.Fatal(err)
		}
		s, err := Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		return s
	}
	adding := func(perCommit int) func(b *testing.B) {
		return func(b *testing.B) {
			s, next := filled(b), 4000
			b.ReportAllocs()
			b.ResetTimer()
			for done := 0; done < b.N; done += perCommit {
				mustUpdate(b, s, func(tx *Tx) error {
					for range min(perCommit, b.N-done) {
						if err := tx.AddObject(note(next)); err != nil {
							return err
						}
						next++
					}
					return nil
				})
			}
		}
	}
	b.Run("nothing", func(b *testing.B) {
		s := filled(b)
		b.ReportAllocs()
		for b.Loop() {
			mustUpdate(b, s, func(*Tx) error { return nil })
		}
	})
	b.Run("note-alone", adding(1))
	b.Run("notes-by-2", adding(2))
	b.Run("notes-by-32", adding(32))
}
