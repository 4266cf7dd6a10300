// Package mapgeo draws the directory's map without any script or tile
// server: a base map of Europe (land by country, and borders) as SVG path
// data embedded in the binary, the projection that places points on it, and
// the clustering of points into markers that never overlap.
//
// The geometry is Natural Earth's 1:50m admin-0 countries (public domain),
// taken from the npm package world-atlas by scripts/gen-map, projected,
// clipped to Europe and simplified there; see data/README.md. Everything
// here is a pure function of its arguments: Load parses the data once and
// the caller keeps the *Map.
package mapgeo
