package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"io"
	"os"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/gazetteer"
)

var update = flag.Bool("update", false, "rewrite testdata/small.golden.tsv")

// The Go part of the generator on a small input: only European places of
// 1,000 or more, no city sections, largest first, regions that are used.
func TestGenerateSmall(t *testing.T) {
	in, err := os.ReadFile("testdata/small.raw.tsv")
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := generate(bytes.NewReader(in), &got, config{MinPop: 1000, Countries: europe, Source: "test"}); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("testdata/small.golden.tsv", got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("testdata/small.golden.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("output differs from testdata/small.golden.tsv (rerun with -update after checking):\n%s", got.Bytes())
	}
	g, err := gazetteer.Load(bytes.NewReader(got.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if g.Len() != 5 {
		t.Errorf("loaded %d places, want Łódź, Lyon, Malmö, Besançon, Noregion", g.Len())
	}
	if p, ok := g.Find("lodz", ""); !ok || p.Region != "Łódź Voivodeship" {
		t.Errorf("Find(lodz) = %+v, %t", p, ok)
	}
}

func TestGenerateRejectsBrokenInput(t *testing.T) {
	for name, in := range map[string]string{
		"unknown record": "X\n",
		"bad id":         "P\tx\tLyon\tFR\tPPL\t84\t1000\t45\t4\n",
		"bad latitude":   "P\t1\tLyon\tFR\tPPL\t84\t1000\t99\t4\n",
		"bad population": "P\t1\tLyon\tFR\tPPL\t84\tmany\t45\t4\n",
	} {
		if err := generate(strings.NewReader(in), io.Discard, config{MinPop: 1000, Countries: europe}); err == nil {
			t.Errorf("%s: generate succeeded, want an error", name)
		}
	}
}

// The committed data was written by this generator: it loads, credits
// GeoNames, and keeps to the size budget.
func TestCommittedPlaces(t *testing.T) {
	data, err := os.ReadFile("../../internal/gazetteer/data/places.tsv.gz")
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 2<<20 {
		t.Errorf("places.tsv.gz is %d bytes, want under 2 MiB", len(data))
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(plain[:500], []byte("GeoNames")) || !bytes.Contains(plain[:500], []byte("CC BY 4.0")) {
		t.Error("header does not credit GeoNames under CC BY 4.0")
	}
	if _, err := gazetteer.Load(bytes.NewReader(plain)); err != nil {
		t.Fatal(err)
	}
}
