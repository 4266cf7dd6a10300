// Command gen-places writes internal/gazetteer/data/places.tsv.gz: the
// European places of GeoNames with at least -min-pop inhabitants, largest
// first, and the names of their regions. Run it through gen.sh, which
// exports the npm packages' data with dump.js; see
// internal/gazetteer/data/README.md for the format and the licence.
package main

import (
	"compress/gzip"
	"flag"
	"fmt"
	"os"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gen-places:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("gen-places", flag.ContinueOnError)
	in := fs.String("in", "", "output of dump.js")
	out := fs.String("out", "internal/gazetteer/data/places.tsv.gz", "output file")
	source := fs.String("source", "", "provenance written into the header")
	minPop := fs.Int("min-pop", 1000, "least population kept")
	if err := fs.Parse(args); err != nil {
		return err
	}
	r, err := os.Open(*in)
	if err != nil {
		return err
	}
	defer r.Close()
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		return err
	}
	if err := generate(r, zw, config{MinPop: *minPop, Countries: europe, Source: *source}); err != nil {
		f.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
