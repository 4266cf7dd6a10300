package mapgeo

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
)

// Map is the base map: land by country and the borders between countries,
// as SVG path data in the projection's coordinates. A Map is read-only once
// loaded and safe for concurrent use.
type Map struct {
	Proj      Projection
	Box       Box // extent of the data, the viewBox of the whole map
	Countries []Country
	Borders   []Line
	Source    string // provenance of the data, for the attribution
}

// Country is one country's land, clipped to the map's box.
type Country struct {
	ID   string // ISO 3166-1 alpha-2, "" for a territory without one
	Name string // English name from Natural Earth
	D    string // SVG path data: absolute M, then relative l, z
	Box  Box    // of D, for culling in zoomed views
	BBox BBox   // geographic extent of D, to zoom into the country
}

// Line is a run of borders, as SVG path data.
type Line struct {
	D   string
	Box Box
}

// File is the JSON layout of data/europe.json: scripts/gen-map writes it,
// Load reads it, so the layout is defined here once.
type File struct {
	Source    string        `json:"source"`
	Box       [4]float64    `json:"box"`
	Countries []FileCountry `json:"countries"`
	Borders   []string      `json:"borders"`
}

// FileCountry is one country of a File.
type FileCountry struct {
	ID   string     `json:"id"`
	Name string     `json:"name"`
	BBox [4]float64 `json:"bbox"`
	D    string     `json:"d"`
}

//go:embed data/europe.json
var europeJSON []byte

// maxData bounds what Load reads: the embedded file is well under it.
const maxData = 4 << 20

// LoadEurope parses the embedded base map of Europe.
func LoadEurope() (*Map, error) { return Load(bytes.NewReader(europeJSON)) }

// Load parses a base map written by scripts/gen-map, checking every path.
func Load(r io.Reader) (*Map, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxData+1))
	if err != nil {
		return nil, fmt.Errorf("mapgeo: read map: %w", err)
	}
	if len(data) > maxData {
		return nil, errors.New("mapgeo: map data larger than 4 MiB")
	}
	var f File
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("mapgeo: decode map: %w", err)
	}
	m := &Map{Proj: NewProjection(), Source: f.Source,
		Box: Box{MinX: f.Box[0], MinY: f.Box[1], MaxX: f.Box[2], MaxY: f.Box[3]}}
	if m.Box.IsEmpty() {
		return nil, errors.New("mapgeo: map box is empty")
	}
	for _, c := range f.Countries {
		b, err := pathBox(c.D)
		if err != nil {
			return nil, fmt.Errorf("mapgeo: country %q: %w", c.Name, err)
		}
		m.Countries = append(m.Countries, Country{ID: c.ID, Name: c.Name, D: c.D, Box: b,
			BBox: BBox{West: c.BBox[0], South: c.BBox[1], East: c.BBox[2], North: c.BBox[3]}})
	}
	for i, d := range f.Borders {
		b, err := pathBox(d)
		if err != nil {
			return nil, fmt.Errorf("mapgeo: border %d: %w", i, err)
		}
		m.Borders = append(m.Borders, Line{D: d, Box: b})
	}
	return m, nil
}

// Country returns the country with ISO code id.
func (m *Map) Country(id string) (Country, bool) {
	for _, c := range m.Countries {
		if c.ID == id && id != "" {
			return c, true
		}
	}
	return Country{}, false
}

// PathBytes is the size of all path data, which the page carries when the
// whole map is shown.
func (m *Map) PathBytes() int {
	n := 0
	for _, c := range m.Countries {
		n += len(c.D)
	}
	for _, l := range m.Borders {
		n += len(l.D)
	}
	return n
}

var errPath = errors.New("malformed path data")

// pathBox checks path data in the generator's restricted syntax (M x y,
// then l with pairs of relative integers, z) and returns its bounding box.
func pathBox(d string) (Box, error) {
	b := Box{MinX: math.Inf(1), MinY: math.Inf(1), MaxX: math.Inf(-1), MaxY: math.Inf(-1)}
	var x, y float64
	var nums []float64
	var cmd byte
	flush := func() error {
		if len(nums)%2 != 0 || (cmd == 'M' && len(nums) != 2) || (cmd == 'z' && len(nums) != 0) {
			return errPath
		}
		for i := 0; i < len(nums); i += 2 {
			if cmd == 'M' {
				x, y = nums[i], nums[i+1]
			} else {
				x, y = x+nums[i], y+nums[i+1]
			}
			b.MinX, b.MaxX = min(b.MinX, x), max(b.MaxX, x)
			b.MinY, b.MaxY = min(b.MinY, y), max(b.MaxY, y)
		}
		nums = nums[:0]
		return nil
	}
	for i := 0; i < len(d); {
		switch c := d[i]; {
		case c == 'M' || c == 'l' || c == 'z':
			if (c == 'l' && cmd == 0) || flush() != nil {
				return Box{}, errPath
			}
			cmd = c
			i++
		case c == ' ' || c == ',':
			i++
		case c == '-' || (c >= '0' && c <= '9'):
			j := i + 1
			for j < len(d) && d[j] >= '0' && d[j] <= '9' {
				j++
			}
			if j-i > 8 || d[j-1] == '-' || cmd == 0 {
				return Box{}, errPath
			}
			n := 0.0
			for _, r := range d[i:j] {
				if r != '-' {
					n = n*10 + float64(r-'0')
				}
			}
			if c == '-' {
				n = -n
			}
			nums = append(nums, n)
			i = j
		default:
			return Box{}, errPath
		}
	}
	if flush() != nil || math.IsInf(b.MinX, 1) {
		return Box{}, errPath
	}
	return b, nil
}
