#!/usr/bin/env bash
# bench/calls.sh - the hotline's event ingestion against the raw insert ceiling, in one
# run, and the simulated day's measured service level against Erlang C and A.
#
# Usage (from the repo root, after `ninja -C build`):
#   bench/calls.sh [--duration S] [--calls N] [--rounds R] [--append]
#
#   --duration S  seconds of each single-event wrk run and of the insert ceiling (default 10)
#   --calls N     calls in each simulated day posted in batches (default 40000, ~170,000
#                 events)
#   --rounds R    alternate ceiling and kefu R times; medians are reported (default 2)
#   --append      also append the report to bench/RESULTS.md
#
# Measured, on a fresh SQLite database and `kefu serve --threads 2`:
#   ceiling   build/bench/ceil_insert, one ~1 KB row per transaction, one thread (rows/s)
#   batched   `kefu simulate`: a day of calls (Poisson arrivals on the weekday curve,
#             exponential handling, impatient callers, Erlang C staffing) posted as
#             {"events": [500 at a time]}, in time order (events/s)
#   single    wrk -t2 -c64, one "offered" event of a new call per request (events/s)
#   check     two smaller days (nobody hangs up; callers hang up after 120 s on average):
#             kefu's measured service level beside Erlang C's and Erlang A's prediction
# The report (markdown) goes to stdout and bench/results-calls-latest.md.
set -euo pipefail

DURATION=10
CALLS=40000
ROUNDS=2
APPEND=0
while [ $# -gt 0 ]; do
	case "$1" in
	--duration) DURATION=$2; shift 2 ;;
	--calls) CALLS=$2; shift 2 ;;
	--rounds) ROUNDS=$2; shift 2 ;;
	--append) APPEND=1; shift ;;
	-h | --help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "calls.sh: unknown option $1" >&2; exit 2 ;;
	esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD=${BUILD_DIR:-build}
