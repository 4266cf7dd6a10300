package webkit

import (
	"math"
	"strings"

	"codeberg.org/maillage/maillage/internal/gazetteer"
	"codeberg.org/maillage/maillage/internal/model"
)

// Places is the offline gazetteer of European places, loaded on first use
// (a quarter of a second, 3 MB) and shared by the directory's place search
// and the forms' place names.
func (k *Kit) Places() (*gazetteer.Gazetteer, error) { return k.places() }

// FillPlace gives a place typed by name without coordinates those of the
// place the gazetteer finds by that name (in its country when one is
// given), and its country when none was; it reports whether it did. A name
// it does not know, or given coordinates, are left as they are.
func (k *Kit) FillPlace(p *model.Place) bool {
	if p == nil || strings.TrimSpace(p.Name) == "" || p.Latitude != nil || p.Longitude != nil {
		return false
	}
	g, err := k.places()
	if err != nil {
		k.log.Error("load gazetteer", "err", err)
		return false
	}
	found, ok := g.Find(p.Name, p.Country)
	if !ok {
		return false
	}
	// Four decimals (about 10 m) are what the gazetteer holds.
	lat, lon := math.Round(found.Lat*1e4)/1e4, math.Round(found.Lon*1e4)/1e4
	p.Latitude, p.Longitude = &lat, &lon
	if p.Country == "" {
		p.Country = found.Country
	}
	return true
}
