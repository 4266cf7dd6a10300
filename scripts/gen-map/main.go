// Command gen-map writes internal/mapgeo/data/europe.json from the npm
// package world-atlas (Natural Earth 1:50m countries as TopoJSON) and the
// ISO 3166 code table of the npm package i18n-iso-countries. Run it through
// gen.sh, which installs both in a temporary directory; see
// internal/mapgeo/data/README.md.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"codeberg.org/maillage/maillage/internal/mapgeo"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gen-map:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("gen-map", flag.ContinueOnError)
	topo := fs.String("topo", "", "world-atlas countries-50m.json")
	codesPath := fs.String("codes", "", "i18n-iso-countries codes.json")
	source := fs.String("source", "", "provenance written into the output")
	out := fs.String("out", "internal/mapgeo/data/europe.json", "output file")
	tol := fs.Float64("tol", 2, "simplification tolerance, km")
	minArea := fs.Float64("min-area", 40, "islands smaller than this are dropped, km²")
	if err := fs.Parse(args); err != nil {
		return err
	}
	data, err := os.ReadFile(*topo)
	if err != nil {
		return err
	}
	codes, err := readCodes(*codesPath)
	if err != nil {
		return err
	}
	res, err := generate(data, codes, extraCodes, params{Object: "countries", Box: mapgeo.Europe,
		Margin: 30, Tol: *tol, MinArea: *minArea, Source: *source})
	if err != nil {
		return err
	}
	return os.WriteFile(*out, res, 0o644)
}

// extraCodes names the territories Natural Earth leaves without an ISO
// numeric code. XK is the user-assigned code the European Commission and
// GeoNames use for Kosovo.
var extraCodes = map[string]string{"Kosovo": "XK"}

// readCodes reads i18n-iso-countries' codes.json, rows of [alpha-2,
// alpha-3, numeric, ...], into numeric → alpha-2.
func readCodes(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rows [][]string
	if err := json.Unmarshal(data, &rows); err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	m := map[string]string{}
	for _, r := range rows {
		if len(r) >= 3 {
			m[r[2]] = r[0]
		}
	}
	return m, nil
}
