package main

import (
	"encoding/json"
	"errors"
	"fmt"
)

// topology is the part of a TopoJSON document (TopoJSON Format
// Specification 1.0, github.com/topojson/topojson-specification) that the
// generator reads: quantized, delta-encoded arcs and the countries object.
type topology struct {
	Type      string `json:"type"`
	Transform *struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][2]float64 `json:"arcs"`
	Objects map[string]struct {
		Geometries []geometry `json:"geometries"`
	} `json:"objects"`
}

type geometry struct {
	Type       string          `json:"type"`
	ID         string          `json:"id"`
	Arcs       json.RawMessage `json:"arcs"`
	Properties struct {
		Name string `json:"name"`
	} `json:"properties"`
}

// country is one geometry with its polygons as lists of rings, each ring
// a list of arc references (~i is arc i reversed).
type country struct {
	ID, Name string
	Polygons [][][]int
}

// decodeTopology returns the arcs in longitude/latitude and the countries.
func decodeTopology(data []byte, object string) ([][][2]float64, []country, error) {
	var t topology
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, nil, fmt.Errorf("decode topology: %w", err)
	}
	if t.Type != "Topology" {
		return nil, nil, errors.New("not a TopoJSON topology")
	}
	arcs := make([][][2]float64, len(t.Arcs))
	for i, a := range t.Arcs {
		var x, y float64
		arcs[i] = make([][2]float64, len(a))
		for j, p := range a {
			if t.Transform == nil {
				arcs[i][j] = p
				continue
			}
			x, y = x+p[0], y+p[1] // §2.1.3: delta-encoded positions
			arcs[i][j] = [2]float64{x*t.Transform.Scale[0] + t.Transform.Translate[0],
				y*t.Transform.Scale[1] + t.Transform.Translate[1]}
		}
	}
	obj, ok := t.Objects[object]
	if !ok {
		return nil, nil, fmt.Errorf("no object %q in topology", object)
	}
	var out []country
	for _, g := range obj.Geometries {
		c := country{ID: g.ID, Name: g.Properties.Name}
		switch g.Type {
		case "Polygon":
			var p [][]int
			if err := json.Unmarshal(g.Arcs, &p); err != nil {
				return nil, nil, fmt.Errorf("%s: %w", g.Properties.Name, err)
			}
			c.Polygons = [][][]int{p}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &c.Polygons); err != nil {
				return nil, nil, fmt.Errorf("%s: %w", g.Properties.Name, err)
			}
		default:
			continue
		}
		for _, p := range c.Polygons {
			for _, r := range p {
				for _, a := range r {
					if a < -len(arcs) || a >= len(arcs) {
						return nil, nil, fmt.Errorf("%s: arc %d out of range", c.Name, a)
					}
				}
			}
		}
		out = append(out, c)
	}
	return arcs, out, nil
}
