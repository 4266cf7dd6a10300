package importer

import (
	"strings"

	"codeberg.org/maillage/maillage/internal/fold"
	"codeberg.org/maillage/maillage/internal/model"
)

// countryNames are country names found instead of codes in the field's
// maps, folded (see fold).
var countryNames = map[string]string{
	"france": "FR", "belgique": "BE", "belgium": "BE", "belgie": "BE", "suisse": "CH", "switzerland": "CH",
	"schweiz": "CH", "svizzera": "CH", "luxembourg": "LU", "deutschland": "DE", "germany": "DE",
	"allemagne": "DE", "espana": "ES", "spain": "ES", "espagne": "ES", "italia": "IT", "italy": "IT",
	"italie": "IT", "nederland": "NL", "netherlands": "NL", "pays-bas": "NL", "portugal": "PT",
	"osterreich": "AT", "austria": "AT", "autriche": "AT", "monaco": "MC", "andorra": "AD", "andorre": "AD",
	"united kingdom": "GB", "royaume-uni": "GB", "ireland": "IE", "irlande": "IE", "greece": "GR",
	"grece": "GR", "polska": "PL", "poland": "PL", "pologne": "PL",
}

// normalCountry returns the ISO code for v (a code in any case, "UK", or a
// name from countryNames), or "".
func normalCountry(v string) string {
	v = strings.TrimSpace(v)
	if len(v) == 2 {
		c := strings.ToUpper(v)
		if c == "UK" {
			return "GB"
		}
		if model.IsCountryCode(c) {
			return c
		}
		return ""
	}
	return countryNames[fold.String(v)]
}

// box is a latitude/longitude rectangle in degrees.
type box struct{ minLat, maxLat, minLon, maxLon float64 }

// boxPad widens every box, so that coastal and border places are never
// refused for a rounded outline.
const boxPad = 0.3

func (b box) has(lat, lon float64) bool {
	return lat >= b.minLat-boxPad && lat <= b.maxLat+boxPad && lon >= b.minLon-boxPad && lon <= b.maxLon+boxPad
}

// countryBoxes are rough outlines of European countries (and France's and
// Spain's and Portugal's territories overseas, which their maps list under
// the same code), from their extreme points. They only catch swapped or
// misplaced coordinates; a country without boxes gets range checks only.
var countryBoxes = map[string][]box{
	"AD": {{42.42, 42.66, 1.41, 1.79}},
	"AL": {{39.64, 42.66, 19.26, 21.06}},
	"AT": {{46.37, 49.02, 9.53, 17.16}},
	"BA": {{42.55, 45.28, 15.72, 19.62}},
	"BE": {{49.49, 51.51, 2.54, 6.41}},
	"BG": {{41.23, 44.22, 22.36, 28.61}},
	"CH": {{45.82, 47.81, 5.96, 10.49}},
	"CY": {{34.56, 35.70, 32.27, 34.60}},
	"CZ": {{48.55, 51.06, 12.09, 18.86}},
	"DE": {{47.27, 55.06, 5.87, 15.04}},
	"DK": {{54.56, 57.75, 8.07, 15.20}},
	"EE": {{57.51, 59.68, 21.76, 28.21}},
	"ES": {{35.90, 43.79, -9.30, 4.33}, {27.64, 29.42, -18.17, -13.42}, {35.17, 35.92, -5.38, -2.92}},
	"FI": {{59.81, 70.09, 20.55, 31.59}},
	"FR": {
		{41.33, 51.09, -5.15, 9.57},        // metropolitan France and Corsica
		{15.83, 16.52, -61.81, -61.0},      // Guadeloupe
		{14.39, 14.88, -61.23, -60.81},     // Martinique
		{2.11, 5.75, -54.60, -51.61},       // Guyane
		{-21.39, -20.87, 55.21, 55.84},     // La Réunion
		{-13.0, -12.64, 45.01, 45.30},      // Mayotte
		{46.75, 47.15, -56.42, -56.12},     // Saint-Pierre-et-Miquelon
		{17.87, 18.13, -63.16, -62.78},     // Saint-Barthélemy, Saint-Martin
		{-22.70, -19.50, 163.50, 168.20},   // Nouvelle-Calédonie
		{-27.70, -7.80, -154.80, -134.40},  // Polynésie française
		{-14.40, -13.20, -178.20, -176.10}, // Wallis-et-Futuna
	},
	"GB": {{49.86, 60.86, -8.65, 1.77}},
	"GR": {{34.80, 41.75, 19.37, 29.65}},
	"HR": {{42.39, 46.56, 13.49, 19.45}},
	"HU": {{45.74, 48.59, 16.11, 22.90}},
	"IE": {{51.42, 55.39, -10.67, -5.99}},
	"IS": {{63.29, 66.57, -24.55, -13.49}},
	"IT": {{35.49, 47.09, 6.63, 18.52}},
	"LI": {{47.05, 47.27, 9.47, 9.64}},
	"LT": {{53.90, 56.45, 20.94, 26.84}},
	"LU": {{49.45, 50.18, 5.73, 6.53}},
	"LV": {{55.67, 58.09, 20.97, 28.24}},
	"MC": {{43.72, 43.76, 7.40, 7.44}},
	"MD": {{45.46, 48.49, 26.62, 30.14}},
	"ME": {{41.85, 43.56, 18.43, 20.36}},
	"MK": {{40.85, 42.37, 20.45, 23.04}},
	"MT": {{35.78, 36.08, 14.18, 14.58}},
	"NL": {{50.75, 53.56, 3.36, 7.23}},
	"NO": {{57.97, 71.19, 4.50, 31.17}},
	"PL": {{49.00, 54.84, 14.12, 24.15}},
	"PT": {{36.96, 42.15, -9.53, -6.19}, {36.90, 39.80, -31.30, -24.90}, {32.40, 33.15, -17.30, -16.20}},
	"RO": {{43.62, 48.27, 20.26, 29.76}},
	"RS": {{42.23, 46.19, 18.81, 23.01}},
	"SE": {{55.34, 69.06, 10.96, 24.17}},
	"SI": {{45.42, 46.88, 13.38, 16.61}},
	"SK": {{47.73, 49.61, 16.83, 22.57}},
	"SM": {{43.89, 43.99, 12.40, 12.52}},
	"UA": {{44.38, 52.38, 22.14, 40.23}},
	"VA": {{41.90, 41.91, 12.44, 12.46}},
	"XK": {{41.85, 43.27, 20.01, 21.80}},
}

// inCountry reports whether the point is inside one of country's boxes;
// known is false when the country has none.
func inCountry(country string, lat, lon float64) (in, known bool) {
	boxes, ok := countryBoxes[country]
	if !ok {
		return false, false
	}
	for _, b := range boxes {
		if b.has(lat, lon) {
			return true, true
		}
	}
	return false, true
}
