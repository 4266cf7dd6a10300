package feeds

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"codeberg.org/maillage/maillage/internal/directory"
)

// GeoJSON writes a FeatureCollection (RFC 7946) with one Point feature per
// entry that has a position; entries without one are skipped. Coordinates
// are [longitude, latitude], in that order (RFC 7946 section 3.1.1). The
// deadline is an RFC 3339 timestamp in UTC. Text properties have
// e-mail-looking substrings replaced, and URLs that contain an address are
// left out. The output is streamed, one feature per line.
func GeoJSON(w io.Writer, entries []directory.Entry) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString(`{"type":"FeatureCollection","features":[`); err != nil {
		return fmt.Errorf("feeds: geojson: %w", err)
	}
	enc := json.NewEncoder(bw)
	sep := "\n"
	for _, e := range entries {
		f, ok := entryToFeature(e)
		if !ok {
			continue
		}
		if _, err := bw.WriteString(sep); err != nil {
			return fmt.Errorf("feeds: geojson: %w", err)
		}
		if err := enc.Encode(f); err != nil { // Encode ends the feature with a newline
			return fmt.Errorf("feeds: geojson: encode %s: %w", e.ID, err)
		}
		sep = ","
	}
	if _, err := bw.WriteString("]}\n"); err != nil {
		return fmt.Errorf("feeds: geojson: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("feeds: geojson: %w", err)
	}
	return nil
}

type geoFeature struct {
	Type       string      `json:"type"` // Feature
	ID         string      `json:"id,omitempty"`
	Geometry   geoPoint    `json:"geometry"`
	Properties geoProperty `json:"properties"`
}

type geoPoint struct {
	Type        string     `json:"type"`        // Point
	Coordinates [2]float64 `json:"coordinates"` // lon, lat
}

type geoProperty struct {
	ID       string   `json:"id,omitempty"`
	URL      string   `json:"url,omitempty"`
	Kind     string   `json:"kind"`
	Title    string   `json:"title"`
	Org      string   `json:"org"`    // display name
	OrgID    string   `json:"org_id"` // IRI
	Country  string   `json:"country,omitempty"`
	Sectors  []string `json:"sectors"`
	Status   string   `json:"status,omitempty"`
	Deadline string   `json:"deadline,omitempty"`
	// An organisation listed from an imported map: the map, the entry's
	// page and id there, and the licence of its data.
	ListedBy    string `json:"listed_by,omitempty"`
	ListedByURL string `json:"listed_by_url,omitempty"`
	ListedByID  string `json:"listed_by_id,omitempty"`
	Licence     string `json:"licence,omitempty"`
}

func entryToFeature(e directory.Entry) (geoFeature, bool) {
	lat, lon, ok := coords(e)
	if !ok {
		return geoFeature{}, false
	}
	p := geoProperty{
		ID:      scrubURL(e.ID),
		URL:     scrubURL(e.URL),
		Kind:    scrubText(string(e.Kind)),
		Title:   scrubText(e.Title),
		Org:     scrubText(e.OrgName),
		OrgID:   scrubURL(e.Org),
		Country: scrubText(e.Country),
		Sectors: make([]string, len(e.Sectors)),
		Status:  scrubText(e.Status),
	}
	for i, s := range e.Sectors {
		p.Sectors[i] = scrubText(s)
	}
	if e.Deadline != nil {
		p.Deadline = e.Deadline.UTC().Format(time.RFC3339)
	}
	if pv := e.Provenance; pv != nil {
		p.ListedBy, p.ListedByURL = scrubText(pv.Source), scrubURL(pv.SourceURL)
		p.ListedByID, p.Licence = scrubText(pv.SourceID), scrubText(pv.Licence)
	}
	return geoFeature{
		Type:       "Feature",
		ID:         p.ID,
		Geometry:   geoPoint{Type: "Point", Coordinates: [2]float64{lon, lat}},
		Properties: p,
	}, true
}
