#!/usr/bin/env bash
# bench/soak.sh - minutes of mixed traffic against one kefu serve (bench/wrk/soak.lua:
# customer files and lists, case inbox and cases, Chinese search, a report, new customers,
# notes on cases), with the server's resident memory sampled every 10 s. Passes when no
# response was an error and memory did not keep growing.
#
# Usage (from the repo root, after `ninja -C build`):
#   bench/soak.sh [--duration S] [--customers N] [--cases N] [--connections C]
#
#   --duration S      seconds of traffic (default 600)
#   --customers N     demo customers (default 20000)
#   --cases N         demo cases (default 20000)
#   --connections C   wrk connections (default 16, two threads)
#
# Prints a Markdown report (also in bench/results-soak-latest.md, not committed): requests,
# rate, p50/p99/max latency, error responses, RSS after the first minute and at the end, and
# the drift between them. Exit status 1 if there were errors or the drift is above 10 MiB.
set -euo pipefail

DURATION=600
CUSTOMERS=20000
CASES=20000
CONNS=16
die() { echo "soak.sh: $*" >&2; exit 2; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
while [ $# -gt 0 ]; do
	case "$1" in
	--duration) DURATION=$2; shift 2 ;;
	--customers) CUSTOMERS=$2; shift 2 ;;
	--cases) CASES=$2; shift 2 ;;
	--connections) CONNS=$2; shift 2 ;;
	*) sed -n '7,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
	esac
done
[[ $DURATION =~ ^[1-9][0-9]*$ && $CUSTOMERS =~ ^[1-9][0-9]*$ && $CASES =~ ^[1-9][0-9]*$ ]] || die "numbers, please"

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
KEFU=${BUILD_DIR:-build}/kefu
[ -x "$KEFU" ] || die "no $KEFU (ninja -C build)"
command -v wrk >/dev/null || die "wrk is missing (apt-get install wrk)"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kefu-soak.XXXXXX")
PID=
cleanup() {
	[ -z "$PID" ] || { kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT

export KEFU_ADMIN_PASSWORD="Soak-$RANDOM$RANDOM-x9"
export KEFU_DEMO_PASSWORD="Agent-pass-1"
DB="sqlite:$TMP/kefu.db"
log "kefu init + demo: $CUSTOMERS customers, $CASES cases"
"$KEFU" init --db "$DB" >/dev/null
"$KEFU" demo --db "$DB" --customers "$CUSTOMERS" --cases "$CASES" >/dev/null
PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
"$KEFU" serve --db "$DB" --listen "127.0.0.1:$PORT" --no-access-log >"$TMP/serve.log" 2>&1 &
PID=$!
wait_ok "$URL/healthz" "$PID" || die "kefu serve did not start: $(tail -5 "$TMP/serve.log")"
TOKEN=$(token_for "$URL" admin "$KEFU_ADMIN_PASSWORD")
"$KEFU" search refresh --db "$DB" >/dev/null 2>&1 || true

log "soak: $DURATION s, $CONNS connections"
: >"$TMP/rss"
(
	t=0
	while kill -0 "$PID" 2>/dev/null; do
		echo "$t $(rss_kb "$PID")" >>"$TMP/rss"
		sleep 10
		t=$((t + 10))
	done
) &
SAMPLER=$!
BENCH_LABEL=soak wrk -t2 -c"$CONNS" -d"${DURATION}s" --timeout 10s -s bench/wrk/soak.lua "$URL" -- "$TOKEN" "$CUSTOMERS" "$CASES" >"$TMP/wrk.out" 2>&1 || true
kill "$SAMPLER" 2>/dev/null || true
wait "$SAMPLER" 2>/dev/null || true
kill -0 "$PID" 2>/dev/null || die "kefu serve died during the soak: $(tail -5 "$TMP/serve.log")"
LINE=$(grep '^{"label"' "$TMP/wrk.out" | tail -1)
[ -n "$LINE" ] || die "wrk gave no result: $(cat "$TMP/wrk.out")"

python3 - "$LINE" "$TMP/rss" "$DURATION" "$CUSTOMERS" "$CASES" "$CONNS" <<'PY' | tee bench/results-soak-latest.md
import json, sys
r = json.loads(sys.argv[1])
rss = [tuple(map(int, l.split())) for l in open(sys.argv[2]) if len(l.split()) == 2]
dur, cust, cases, conns = sys.argv[3:7]
warm = next((kb for t, kb in rss if t >= 60), rss[0][1] if rss else 0)
end = rss[-1][1] if rss else 0
peak = max((kb for _, kb in rss), default=0)
drift = (end - warm) / 1024
print(f"## Soak: {dur} s of mixed traffic, {cust} customers, {cases} cases, {conns} connections\n")
print("| requests | req/s | p50 ms | p99 ms | max ms | error responses | socket errors | RSS at 60 s | RSS at end | peak | drift |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
print(f"| {r['requests']} | {r['rps']:.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['max_ms']:.1f} | {r['non2xx']} | {r['socket_errors']} "
      f"| {warm/1024:.1f} MiB | {end/1024:.1f} MiB | {peak/1024:.1f} MiB | {drift:+.1f} MiB |")
ok = r['non2xx'] == 0 and r['socket_errors'] == 0 and drift <= 10
print(f"\nRSS samples (s: MiB): " + ", ".join(f"{t}: {kb/1024:.1f}" for t, kb in rss[:: max(1, len(rss) // 12)]))
print(f"\nResult: {'PASS' if ok else 'FAIL'} (no error responses, drift ≤ 10 MiB)")
sys.exit(0 if ok else 1)
PY
