package importer

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// geoFeature is a GeoJSON Feature (RFC 7946 section 3.2).
type geoFeature struct {
	Type       text                       `json:"type"`
	ID         *text                      `json:"id"`
	Geometry   *geoGeometry               `json:"geometry"`
	Properties map[string]json.RawMessage `json:"properties"`
}

type geoGeometry struct {
	Type        text            `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

// parseGeoJSON reads a FeatureCollection, streaming its features.
func parseGeoJSON(r io.Reader, b *builder) error {
	const what = "geojson"
	dec := json.NewDecoder(r)
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return jsonError(what, dec, err)
	}
	if tok != json.Delim('{') {
		return fmt.Errorf("importer: %s: %w: want a FeatureCollection object", what, ErrFormat)
	}
	var typ string
	found := false
	ignored := map[string]bool{}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return jsonError(what, dec, err)
		}
		switch key, _ := kt.(string); key {
		case "type":
			if err := dec.Decode(&typ); err != nil {
				return jsonError(what, dec, err)
			}
		case "features":
			if t, err := dec.Token(); err != nil {
				return jsonError(what, dec, err)
			} else if t != json.Delim('[') {
				return fmt.Errorf("importer: %s: %w: \"features\" is not an array", what, ErrFormat)
			}
			err := decodeArray(what, dec, b.opts.Limits.MaxEntries, func(i int, raw json.RawMessage) {
				b.add(geoToRaw(i, raw, ignored))
			})
			if err != nil {
				return err
			}
			found = true
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return jsonError(what, dec, err)
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return jsonError(what, dec, err)
	}
	if typ != "FeatureCollection" || !found {
		return fmt.Errorf("importer: %s: %w: want a FeatureCollection with \"features\"", what, ErrFormat)
	}
	for k := range ignored {
		b.batch.IgnoredFields = append(b.batch.IgnoredFields, k)
	}
	slices.Sort(b.batch.IgnoredFields)
	return expectEnd(what, dec)
}

// maxIgnored bounds the distinct ignored property names remembered.
const maxIgnored = 100

func geoToRaw(i int, data json.RawMessage, ignored map[string]bool) raw {
	r := raw{ref: Ref{Index: i}}
	var f geoFeature
	if err := json.Unmarshal(data, &f); err != nil {
		r.decodeErr = entryError(data, err)
		return r
	}
	if f.Type != "Feature" {
		r.decodeErr = fmt.Sprintf("type %q is not Feature", clip(string(f.Type), 40))
		return r
	}
	names := make([]string, 0, len(f.Properties))
	for k := range f.Properties {
		names = append(names, k)
	}
	slices.Sort(names) // the first of two names for one field wins, the same way each time
	fields, ign := columns(names)
	for _, n := range ign {
		if len(ignored) < maxIgnored {
			ignored[n] = true
		}
	}
	var bad []string
	for j, n := range names {
		if fields[j] == fNone {
			continue
		}
		var l texts
		if err := json.Unmarshal(f.Properties[n], &l); err != nil {
			bad = append(bad, fmt.Sprintf("property %q is not text or a list of text", clip(n, 40)))
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(string(f.Properties[n])), "[") {
			r.set(fields[j], "", l)
		} else if len(l) == 1 {
			r.set(fields[j], l[0], nil)
		}
	}
	if f.ID != nil && strings.TrimSpace(string(*f.ID)) != "" {
		r.id = string(*f.ID)
	}
	if f.Geometry != nil {
		if f.Geometry.Type != "Point" {
			bad = append(bad, fmt.Sprintf("geometry %q is not a Point", clip(string(f.Geometry.Type), 40)))
		} else if lat, lon, err := pointCoords(f.Geometry.Coordinates); err != nil {
			bad = append(bad, err.Error())
		} else {
			r.lat, r.lon = lat, lon
		}
	}
	if len(bad) > 0 {
		r.decodeErr = strings.Join(bad, "; ")
	}
	return r
}

// pointCoords reads a Point's [longitude, latitude(, altitude)] (RFC 7946
// section 3.1.1: longitude first).
func pointCoords(c json.RawMessage) (lat, lon string, err error) {
	var pos []json.Number
	if err := json.Unmarshal(c, &pos); err != nil || len(pos) < 2 || len(pos) > 3 {
		return "", "", fmt.Errorf("point coordinates are not [longitude, latitude]")
	}
	for _, p := range pos[:2] {
		if _, err := strconv.ParseFloat(string(p), 64); err != nil {
			return "", "", fmt.Errorf("point coordinates are not numbers")
		}
	}
	return string(pos[1]), string(pos[0]), nil
}