KEFU=$BUILD/kefu
die() { echo "calls.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
for t in wrk curl python3; do command -v "$t" >/dev/null || die "$t not found"; done
[ -x "$KEFU" ] || die "$KEFU missing: run 'ninja -C $BUILD' first"
[ -x "$BUILD/bench/ceil_insert" ] || die "$BUILD/bench/ceil_insert missing"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kefu-bench-calls.XXXXXX")
PID=
cleanup() {
	[ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
jget() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d[sys.argv[2]])' "$1" "$2"; }
# fmt day JSON | fmt check JSON LABEL: a line of the report from a `kefu simulate` result.
fmt() {
	python3 - "$@" <<'PY'
import json, sys
kind = sys.argv[1]
if kind == "mean":
    ds = [json.loads(x) for x in sys.argv[3:]]
    m = lambda k: sum(d[k] for d in ds) / len(ds)
    print(f"| **mean of {len(ds)} days** ({sys.argv[2]}) | {m('calls'):,.0f} | {m('abandoned'):,.0f}"
          f" | **{m('measured_sl'):.3f}** | **{m('erlang_c_sl'):.3f}** | {m('erlang_a_sl'):.3f}"
          f" | {m('erlang_a_abandon'):.3f} | {m('measured_abandon'):.3f} |")
    sys.exit(0)
d = json.loads(sys.argv[2])
if kind == "day":
    print(f"{d['calls']:,} calls, {d['events']:,} events, peak {d['peak_agents']} agents")
else:
    print(f"| {d['date']} ({sys.argv[3]}) | {d['calls']:,} | {d['abandoned']:,} | {d['measured_sl']:.3f}"
          f" | {d['erlang_c_sl']:.3f} | {d['erlang_a_sl']:.3f} | {d['erlang_a_abandon']:.3f}"
          f" | {d['measured_abandon']:.3f} |")
PY
}
# CPU seconds (user + system) a process has used so far.
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f\n", ($14 + $15) / hz }' "/proc/$1/stat"; }
# Runs a command; prints its output, then a last line "cpu SECONDS" (children's user + system).
with_cpu() {
	python3 - "$@" <<'PY'
import resource, subprocess, sys
out = subprocess.run(sys.argv[1:], check=True, capture_output=True, text=True).stdout
u = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stdout.write(out)
print(f"cpu {u.ru_utime + u.ru_stime:.3f}")
PY
}
median() { python3 -c 'import statistics,sys; print(round(statistics.median(float(x) for x in sys.argv[1:])))' "$@"; }

# ------------------------------------------------------------------ kefu on a fresh database
PW="Bench-$(date +%s)-Passw0rd"
DB="sqlite:$TMP/kefu.db"
KEFU_ADMIN_PASSWORD=$PW "$KEFU" init --db "$DB" >/dev/null
PORT=$(free_port)
"$KEFU" serve --db "$DB" --listen "127.0.0.1:$PORT" --threads 2 --no-access-log 2>"$TMP/serve.log" &
PID=$!
URL=http://127.0.0.1:$PORT
for _ in $(seq 100); do curl -sf "$URL/healthz" >/dev/null && break; sleep 0.1; done

api() { # METHOD PATH BODY COOKIEJAR CSRF
	curl -s -X "$1" -b "$4" -H "Content-Type: application/json" -H "X-CSRF-Token: $5" -d "$3" "$URL$2"
}
login() { # USER PASS JAR -> csrf
	curl -s -c "$3" -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"$2\"}" \
		"$URL/api/session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])'
}
ACSRF=$(login admin "$PW" "$TMP/admin.jar")
api POST /api/users "{\"username\":\"pbx\",\"display_name\":\"交换机\",\"role\":\"supervisor\",\"password\":\"Sw1tch-$PW\"}" "$TMP/admin.jar" "$ACSRF" >/dev/null
PCSRF=$(login pbx "Sw1tch-$PW" "$TMP/pbx.jar")
TOKEN=$(api POST /api/tokens '{"name":"bench"}' "$TMP/pbx.jar" "$PCSRF" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
# the first 20 simulated agents are kefu users: their calls get screen pops
log "mapping 20 simulated agents to users"
for i in $(seq 1 20); do
	ext=$(printf 'sim-%03d' "$i")
	uid=$(api POST /api/users "{\"username\":\"agent$i\",\"display_name\":\"坐席$i\",\"role\":\"agent\",\"password\":\"Ag3nt-$i-$PW\"}" \
		"$TMP/admin.jar" "$ACSRF" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
	api PUT "/api/hotline/agents/$uid" "{\"extension\":\"$ext\"}" "$TMP/admin.jar" "$ACSRF" >/dev/null
done

# ------------------------------------------------------------------ rounds
declare -a CEIL BATCH SINGLE P99 CEILCPU BATCHCPU
for r in $(seq 1 "$ROUNDS"); do
	log "round $r: insert ceiling (${DURATION}s, 1 thread)"
	out=$(with_cpu "$BUILD/bench/ceil_insert" "$TMP/ceil-$r.db" "$DURATION" --threads 1)
	c=$(echo "$out" | grep '^{' | tail -n 1)
	CEIL+=("$(jget "$c" rows_per_sec)")
	CEILCPU+=("$(python3 -c 'import sys; print(round(float(sys.argv[1]) / float(sys.argv[2].split()[1])))' \
		"$(jget "$c" rows)" "$(echo "$out" | tail -n 1)")")
	log "round $r: a simulated day of $CALLS calls, posted 500 events at a time"
	cpu0=$(cpu_of "$PID")
	s=$(KEFU_TOKEN=$TOKEN "$KEFU" simulate --url "$URL" --date "2025-06-0$((r + 1))" --calls "$CALLS" \
		--seed "$r" --batch 500)
	cpu1=$(cpu_of "$PID")
	echo "$s" >"$TMP/sim-$r.json"
	BATCH+=("$(jget "$s" events_per_sec)")
	BATCHCPU+=("$(python3 -c 'import sys; print(round(float(sys.argv[1]) / (float(sys.argv[3]) - float(sys.argv[2]))))' \
		"$(jget "$s" events)" "$cpu0" "$cpu1")")
	log "round $r: one event per request (wrk ${DURATION}s)"
	w=$(BENCH_LABEL=cti wrk -t2 -c64 --timeout 5s -d "${DURATION}s" -s bench/wrk/cti_event.lua "$URL" -- "$TOKEN" "r$r" | grep '^{"label"')
	SINGLE+=("$(jget "$w" rps)")
	P99+=("$(jget "$w" p99_ms)")
	[ "$(jget "$w" non2xx)" = 0 ] || die "single-event run had errors: $w"
done

# ------------------------------------------------------------------ Erlang check
# A day's service level at high occupancy swings by several points from one random day to
# the next, so three days each; their mean is the comparison.
CHK0=() CHK1=()
for i in 1 2 3; do
	log "check: day $i of 3000 calls, nobody hangs up; then with patience 120 s"
	CHK0+=("$(KEFU_TOKEN=$TOKEN "$KEFU" simulate --url "$URL" --date "2025-07-0$i" --calls 3000 --patience 0 --seed "1$i")")
	CHK1+=("$(KEFU_TOKEN=$TOKEN "$KEFU" simulate --url "$URL" --date "2025-07-0$((i + 3))" --calls 3000 --patience 120 --seed "2$i")")
done

C=$(median "${CEIL[@]}")
B=$(median "${BATCH[@]}")
CC=$(median "${CEILCPU[@]}")
BC=$(median "${BATCHCPU[@]}")
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
S=$(median "${SINGLE[@]}")
RSS=$(awk '/^VmRSS:/ { print $2 }' "/proc/$PID/status")
S1=$(cat "$TMP/sim-1.json")
REPORT=$TMP/report.md
{
	echo "## Hotline events (issue 9) — $(date +%Y-%m-%d), \`bench/calls.sh --rounds $ROUNDS --calls $CALLS --duration $DURATION\`"
	echo
	echo "SQLite, \`kefu serve --threads 2\`, fresh database, 20 of the simulated agents mapped to users"
	echo "(their calls get screen pops stored for replay). $ROUNDS rounds alternating the ceiling and kefu; medians."
	echo
	echo "| Measurement | per round | median |"
	echo "|---|--:|--:|"
	echo "| ceiling: SQLite insert, ~1 KB row, 1 row per transaction, 1 thread (rows/s) | ${CEIL[*]} | $C |"
	echo "| kefu: simulated day, 500 events per POST (events/s) | ${BATCH[*]} | **$B** |"
	echo "| kefu: one event per POST, wrk -t2 -c64 (events/s) | ${SINGLE[*]} | $S |"
	echo "| kefu: one event per POST, p99 (ms) | ${P99[*]} | |"
	echo "| ceiling: rows per CPU-second of the insert loop | ${CEILCPU[*]} | $CC |"
	echo "| kefu: simulated day, events per CPU-second of the server | ${BATCHCPU[*]} | $BC |"
	echo
	echo "Load average during the run (1, 5, 15 min): $LOAD on $(nproc) cores."
	echo
	python3 - "$B" "$S" "$C" "$BC" "$CC" <<'PY'
import sys
b, s, c, bc, cc = (float(x) for x in sys.argv[1:])
print("| Ratio | measured | target | met |")
print("|---|--:|--:|:-:|")
print(f"| batched events/s / insert ceiling rows/s | {b / c:.2f} | — | |")
print(f"| single events/s / insert ceiling rows/s | {s / c:.2f} | — | |")
print(f"| batched events per CPU-second / ceiling rows per CPU-second | {bc / cc:.2f} | — | |")
print(f"| batched events/s (absolute) | {b:,.0f} | ≥ 20,000 | {'yes' if b >= 20000 else '**no**'} |")
PY
	echo
	echo "One simulated day (round 1): $(fmt day "$S1")."
	echo "Server RSS after the runs: $((RSS / 1024)) MB."
	echo
	echo "### Measured service level against Erlang C and A (3,000 calls, Erlang C staffing for 80/20)"
	echo
	echo "| Day | calls | abandoned | kefu measured SL | Erlang C SL | Erlang A SL | Erlang A abandon | kefu abandon |"
	echo "|---|--:|--:|--:|--:|--:|--:|--:|"
	for x in "${CHK0[@]}"; do fmt check "$x" "nobody hangs up"; done
	fmt mean "nobody hangs up" "${CHK0[@]}"
	for x in "${CHK1[@]}"; do fmt check "$x" "patience 120 s"; done
	fmt mean "patience 120 s" "${CHK1[@]}"
} >"$REPORT"
cat "$REPORT"
cp "$REPORT" bench/results-calls-latest.md
if [ "$APPEND" = 1 ]; then
	{ echo; cat "$REPORT"; } >>bench/RESULTS.md
	log "appended to bench/RESULTS.md"
fi
