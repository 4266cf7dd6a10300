package importer

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

var testNow = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)

func open(t testing.TB, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func taxonomy(t testing.TB, name string) *Taxonomy {
	t.Helper()
	tx, err := ParseTaxonomy(open(t, name))
	if err != nil {
		t.Fatalf("ParseTaxonomy(%s): %v", name, err)
	}
	return tx
}

func parseFile(t testing.TB, name string, opts Options) *Batch {
	t.Helper()
	if opts.Source == "" {
		opts.Source = "Test map"
	}
	if opts.Now.IsZero() {
		opts.Now = testNow
	}
	b, err := Parse(open(t, name), opts)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return b
}

func entryByID(t testing.TB, b *Batch, id string) Entry {
	t.Helper()
	for _, e := range b.Entries {
		if e.SourceID == id {
			return e
		}
	}
	t.Fatalf("no entry %q among %d", id, len(b.Entries))
	return Entry{}
}

func refusalByIndex(t testing.TB, b *Batch, i int) Refusal {
	t.Helper()
	for _, r := range b.Refused {
		if r.Ref.Index == i {
			return r
		}
	}
	t.Fatalf("entry %d not refused; refusals: %+v", i, b.Refused)
	return Refusal{}
}

func ptr(f float64) *float64 { return &f }

func equalStrings(a, b []string) bool { return slices.Equal(a, b) }
