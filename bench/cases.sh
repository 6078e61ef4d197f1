#!/usr/bin/env bash
# bench/cases.sh - cases at scale: POST /api/cases against the raw insert ceiling, and the
# "my open cases" view (and its kin) on a database of 1,000,000 cases, on SQLite.
#
# Usage (from the repo root, after `ninja -C build`):
#   bench/cases.sh [--cases N] [--customers N] [--duration S] [--db FILE] [--keep]
#
#   --cases N       cases `kefu demo --cases` loads (default 1000000)
#   --customers N   customers loaded first (default 100000)
#   --duration S    seconds per measured wrk run and per insert-ceiling variant (default 10)
#   --db FILE       use this database (made by an earlier --keep run) instead of loading one
#   --keep          keep the loaded database and print where it is
#
# Environment: BUILD_DIR (default build).
#
# What runs, in order, each wrk run after a 2 s warm-up, with -t2 (-t1 for one client):
#   1. kefu init + kefu demo --customers C --cases N (timed: the bulk path);
#   2. ceil_insert (the raw SQLite insert ceiling, 1 and 2 threads; kefu not running);
#   3. kefu serve (KEFU_JOBS_INTERVAL=0, no access log) with an API token of agent01:
#      GET /api/cases?view=mine        -c64 (throughput) and -c1 (one client: latency)
#      GET the same view 40 pages deep -c64
#      GET /api/cases/counts           -c64
#      GET /api/cases?view=department  -c64
#      POST /api/cases                 -c64 (a new case for a random customer per request)
# Prints a markdown report to stdout (also left in the temp dir when --keep).
# Needs wrk, curl, python3.  Builds nothing; removes its temp dir (unless --keep) and stops
# every server it started, also on Ctrl-C.
set -euo pipefail

CASES=1000000
CUSTOMERS=100000
DURATION=10
DBFILE=
KEEP=0
usage() { sed -n '4,26p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "cases.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

while [ $# -gt 0 ]; do
	case "$1" in
	--cases) CASES=$2; shift 2 ;;
	--customers) CUSTOMERS=$2; shift 2 ;;
	--duration) DURATION=$2; shift 2 ;;
	--db) DBFILE=$2; shift 2 ;;
	--keep) KEEP=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
[[ $CASES =~ ^[1-9][0-9]*$ ]] || die "--cases must be a positive integer"
[[ $CUSTOMERS =~ ^[1-9][0-9]*$ ]] || die "--customers must be a positive integer"
[[ $DURATION =~ ^[1-9][0-9]*$ ]] || die "--duration must be a positive integer"

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD=${BUILD_DIR:-build}
KEFU=$BUILD/kefu
for t in wrk curl python3; do command -v "$t" >/dev/null || die "$t not found"; done
[ -x "$KEFU" ] || die "$KEFU missing: run 'ninja -C $BUILD' first"
[ -x "$BUILD/bench/ceil_insert" ] || die "$BUILD/bench/ceil_insert missing"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kefu-cases-bench.XXXXXX")
RESULTS=$TMP/results.jsonl
INFO=$TMP/info.txt
: >"$RESULTS"
: >"$INFO"
PIDS=""
cleanup() {
	local p
	for p in $PIDS; do kill -TERM "$p" 2>/dev/null || true; done
	for p in $PIDS; do wait "$p" 2>/dev/null || true; done
	if [ "$KEEP" = 1 ]; then echo "cases.sh: kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

note() { printf '%s\t%s\n' "$1" "$2" >>"$INFO"; }
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

run_wrk() { # LABEL CONNECTIONS SECONDS SCRIPT URL [ARGS...]
	local label=$1 conns=$2 secs=$3 script=$4 url=$5 out line
	shift 5
	out=$TMP/wrk-$label.txt
	log "wrk $label (-c$conns, ${secs}s)"
	BENCH_LABEL=$label wrk -t"$((conns < 2 ? conns : 2))" -c"$conns" --timeout 5s -d "${secs}s" -s "$script" "$url" -- "$@" >"$out" 2>&1 || true
	line=$(grep '^{"label"' "$out" | tail -n 1 || true)
	[ -n "$line" ] || { cat "$out" >&2; die "wrk $label gave no result"; }
	case "$label" in warm*) ;; *) echo "$line" >>"$RESULTS" ;; esac
}


