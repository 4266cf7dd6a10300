package directory

import "math"

// earthRadiusKm is the mean Earth radius (IUGG).
const earthRadiusKm = 6371.0088

// DistanceKm is the great-circle distance between a and b (haversine).
func DistanceKm(a, b Point) float64 {
	la, lb := radians(a.Lat), radians(b.Lat)
	return arcKm(haversine(la, math.Cos(la), radians(a.Lon), lb, math.Cos(lb), radians(b.Lon)))
}

// haversine is the haversine of the central angle between two points
// given in radians, with the cosines of their latitudes.
func haversine(lat1, cos1, lon1, lat2, cos2, lon2 float64) float64 {
	sLat := math.Sin((lat2 - lat1) / 2)
	sLon := math.Sin((lon2 - lon1) / 2)
	return sLat*sLat + cos1*cos2*sLon*sLon
}

// arcKm turns a haversine into a distance.
func arcKm(h float64) float64 {
	return 2 * earthRadiusKm * math.Asin(math.Sqrt(min(max(h, 0), 1)))
}

// maxHaversine is the haversine of the central angle of a radius: points
// whose haversine exceeds it are farther.
func maxHaversine(radiusKm float64) float64 {
	s := math.Sin(min(radiusKm/(2*earthRadiusKm), math.Pi/2))
	return s * s
}

func radians(deg float64) float64 { return deg * math.Pi / 180 }

func validPos(lat, lon float64) bool {
	return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180
}
