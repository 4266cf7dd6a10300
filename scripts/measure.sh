#!/usr/bin/env bash
# measure.sh: how long maillage takes from exec to the first 200 of /healthz,
# and its resident memory (VmRSS) when idle 2 s later; first on an empty data
# directory (which creates the store and RSA keys), then on a restart.
# Linux only (/proc). Usage, from the repository root:
#   scripts/measure.sh [HOST:PORT]      (default 127.0.0.89:18089, loopback)
set -euo pipefail

addr=${1:-127.0.0.89:18089}
host=${addr%:*}
port=${addr##*:}
work=$(mktemp -d)
pid=
cleanup() {
	if [[ -n $pid ]]; then kill "$pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/maillage" ./cmd/maillage

# healthy answers whether GET /healthz returns 200, over bash's /dev/tcp:
# no process is started per poll, so the poll costs well under a millisecond.
healthy() {
	local status
	{ exec 3<>"/dev/tcp/$host/$port"; } 2>/dev/null || return 1
	printf 'GET /healthz HTTP/1.0\r\nHost: %s\r\n\r\n' "$addr" >&3
	read -r -t 2 _ status _ <&3 || status=
	exec 3<&- 3>&-
	[[ $status == 200 ]]
}

if healthy; then
	echo "something already answers on $addr" >&2
	exit 1
fi

measure() {
	local label=$1 start end ms rss
	start=$EPOCHREALTIME
	"$work/maillage" serve -data "$work/data" -listen "$addr" -base-url "http://$addr" \
		-log-level warn >"$work/stdout" 2>"$work/stderr" &
	pid=$!
	until healthy; do
		if ! kill -0 "$pid" 2>/dev/null; then
			cat "$work/stderr" >&2
			exit 1
		fi
		if (( $(date +%s) - ${start%.*} > 30 )); then
			echo "no 200 from /healthz after 30 s" >&2
			exit 1
		fi
		sleep 0.001
	done
	end=$EPOCHREALTIME
	ms=$(( (${end/./} - ${start/./}) / 1000 ))
	sleep 2
	rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
	printf '%-44s first 200 of /healthz after %4d ms; idle RSS after 2 s: %5.1f MiB\n' \
		"$label:" "$ms" "$(awk -v k="$rss" 'BEGIN {print k / 1024}')"
	kill -TERM "$pid"
	wait "$pid"
	pid=
}

measure "first start (creates the store and keys)"
measure "restart on the same data"
