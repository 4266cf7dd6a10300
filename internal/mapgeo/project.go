package mapgeo

import "math"

// Projection is a spherical Lambert azimuthal equal-area projection centred
// on 52°N 10°E with EPSG:3035's false origin, in kilometres, with y pointing
// down as in SVG. EPSG:3035 is the projection Eurostat and the EEA use for
// pan-European maps: areas are true, so dense and sparse regions compare
// fairly, and the shapes stay good over the whole continent. The sphere
// (authalic radius) instead of the GRS80 ellipsoid moves points by less
// than a kilometre at this scale, which a 1:50m base map cannot show.
//
// Formulas: Snyder, Map Projections: A Working Manual (USGS PP 1395, 1987),
// pp. 185-187.
type Projection struct {
	sinLat0, cosLat0, lon0 float64
}

const (
	radiusKm = 6371.0072 // authalic radius of GRS80
	falseE   = 4321.0    // EPSG:3035 false easting, km
	falseN   = 3210.0    // EPSG:3035 false northing, km
	lat0Deg  = 52.0
	lon0Deg  = 10.0
)

// NewProjection returns the projection of the embedded map.
func NewProjection() Projection {
	s, c := math.Sincos(radians(lat0Deg))
	return Projection{sinLat0: s, cosLat0: c, lon0: radians(lon0Deg)}
}

// Forward projects a longitude and latitude in degrees to x (easting) and
// y (minus northing) in kilometres, in the coordinates of the map's
// viewBox. Every point but the antipode of the centre has an image.
func (p Projection) Forward(lon, lat float64) (x, y float64) {
	sinLat, cosLat := math.Sincos(radians(lat))
	sinDL, cosDL := math.Sincos(radians(lon) - p.lon0)
	d := 1 + p.sinLat0*sinLat + p.cosLat0*cosLat*cosDL
	if d < 1e-12 {
		d = 1e-12 // the antipode: put it on the rim
	}
	k := math.Sqrt(2 / d)
	e := radiusKm * k * cosLat * sinDL
	n := radiusKm * k * (p.cosLat0*sinLat - p.sinLat0*cosLat*cosDL)
	return falseE + e, -(falseN + n)
}

// Inverse is Forward's inverse. It reports false for a point outside the
// projection's disc (farther than two radii from the centre).
func (p Projection) Inverse(x, y float64) (lon, lat float64, ok bool) {
	e, n := x-falseE, -y-falseN
	rho := math.Hypot(e, n)
	if rho == 0 {
		return lon0Deg, lat0Deg, true
	}
	if rho > 2*radiusKm || math.IsNaN(rho) {
		return 0, 0, false
	}
	c := 2 * math.Asin(rho/(2*radiusKm))
	sinC, cosC := math.Sincos(c)
	latR := math.Asin(cosC*p.sinLat0 + n*sinC*p.cosLat0/rho)
	lonR := p.lon0 + math.Atan2(e*sinC, rho*p.cosLat0*cosC-n*p.sinLat0*sinC)
	lon = math.Remainder(degrees(lonR), 360)
	return lon, degrees(latR), true
}

func radians(d float64) float64 { return d * math.Pi / 180 }
func degrees(r float64) float64 { return r * 180 / math.Pi }
