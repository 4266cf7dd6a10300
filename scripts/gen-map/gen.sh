#!/bin/sh
# Regenerates internal/mapgeo/data/europe.json (see its README.md). Needs npm
# and Go; the build itself needs neither npm nor the network.
set -eu
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npm install --prefix "$tmp" --no-save --no-audit --no-fund --ignore-scripts \
	world-atlas@2.0.2 i18n-iso-countries@7.14.0 >/dev/null
topo="$tmp/node_modules/world-atlas/countries-50m.json"
sum=$(sha256sum "$topo" | cut -c1-16)
go run ./scripts/gen-map -topo "$topo" \
	-codes "$tmp/node_modules/i18n-iso-countries/codes.json" \
	-source "Natural Earth 1:50m admin 0 countries (public domain), npm world-atlas@2.0.2 countries-50m.json sha256:$sum; ISO codes from npm i18n-iso-countries@7.14.0; scripts/gen-map -tol 2 -min-area 40" \
	-tol 2 -min-area 40 \
	-out internal/mapgeo/data/europe.json
echo "wrote internal/mapgeo/data/europe.json"
