package main

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/mapgeo"
)

var update = flag.Bool("update", false, "rewrite testdata/small.golden.json")

func smallParams() params {
	return params{Object: "countries", Box: mapgeo.Europe, Margin: 30, Tol: 2, MinArea: 40, Source: "test"}
}

// The generator is deterministic and its output is what mapgeo.Load reads:
// two countries sharing a border, an island too small to keep, and a
// polygon outside the map.
func TestGenerateSmall(t *testing.T) {
	topo, err := os.ReadFile("testdata/small.topo.json")
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{"250": "FR", "056": "BE"}
	got, err := generate(topo, codes, extraCodes, smallParams())
	if err != nil {
		t.Fatal(err)
	}
	again, _ := generate(topo, codes, extraCodes, smallParams())
	if !bytes.Equal(got, again) {
		t.Error("two runs differ")
	}
	if *update {
		if err := os.WriteFile("testdata/small.golden.json", got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("testdata/small.golden.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from testdata/small.golden.json (rerun with -update after checking):\n%s", got)
	}
	m, err := mapgeo.Load(bytes.NewReader(got))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Countries) != 2 || m.Countries[0].ID != "BE" || m.Countries[1].ID != "FR" {
		t.Fatalf("countries = %+v, want BE and FR (the far polygon clipped away)", m.Countries)
	}
	if strings.Count(m.Countries[0].D, "M") != 1 {
		t.Errorf("Eastland's small island was kept: %s", m.Countries[0].D)
	}
	if len(m.Borders) != 1 {
		t.Errorf("borders = %d runs, want the one shared arc", len(m.Borders))
	}
	// Westland's arc 1 has a 1 km wiggle that the 2 km tolerance removes.
	if strings.Count(m.Countries[1].D, " ") > 12 {
		t.Errorf("Westland not simplified: %s", m.Countries[1].D)
	}
}

func TestGenerateRejectsBrokenInput(t *testing.T) {
	for name, in := range map[string]string{
		"not JSON":      "{",
		"not topology":  `{"type":"FeatureCollection"}`,
		"no object":     `{"type":"Topology","arcs":[],"objects":{}}`,
		"arc too large": `{"type":"Topology","arcs":[],"objects":{"countries":{"geometries":[{"type":"Polygon","arcs":[[3]]}]}}}`,
		"arc negative":  `{"type":"Topology","arcs":[],"objects":{"countries":{"geometries":[{"type":"Polygon","arcs":[[-1]]}]}}}`,
		"bad arcs":      `{"type":"Topology","arcs":[],"objects":{"countries":{"geometries":[{"type":"Polygon","arcs":"x"}]}}}`,
	} {
		if _, err := generate([]byte(in), nil, nil, smallParams()); err == nil {
			t.Errorf("%s: generate succeeded, want an error", name)
		}
	}
}

// The committed map was written by this generator: it loads and states
// its source and settings.
func TestCommittedMap(t *testing.T) {
	data, err := os.ReadFile("../../internal/mapgeo/data/europe.json")
	if err != nil {
		t.Fatal(err)
	}
	m, err := mapgeo.Load(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if m.Box != mapgeo.Europe || !strings.Contains(m.Source, "world-atlas@2.0.2") || !strings.Contains(m.Source, "-tol 2 ") {
		t.Errorf("committed map: box %v, source %q", m.Box, m.Source)
	}
}
