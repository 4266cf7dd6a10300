#!/usr/bin/env bash
# binsize.sh: what maillage's binary weighs, what go-fed's generated
# streams package takes of it, and what html/template's method lookup
# costs. Builds as deploy/Containerfile does (-trimpath -ldflags="-s -w"),
# plus an unstripped build to read symbol sizes from, plus, for the
# measurement only, a build where text/template's reflect MethodByName call
# is replaced through -overlay (its templates could no longer call methods:
# never ship it). Usage, from the repository root: scripts/binsize.sh
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

exec_go=$(go env GOROOT)/src/text/template/exec.go
sed 's/ptr\.MethodByName(fieldName)/(reflect.Value{})/' "$exec_go" >"$work/exec.go"
grep -q '(reflect.Value{}); method.IsValid()' "$work/exec.go" || { echo "binsize: text/template changed; update the overlay" >&2; exit 1; }
printf '{"Replace":{"%s":"%s"}}' "$exec_go" "$work/exec.go" >"$work/overlay.json"
go build -overlay "$work/overlay.json" -trimpath -ldflags="-s -w" -o "$work/stripped-noreflect" ./cmd/maillage
go build -overlay "$work/overlay.json" -o "$work/full-noreflect" ./cmd/maillage

printf 'binary (-s -w, as shipped):              %d bytes\n' "$(bytes "$work/stripped")"
printf 'binary with symbols and DWARF:           %d bytes\n' "$(bytes "$work/full")"
printf 'go-fed streams:                          %s\n' "$(streams "$work/full")"
printf 'without template method lookup (-s -w):  %d bytes\n' "$(bytes "$work/stripped-noreflect")"
printf 'go-fed streams without it:               %s\n' "$(streams "$work/full-noreflect")"
