package matching

import "math"

// earthRadiusKm is the mean Earth radius (IUGG), as in internal/directory.
const earthRadiusKm = 6371.0088

// distanceKm is the great-circle distance between two points in degrees
// (haversine). Interests.Matches and Index.Match both decide with it, so
// they agree to the last bit at the edge of a circle.
func distanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	p1, p2 := radians(lat1), radians(lat2)
	sLat := math.Sin((p2 - p1) / 2)
	sLon := math.Sin(radians(lon2-lon1) / 2)
	h := sLat*sLat + math.Cos(p1)*math.Cos(p2)*sLon*sLon
	return 2 * earthRadiusKm * math.Asin(math.Sqrt(min(max(h, 0), 1)))
}

func radians(deg float64) float64 { return deg * math.Pi / 180 }

func degrees(rad float64) float64 { return rad * 180 / math.Pi }

// boxMarginDeg widens bounding boxes so that rounding never drops a point
// that the haversine would keep (0.01° is about a kilometre).
const boxMarginDeg = 0.01

// box is a conservative bounding box of a circle: every point within the
// radius has |lat-centre| <= dLat and a longitude difference (modulo 360)
// of at most dLon. dLon >= 180 means any longitude.
type box struct {
	lat, lon   float64
	dLat, dLon float64
}

// boxOf bounds the circle p (Matuschek's spherical bounding box). p must
// have a valid point and a finite, non-negative radius.
func boxOf(p Place) box {
	r := p.RadiusKm / earthRadiusKm // angular radius
	b := box{lat: p.Lat, lon: p.Lon, dLat: degrees(r) + boxMarginDeg, dLon: 360}
	lat := radians(p.Lat)
	if r < math.Pi/2 && math.Abs(lat)+r < math.Pi/2 {
		if s := math.Sin(r) / math.Cos(lat); s < 1 {
			b.dLon = degrees(math.Asin(s)) + boxMarginDeg
		}
	}
	return b
}

// contains reports whether the point may be within the circle.
func (b *box) contains(lat, lon float64) bool {
	if math.Abs(lat-b.lat) > b.dLat {
		return false
	}
	if b.dLon >= 180 {
		return true
	}
	d := math.Abs(lon - b.lon) // 0..360
	return min(d, 360-d) <= b.dLon
}