# The cursor N pages into agent01's inbox.
deep_cursor() { # URL TOKEN PAGES
	python3 - "$1" "$2" "$3" <<'PY'
import json, sys, urllib.request
url, token, pages = sys.argv[1], sys.argv[2], int(sys.argv[3])
cursor = ""
for _ in range(pages):
    q = "/api/cases?view=mine" + ("&cursor=" + cursor if cursor else "")
    req = urllib.request.Request(url + q, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=10) as r:
        page = json.loads(r.read())
    if not page["next_cursor"]:
        break
    cursor = page["next_cursor"]
print(cursor)
PY
}

note machine "$(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(uname -r)"
note git "$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)$(git status --porcelain 2>/dev/null | grep -q . && echo ' (dirty)')"
note started "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
note duration "$DURATION"
export KEFU_ADMIN_PASSWORD="bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
export KEFU_DEMO_PASSWORD="Demo-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')9"

if [ -n "$DBFILE" ]; then
	[ -f "$DBFILE" ] || die "no database at $DBFILE"
	DB=$DBFILE
	# A kept database remembers its passwords.
	# shellcheck disable=SC1091
	. "$(dirname "$DBFILE")/passwords.sh"
	note load "reused $DBFILE"
else
	DB=$TMP/kefu.db
	log "kefu init + demo: $CUSTOMERS customers, $CASES cases"
	"$KEFU" init --db "sqlite:$DB" >"$TMP/init.log" 2>&1 || { cat "$TMP/init.log" >&2; die "kefu init failed"; }
	t0=$(date +%s.%N)
	"$KEFU" demo --db "sqlite:$DB" --customers "$CUSTOMERS" --cases "$CASES" >"$TMP/demo.log" 2>&1 ||
		{ tail -n 20 "$TMP/demo.log" >&2; die "kefu demo failed"; }
	note load "$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$t0" "$(date +%s.%N)") s for $CUSTOMERS customers and $CASES cases ($(grep -o '[0-9]* cases added' "$TMP/demo.log" || true))"
	printf 'export KEFU_ADMIN_PASSWORD=%q KEFU_DEMO_PASSWORD=%q\n' "$KEFU_ADMIN_PASSWORD" "$KEFU_DEMO_PASSWORD" >"$TMP/passwords.sh"
fi
note cases "$(python3 -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); print(c.execute('SELECT COUNT(*), SUM(is_open) FROM cases').fetchone())" "$DB")"
note db_size "$(du -h "$DB" | cut -f1)"

log "ceil_insert: ${DURATION}s with 1 thread, then ${DURATION}s with 2"
"$BUILD/bench/ceil_insert" "$TMP/ceil_insert.db" "$DURATION" >>"$RESULTS" || die "ceil_insert failed"
rm -f "$TMP"/ceil_insert.db*

PORT=$(free_port)
KEFU_JOBS_INTERVAL=0 "$KEFU" serve --db "sqlite:$DB" --listen "127.0.0.1:$PORT" --no-access-log >"$TMP/serve.log" 2>&1 &
KPID=$!
PIDS="$PIDS $KPID"
URL=http://127.0.0.1:$PORT
for _ in $(seq 100); do curl -s -o /dev/null "$URL/healthz" && break; sleep 0.1; done
TOKEN=$(token_for "$URL" agent01 "$KEFU_DEMO_PASSWORD")
note open_cases_agent01 "$(curl -s -H "Authorization: Bearer $TOKEN" "$URL/api/cases/counts")"
CURSOR=$(deep_cursor "$URL" "$TOKEN" 40)
[ -n "$CURSOR" ] || die "agent01's inbox has fewer than 41 pages"

