// Package gazetteer finds European places by name, offline: "Lyon" gives
// Lyon, France, with its coordinates, so that people search "near Lyon,
// 50 km" instead of typing coordinates, and forms can suggest a place's
// position.
//
// The data is GeoNames' places of 1,000 inhabitants or more in European
// countries (CC BY 4.0: pages that use it must credit GeoNames), built by
// scripts/gen-places and embedded compressed; see data/README.md. A loaded
// Gazetteer is read-only and safe for concurrent use; the caller loads it
// once and keeps it.
package gazetteer
