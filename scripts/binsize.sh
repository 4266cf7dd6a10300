#!/usr/bin/env bash
# binsize.sh: what maillage's binary weighs, what go-fed's generated
# streams package takes of it, and whether the linker keeps every exported
# method. Builds as deploy/Containerfile does (-trimpath -ldflags="-s -w"),
# plus an unstripped build to read symbol sizes from. A reachable function
# marked ReflectMethod (one that calls reflect's Method or MethodByName
# with a name the linker cannot see, as the standard text/template does)
# makes the linker keep every exported method of every type converted to
# an interface (cmd/link/internal/ld/deadcode.go): 12 MB here, which is why
# the pages use the copy in internal/web/webkit/tmpl. -dumpdep marks such
# functions <ReflectMethod>. Usage, from the repository root:
# scripts/binsize.sh
set -euo pipefail

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# streams sums the sizes of go-fed streams symbols in the file (not BSS).
streams() {
	go tool nm -size "$1" | awk '$4 ~ /go-fed\/activity\/streams/ && $3 != "B" && $3 != "b" {s += $2; n++}
		END {printf "%.1f MB in %d symbols", s / 1e6, n}'
}
bytes() { stat -c %s "$1"; }

go build -trimpath -ldflags="-s -w" -o "$work/stripped" ./cmd/maillage
go build -o "$work/full" ./cmd/maillage
# The dependency dump is large (every edge the linker follows): only the
# functions marked ReflectMethod are kept.
# Its lines read "from -> to", each name followed by its flags.
go build -ldflags=-dumpdep -o "$work/dumpdep" ./cmd/maillage 2>&1 |
	awk -F' -> ' '{for (i = 1; i <= NF; i++) if ($i ~ / <ReflectMethod>/) {sub(/ <.*/, "", $i); print $i}}' |
	sort -u >"$work/reflect"

printf 'binary (-s -w, as shipped):              %d bytes\n' "$(bytes "$work/stripped")"
printf 'binary with symbols and DWARF:           %d bytes\n' "$(bytes "$work/full")"
printf 'go-fed streams:                          %s\n' "$(streams "$work/full")"
if [ -s "$work/reflect" ]; then
	printf 'reachable ReflectMethod functions (every exported method kept):\n'
	sed 's/^/  /' "$work/reflect"
else
	printf 'reachable ReflectMethod functions:       none (unused methods dropped)\n'
fi