run_wrk warm-mine 64 2 bench/wrk/cases_view.lua "$URL" "$TOKEN" mine
run_wrk mine 64 "$DURATION" bench/wrk/cases_view.lua "$URL" "$TOKEN" mine
run_wrk mine_c1 1 "$DURATION" bench/wrk/cases_view.lua "$URL" "$TOKEN" mine
run_wrk deep 64 "$DURATION" bench/wrk/cases_view.lua "$URL" "$TOKEN" deep "$CURSOR"
run_wrk counts 64 "$DURATION" bench/wrk/cases_view.lua "$URL" "$TOKEN" counts
run_wrk department 64 "$DURATION" bench/wrk/cases_view.lua "$URL" "$TOKEN" department
run_wrk post 64 "$DURATION" bench/wrk/cases_post.lua "$URL" "$TOKEN" "$CUSTOMERS"
note finished "$(date -u +%Y-%m-%dT%H:%M:%SZ)"

python3 - "$RESULTS" "$INFO" <<'PY' | tee "$TMP/report.md"
import json, sys
runs, ins = {}, {}
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o.get("bench") == "ceil_insert":
        ins[o["threads"]] = o
    else:
        runs[o["label"]] = o
info = dict(l.rstrip("\n").split("\t", 1) for l in open(sys.argv[2]) if "\t" in l)
print(f"### cases.sh run, {info.get('started')}")
print()
print(f"- machine: {info.get('machine')}; commit {info.get('git')}")
print(f"- database: {info.get('load')}; (cases, open) = {info.get('cases')}; file {info.get('db_size')}")
print(f"- agent01's counts: `{info.get('open_cases_agent01')}`")
print(f"- wrk -t2, keep-alive, {info.get('duration')} s per run after a 2 s warm-up")
print()
print("| Measurement | conns | req/s | p50 ms | p99 ms | max ms | errors |")
print("|---|--:|--:|--:|--:|--:|--:|")
titles = [("mine", 64, "GET /api/cases?view=mine (my open cases, first page of 50)"),
          ("mine_c1", 1, "the same, one client"),
          ("deep", 64, "the same view 40 pages deep"),
          ("counts", 64, "GET /api/cases/counts"),
          ("department", 64, "GET /api/cases?view=department"),
          ("post", 64, "POST /api/cases")]
for k, c, t in titles:
    r = runs.get(k)
    if r:
        print(f"| {t} | {c} | {r['rps']:,.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['max_ms']:.1f} | {r['non2xx'] + r['socket_errors']} |")
for t in (1, 2):
    if t in ins:
        print(f"| ceiling: SQLite insert, 1 row per transaction, {t} thread{'s' if t > 1 else ''} (rows/s) | | {ins[t]['rows_per_sec']:,.0f} | | | | {ins[t]['busy']} busy |")
print()
best = max((o["rows_per_sec"] for o in ins.values()), default=0)
post = runs.get("post")
mine, mine1 = runs.get("mine"), runs.get("mine_c1")
print("| Target | measured | target | met |")
print("|---|--:|--:|:-:|")
if post and best:
    print(f"| POST /api/cases / insert ceiling | {post['rps'] / best:.2f} | ≥ 0.50 | {'yes' if post['rps'] / best >= 0.5 else 'no'} |")
if mine1:
    print(f"| my open cases p99, one client | {mine1['p99_ms']:.2f} ms | < 20 ms | {'yes' if mine1['p99_ms'] < 20 else 'no'} |")
if mine:
    print(f"| my open cases p99, 64 connections | {mine['p99_ms']:.2f} ms | < 20 ms | {'yes' if mine['p99_ms'] < 20 else 'no'} |")
PY
