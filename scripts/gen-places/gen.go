package main

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// europe lists the countries kept: the EU, EFTA and EEA states, the United
// Kingdom and its Crown Dependencies, the Western Balkans, Ukraine,
// Moldova, Belarus, the microstates, and the Faroe and Åland Islands.
// Russia and Turkey, mostly outside the map, are left out.
var europe = strings.Fields(`AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR
	HR HU IE IM IS IT JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS SE SI SK SM UA VA XK`)

// keptCodes are the GeoNames feature codes of places people live in
// (www.geonames.org/export/codes.html); sections of a city (PPLX),
// historical (PPLH), abandoned (PPLQ) and destroyed (PPLW) places are not.
var keptCodes = map[string]bool{"PPL": true, "PPLA": true, "PPLA2": true, "PPLA3": true, "PPLA4": true,
	"PPLA5": true, "PPLC": true, "PPLF": true, "PPLG": true, "PPLL": true, "PPLR": true, "PPLS": true, "STLMT": true}

type config struct {
	MinPop    int
	Countries []string
	Source    string
}

type row struct {
	id, pop         int
	name, cc, admin string
	lat, lon        string
}

// generate reads dump.js's lines and writes the gazetteer file: a header,
// the regions that places refer to ("R", country, code, name), then the
// places ("P", name, country, region code, latitude, longitude,
// population) by population, largest first, ties by name and GeoNames id.
func generate(r io.Reader, w io.Writer, c config) error {
	keep := map[string]bool{}
	for _, cc := range c.Countries {
		keep[cc] = true
	}
	var rows []row
	regions := map[string]string{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		f := strings.Split(sc.Text(), "\t")
		switch {
		case len(f) == 3 && f[0] == "R":
			regions[f[1]] = f[2]
		case len(f) == 9 && f[0] == "P":
			id, err1 := strconv.Atoi(f[1])
			pop, err2 := strconv.Atoi(f[6])
			lat, err3 := coord(f[7], 90)
			lon, err4 := coord(f[8], 180)
			if err := cmp.Or(err1, err2, err3, err4); err != nil {
				return fmt.Errorf("line %d: %w", n, err)
			}
			if keep[f[3]] && keptCodes[f[4]] && pop >= c.MinPop && strings.TrimSpace(f[2]) != "" {
				rows = append(rows, row{id: id, pop: pop, name: strings.TrimSpace(f[2]), cc: f[3], admin: f[5], lat: lat, lon: lon})
			}
		case sc.Text() == "":
		default:
			return fmt.Errorf("line %d: want a P or R record", n)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	slices.SortFunc(rows, func(a, b row) int {
		return cmp.Or(b.pop-a.pop, strings.Compare(a.name, b.name), a.id-b.id)
	})
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# European places with at least %d inhabitants, %d places.\n", c.MinPop, len(rows))
	fmt.Fprintf(bw, "# Source: %s. Licence: CC BY 4.0, https://creativecommons.org/licenses/by/4.0/\n", c.Source)
	used := map[string]bool{}
	for _, r := range rows {
		used[r.cc+"."+r.admin] = true
	}
	var codes []string
	for code := range used {
		if regions[code] != "" {
			codes = append(codes, code)
		}
	}
	slices.Sort(codes)
	for _, code := range codes {
		cc, admin, _ := strings.Cut(code, ".")
		fmt.Fprintf(bw, "R\t%s\t%s\t%s\n", cc, admin, regions[code])
	}
	for _, r := range rows {
		admin := r.admin
		if regions[r.cc+"."+admin] == "" {
			admin = ""
		}
		fmt.Fprintf(bw, "P\t%s\t%s\t%s\t%s\t%s\t%d\n", r.name, r.cc, admin, r.lat, r.lon, r.pop)
	}
	return bw.Flush()
}

// coord checks a coordinate and rounds it to 4 decimals (about 11 m).
func coord(s string, limit float64) (string, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < -limit || f > limit {
		return "", fmt.Errorf("bad coordinate %q", s)
	}
	return strconv.FormatFloat(f, 'f', 4, 64), nil
}
