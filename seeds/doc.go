// Package seeds holds maillage's example data as data files, and the small
// loader that parses them into the service's input types, so that seeded
// content passes the same validation as a form. Tests use the same data
// sets as named fixtures.
//
// examples.json and profiles.json are invented fixtures. network.json
// describes the demo network (`maillage demo`): real European
// social-economy organisations with only sourced facts in their profiles
// (name, country, city, legal form, sector, website, founding year), each
// with two or three invented example projects and calls. Every invented
// title starts with "EXAMPLE:", and Network adds a notice to every text.
package seeds
