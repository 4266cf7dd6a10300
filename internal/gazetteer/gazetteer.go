package gazetteer

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Place is one populated place.
type Place struct {
	Name       string
	Country    string // ISO 3166-1 alpha-2
	Region     string // first-level division ("Auvergne-Rhône-Alpes"), "" if unknown
	Lat, Lon   float64
	Population int
}

// Gazetteer is an index of places by folded name. Places are numbered by
// rank (largest population first); names and folded names live in two
// large strings so that the index holds few pointers.
type Gazetteer struct {
	names   string
	folded  string
	places  []place
	keys    []key // sorted by folded name, then rank
	regions []string
}

type place struct {
	name     uint32 // offset in names
	nameLen  uint16
	region   uint16 // index in regions; 0 is ""
	lat, lon float32
	pop      uint32
	cc       [2]byte
}

type key struct {
	off  uint32 // offset in folded
	n    uint16
	rank uint32
}

//go:embed data/places.tsv.gz
var europeData []byte

// Limits on what Load accepts, well above the embedded data.
const (
	maxBytes  = 64 << 20
	maxPlaces = 1 << 20
	maxName   = 200
)

// LoadEurope loads the embedded gazetteer.
func LoadEurope() (*Gazetteer, error) {
	zr, err := gzip.NewReader(bytes.NewReader(europeData))
	if err != nil {
		return nil, fmt.Errorf("gazetteer: open data: %w", err)
	}
	return Load(zr)
}

// Load reads a gazetteer file as written by scripts/gen-places: "#"
// comments, region lines "R country code name", then place lines "P name
// country region latitude longitude population" in rank order.
func Load(r io.Reader) (*Gazetteer, error) {
	lr := &io.LimitedReader{R: r, N: maxBytes + 1}
	sc := bufio.NewScanner(lr)
	sc.Buffer(make([]byte, 4096), 4096)
	g := &Gazetteer{regions: []string{""}}
	regionIdx := map[string]uint16{}
	var names, folded strings.Builder
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		f, nf := fields(line)
		switch {
		case f[0] == "R" && nf == 4:
			if len(g.regions) >= math.MaxUint16 {
				return nil, fmt.Errorf("gazetteer: line %d: too many regions", n)
			}
			regionIdx[f[1]+"."+f[2]] = uint16(len(g.regions))
			g.regions = append(g.regions, f[3])
		case f[0] == "P" && nf == 7:
			p, err := parsePlace(f, regionIdx)
			if err != nil {
				return nil, fmt.Errorf("gazetteer: line %d: %w", n, err)
			}
			if len(g.places) >= maxPlaces {
				return nil, fmt.Errorf("gazetteer: more than %d places", maxPlaces)
			}
			fn := nameKey(f[1])
			if fn == "" {
				continue // no letters to search by
			}
			rank := uint32(len(g.places))
			p.name = uint32(names.Len())
			names.WriteString(f[1])
			g.keys = append(g.keys, key{off: uint32(folded.Len()), n: uint16(len(fn)), rank: rank})
			folded.WriteString(fn)
			g.places = append(g.places, p)
		default:
			return nil, fmt.Errorf("gazetteer: line %d: want a P or R record", n)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("gazetteer: read: %w", err)
	}
	if lr.N <= 0 {
		return nil, fmt.Errorf("gazetteer: data larger than %d bytes", maxBytes)
	}
	g.names, g.folded = names.String(), folded.String()
	slices.SortFunc(g.keys, func(a, b key) int {
		if c := strings.Compare(g.key(a), g.key(b)); c != 0 {
			return c
		}
		return int(a.rank) - int(b.rank)
	})
	g.keys = slices.Clip(g.keys)
	g.places = slices.Clip(g.places)
	return g, nil
}

// fields splits a tab-separated line into at most 7 fields without
// allocating; nf is 8 when there are more.
func fields(line string) ([7]string, int) {
	var f [7]string
	nf := 0
	for nf < len(f) {
		var more bool
		f[nf], line, more = strings.Cut(line, "\t")
		nf++
		if !more {
			return f, nf
		}
	}
	return f, nf + 1
}

var errPlace = errors.New("malformed place")

func parsePlace(f [7]string, regions map[string]uint16) (place, error) {
	name, cc := f[1], f[2]
	if len(name) == 0 || len(name) > maxName || len(cc) != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z' {
		return place{}, errPlace
	}
	lat, err1 := strconv.ParseFloat(f[4], 32)
	lon, err2 := strconv.ParseFloat(f[5], 32)
	pop, err3 := strconv.ParseUint(f[6], 10, 32)
	if err1 != nil || err2 != nil || err3 != nil || !(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180) {
		return place{}, errPlace
	}
	p := place{nameLen: uint16(len(name)), lat: float32(lat), lon: float32(lon), pop: uint32(pop), cc: [2]byte{cc[0], cc[1]}}
	if f[3] != "" {
		p.region = regions[cc+"."+f[3]]
	}
	return p, nil
}

func (g *Gazetteer) key(k key) string { return g.folded[k.off : k.off+uint32(k.n)] }

func (g *Gazetteer) place(rank uint32) Place {
	p := g.places[rank]
	return Place{
		Name:       g.names[p.name : p.name+uint32(p.nameLen)],
		Country:    string(p.cc[:]),
		Region:     g.regions[p.region],
		Lat:        round4(p.lat),
		Lon:        round4(p.lon),
		Population: int(p.pop),
	}
}

// round4 undoes float32's noise: the data has 4 decimals.
func round4(f float32) float64 { return math.Round(float64(f)*1e4) / 1e4 }

// Len is the number of places.
func (g *Gazetteer) Len() int { return len(g.places) }
