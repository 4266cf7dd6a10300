package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"codeberg.org/maillage/maillage/internal/mapgeo"
)

// params are the generator's choices, recorded in the output's source.
type params struct {
	Object  string     // TopoJSON object holding the countries
	Box     mapgeo.Box // extent of the map
	Margin  float64    // km kept around Box, so clip edges never show
	Tol     float64    // Douglas-Peucker tolerance, km
	MinArea float64    // smaller islands are dropped, km²
	Source  string
}

// generate turns a TopoJSON world into the base map file. codes maps ISO
// 3166-1 numeric codes (world-atlas's ids) to alpha-2; names maps a few
// Natural Earth names without a numeric id (Kosovo) to alpha-2. The output
// depends only on its inputs, so a re-run on the same package is a no-op.
func generate(topo []byte, codes, names map[string]string, p params) ([]byte, error) {
	lonlat, countries, err := decodeTopology(topo, p.Object)
	if err != nil {
		return nil, err
	}
	proj := mapgeo.NewProjection()
	clip := mapgeo.Box{MinX: p.Box.MinX - p.Margin, MinY: p.Box.MinY - p.Margin,
		MaxX: p.Box.MaxX + p.Margin, MaxY: p.Box.MaxY + p.Margin}
	arcs := make([][]pt, len(lonlat))
	for i, a := range lonlat {
		xy := make([]pt, len(a))
		for j, q := range a {
			x, y := proj.Forward(q[0], q[1])
			xy[j] = pt{x, y}
		}
		arcs[i] = simplify(xy, p.Tol)
	}
	users := make([]map[int]bool, len(arcs))
	out := mapgeo.File{Source: p.Source, Box: [4]float64{p.Box.MinX, p.Box.MinY, p.Box.MaxX, p.Box.MaxY}}
	for ci, c := range countries {
		var d strings.Builder
		bb := mapgeo.BBox{West: 180, South: 90, East: -180, North: -90}
		for _, poly := range c.Polygons {
			for _, ring := range poly {
				for _, a := range ring {
					i := arcIndex(a)
					if users[i] == nil {
						users[i] = map[int]bool{}
					}
					users[i][ci] = true
				}
				r := round(clipRing(assemble(arcs, ring), clip))
				if len(r) > 1 && r[0] == r[len(r)-1] {
					r = r[:len(r)-1]
				}
				if len(r) < 3 || math.Abs(area(r)) < p.MinArea {
					continue
				}
				writeRing(&d, r)
				for _, q := range r {
					if lon, lat, ok := proj.Inverse(q[0], q[1]); ok {
						bb.West, bb.East = min(bb.West, lon), max(bb.East, lon)
						bb.South, bb.North = min(bb.South, lat), max(bb.North, lat)
					}
				}
			}
		}
		if d.Len() == 0 {
			continue
		}
		id := codes[c.ID]
		if id == "" {
			id = names[c.Name]
		}
		out.Countries = append(out.Countries, mapgeo.FileCountry{ID: id, Name: c.Name, D: d.String(),
			BBox: [4]float64{floor2(bb.West), floor2(bb.South), ceil2(bb.East), ceil2(bb.North)}})
	}
	sort.SliceStable(out.Countries, func(i, j int) bool { return out.Countries[i].Name < out.Countries[j].Name })
	for i, a := range arcs {
		if len(users[i]) < 2 {
			continue // a coastline: land fill shows it
		}
		var d strings.Builder
		for _, run := range clipLine(a, clip) {
			if run = round(run); len(run) > 1 {
				writeLine(&d, run)
			}
		}
		if d.Len() > 0 {
			out.Borders = append(out.Borders, d.String())
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		return nil, fmt.Errorf("encode map: %w", err)
	}
	return buf.Bytes(), nil
}

func arcIndex(a int) int {
	if a < 0 {
		return ^a
	}
	return a
}

// assemble joins a ring's arcs (TopoJSON §2.2: consecutive arcs share an
// end point, which is written once).
func assemble(arcs [][]pt, ring []int) []pt {
	var r []pt
	for _, a := range ring {
		src := arcs[arcIndex(a)]
		if a < 0 {
			for i := len(src) - 1; i >= 0; i-- {
				if i == len(src)-1 && len(r) > 0 {
					continue
				}
				r = append(r, src[i])
			}
			continue
		}
		for i, q := range src {
			if i == 0 && len(r) > 0 {
				continue
			}
			r = append(r, q)
		}
	}
	return r
}

func writeRing(d *strings.Builder, r []pt) {
	writeLine(d, r)
	d.WriteByte('z')
}

// writeLine writes M with absolute whole kilometres, then one l with
// relative moves: SVG path grammar lets a minus sign separate numbers
// (SVG 1.1 §8.3.9), which keeps the data small.
func writeLine(d *strings.Builder, r []pt) {
	d.WriteString("M" + itoa(r[0][0]) + " " + itoa(r[0][1]) + "l")
	for i := 1; i < len(r); i++ {
		dx, dy := itoa(r[i][0]-r[i-1][0]), itoa(r[i][1]-r[i-1][1])
		if i > 1 && dx[0] != '-' {
			d.WriteByte(' ')
		}
		d.WriteString(dx)
		if dy[0] != '-' {
			d.WriteByte(' ')
		}
		d.WriteString(dy)
	}
}

func itoa(f float64) string { return strconv.Itoa(int(f)) }

func floor2(f float64) float64 { return math.Floor(f*100) / 100 }
func ceil2(f float64) float64  { return math.Ceil(f*100) / 100 }
