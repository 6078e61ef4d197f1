#!/usr/bin/env bash
# bench/run.sh - measure the ceilings and kefu on this machine, in one run,
# and report kefu as ratios against the ceilings (see bench/README.md).
#
# Usage (from the repo root, after `ninja -C build`):
#   bench/run.sh [--duration S] [--customers N] [--rounds R] [--ceilings-only]
#
#   --duration S     seconds per measured wrk run and per insert variant (default 10)
#   --customers N    customers loaded by `kefu demo`, rows of the SELECT ceiling,
#                    and the id range of the GET-by-id runs (default 100000)
#   --rounds R       alternate ceiling and kefu R times for GET by id and for
#                    POST and report medians (default 1, at most 9)
#   --ceilings-only  measure only the ceilings (no build/kefu needed)
#
# Environment: BUILD_DIR (default build), POST_PHONE3 (first three digits of
# the phones POSTed, one per round, default "196 197 190 192 193 195 162 165
# 167": prefixes kefu demo never draws), IDLE_WAIT (seconds before reading an
# idle RSS, default 3).
#
# Builds nothing.  Works in a temporary directory that is removed on exit,
# with every server it started stopped.  Writes the report to stdout and to
# bench/results-latest.md (not committed); progress goes to stderr.
set -euo pipefail
shopt -s inherit_errexit

DURATION=10
CUSTOMERS=100000
ROUNDS=1
CEILINGS_ONLY=0

usage() { sed -n '5,22p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "run.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

while [ $# -gt 0 ]; do
	case "$1" in
	--duration) [ $# -ge 2 ] || die "--duration needs a value"; DURATION=$2; shift 2 ;;
	--duration=*) DURATION=${1#*=}; shift ;;
	--customers) [ $# -ge 2 ] || die "--customers needs a value"; CUSTOMERS=$2; shift 2 ;;
	--customers=*) CUSTOMERS=${1#*=}; shift ;;
	--rounds) [ $# -ge 2 ] || die "--rounds needs a value"; ROUNDS=$2; shift 2 ;;
	--rounds=*) ROUNDS=${1#*=}; shift ;;
	--ceilings-only) CEILINGS_ONLY=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
[[ $DURATION =~ ^[1-9][0-9]*$ ]] || die "--duration must be a positive integer (seconds)"
[[ $CUSTOMERS =~ ^[1-9][0-9]*$ ]] || die "--customers must be a positive integer"
[[ $ROUNDS =~ ^[1-9]$ ]] || die "--rounds must be 1 to 9"

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD=${BUILD_DIR:-build}
KEFU=$BUILD/kefu
# First three digits of the POSTed phones, one per round: none is a prefix
# `kefu demo` draws from (core/demo.c), so POSTs never clash with demo
# customers (409), and each round has its own, so rounds never clash either.
read -r -a PHONE3S <<<"${POST_PHONE3:-196 197 190 192 193 195 162 165 167}"
[ "${#PHONE3S[@]}" -ge "$ROUNDS" ] || die "POST_PHONE3 needs one prefix per round"
IDLE_WAIT=${IDLE_WAIT:-3}
WARMUP=2
WRK_OPTS=(-t2 -c64 --timeout 5s)

for t in wrk curl python3; do
	command -v "$t" >/dev/null || die "$t not found"
done
for b in ceil_mhd ceil_select ceil_insert; do
	[ -x "$BUILD/bench/$b" ] || die "$BUILD/bench/$b missing: run 'ninja -C $BUILD' first"
done
if [ "$CEILINGS_ONLY" = 0 ] && [ ! -x "$KEFU" ]; then
	die "$KEFU missing: run 'ninja -C $BUILD' first (or use --ceilings-only)"
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kefu-bench.XXXXXX")
RESULTS=$TMP/results.jsonl # one JSON object per measurement
INFO=$TMP/info.txt         # key<TAB>value lines for the report
: >"$RESULTS"
: >"$INFO"

# Servers started by this script; each is stopped by stop_server, and
# whatever is left by the EXIT trap.
PIDS=""
cleanup() {
	local p
	for p in $PIDS; do kill -TERM "$p" 2>/dev/null || true; done
	for p in $PIDS; do wait "$p" 2>/dev/null || true; done
	PIDS=""
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

stop_server() { # PID
	local pid=$1 i
	kill -TERM "$pid" 2>/dev/null || true
	for i in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	PIDS=$(echo " $PIDS " | sed "s/ $pid / /; s/^ *//; s/ *$//")
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_http() { # PORT PID TIMEOUT_S: until anything answers HTTP on PORT
	local port=$1 pid=$2 limit=$(($3 * 10)) i code
	for i in $(seq "$limit"); do
		kill -0 "$pid" 2>/dev/null || die "server (pid $pid) exited before listening on $port"
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/" || true)
		[ "$code" != "000" ] && [ -n "$code" ] && return 0
		sleep 0.1
	done
	die "nothing answered on port $port after $3 s"
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
note() { printf '%s\t%s\n' "$1" "$2" >>"$INFO"; }

# Runs wrk and appends its JSON line to $RESULTS (warm-up runs, whose label
# starts with "warm", are not recorded).  Labels may end in "@ROUND".
run_wrk() { # LABEL SECONDS SCRIPT URL [SCRIPT-ARGS...]
	local label=$1 secs=$2 script=$3 url=$4 out line
	shift 4
	out=$TMP/wrk-$label.txt
	log "wrk $label (${secs}s)"
	BENCH_LABEL=$label wrk "${WRK_OPTS[@]}" -d "${secs}s" -s "$script" "$url" -- "$@" >"$out" 2>&1 || true
	line=$(grep '^{"label"' "$out" | tail -n 1 || true)
	if [ -z "$line" ]; then
		cat "$out" >&2
		die "wrk $label gave no result"
	fi
	case "$label" in warm*) ;; *) echo "$line" >>"$RESULTS" ;; esac
}

http_status() { # URL [curl args...]
	local url=$1
	shift
	curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@" "$url" || true
}

# Prints the first string value of KEY found anywhere in a JSON file.
json_key() { # FILE KEY
	python3 - "$1" "$2" <<'PY'
import json, sys
def find(v, k):
    if isinstance(v, dict):
        if isinstance(v.get(k), str):
            return v[k]
        v = list(v.values())
    if isinstance(v, list):
        for x in v:
            r = find(x, k)
            if r is not None:
                return r
    return None
try:
    r = find(json.load(open(sys.argv[1])), sys.argv[2])
except ValueError:
    r = None
if r is None:
    sys.exit(1)
print(r)
PY
}

# ------------------------------------------------------------- ceilings

ceiling_mhd() {
	local port pid
	port=$(free_port)
	"$BUILD/bench/ceil_mhd" "$port" 2>/dev/null &
	pid=$!
	PIDS="$PIDS $pid"
	wait_http "$port" "$pid" 10
	run_wrk warm-mhd "$WARMUP" bench/wrk/get_by_id.lua "http://127.0.0.1:$port" "$CUSTOMERS" "" /x/
	run_wrk ceil_mhd "$DURATION" bench/wrk/get_by_id.lua "http://127.0.0.1:$port" "$CUSTOMERS" "" /x/
	stop_server "$pid"
}

select_start() { # -> SPORT, SPID; left running for the rounds
	SPORT=$(free_port)
	log "ceil_select: creating $CUSTOMERS rows"
	"$BUILD/bench/ceil_select" "$SPORT" "$TMP/ceil_select.db" "$CUSTOMERS" 2>"$TMP/ceil_select.err" &
	SPID=$!
	PIDS="$PIDS $SPID"
	wait_http "$SPORT" "$SPID" 600
	[ "$(http_status "http://127.0.0.1:$SPORT/x/$CUSTOMERS")" = 200 ] ||
		die "ceil_select: /x/$CUSTOMERS is not 200"
	run_wrk warm-select "$WARMUP" bench/wrk/get_by_id.lua "http://127.0.0.1:$SPORT" "$CUSTOMERS" "" /x/
}

select_run() { # ROUND
	run_wrk "ceil_select@$1" "$DURATION" bench/wrk/get_by_id.lua "http://127.0.0.1:$SPORT" "$CUSTOMERS" "" /x/
}

select_stop() {
	note rss_ceil_select_kb "$(rss_kb "$SPID")"
	stop_server "$SPID"
	rm -f "$TMP"/ceil_select.db*
}

ceiling_insert() { # ROUND
	log "ceil_insert: ${DURATION}s with 1 thread, then ${DURATION}s with 2"
	"$BUILD/bench/ceil_insert" "$TMP/ceil_insert.db" "$DURATION" >>"$RESULTS" ||
		die "ceil_insert failed"
	rm -f "$TMP"/ceil_insert.db*
}

# ----------------------------------------------------------------- kefu

kefu_prepare() {
	local t0
	log "kefu init (empty db and bench db)"
	"$KEFU" init --db "sqlite:$TMP/empty.db" >"$TMP/init-empty.log" 2>&1 ||
		{ cat "$TMP/init-empty.log" >&2; die "kefu init failed"; }
	"$KEFU" init --db "sqlite:$TMP/kefu.db" >"$TMP/init.log" 2>&1 ||
		{ cat "$TMP/init.log" >&2; die "kefu init failed"; }
	log "kefu demo --customers $CUSTOMERS"
	t0=$(date +%s.%N)
	"$KEFU" demo --db "sqlite:$TMP/kefu.db" --customers "$CUSTOMERS" >"$TMP/demo.log" 2>&1 ||
		{ tail -n 20 "$TMP/demo.log" >&2; die "kefu demo failed"; }
	note demo_seconds "$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$t0" "$(date +%s.%N)")"
}

start_kefu() { # DB_FILE -> KPORT, KPID, URL
	KPORT=$(free_port)
	# The access log (one line per request) is on stderr.
	"$KEFU" serve --db "sqlite:$1" --listen "127.0.0.1:$KPORT" >"$TMP/serve-$KPORT.out" 2>/dev/null &
	KPID=$!
	PIDS="$PIDS $KPID"
	URL="http://127.0.0.1:$KPORT"
	wait_http "$KPORT" "$KPID" 60
}

# Signs in as admin and creates an API token; prints the token.
get_token() { # URL
	local url=$1 code body csrf cookie
	body=$(python3 -c 'import json, os; print(json.dumps({"username": "admin", "password": os.environ["KEFU_ADMIN_PASSWORD"]}))')
	code=$(curl -s -D "$TMP/login.h" -o "$TMP/login.json" -w '%{http_code}' --max-time 10 \
		-H 'Content-Type: application/json' -d "$body" "$url/api/session" || true)
	case "$code" in 2??) ;; *) cat "$TMP/login.json" >&2; die "POST /api/session: HTTP $code" ;; esac
	csrf=$(json_key "$TMP/login.json" csrf_token) ||
		die "POST /api/session: no csrf_token in $(cat "$TMP/login.json")"
	cookie=$(tr -d '\r' <"$TMP/login.h" |
		sed -n 's/^[Ss]et-[Cc]ookie: *\(kefu_session=[^;]*\).*/\1/p' | head -n 1)
	[ -n "$cookie" ] || die "POST /api/session: no kefu_session cookie"
	code=$(curl -s -o "$TMP/token.json" -w '%{http_code}' --max-time 10 \
		-H 'Content-Type: application/json' -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" \
		-d '{"name":"bench"}' "$url/api/tokens" || true)
	case "$code" in 2??) ;; *) cat "$TMP/token.json" >&2; die "POST /api/tokens: HTTP $code" ;; esac
	json_key "$TMP/token.json" token || die "POST /api/tokens: no token in $(cat "$TMP/token.json")"
}

# Empty database: idle RSS fresh, then after a little traffic.
kefu_empty_rss() {
	local token
	log "kefu serve on the empty db: idle RSS"
	start_kefu "$TMP/empty.db"
	sleep "$IDLE_WAIT"
	note rss_empty_idle_kb "$(rss_kb "$KPID")"
	token=$(get_token "$URL")
	run_wrk warm-empty-list "$WARMUP" bench/wrk/list.lua "$URL" "$token" first
	run_wrk warm-empty-get "$WARMUP" bench/wrk/get_by_id.lua "$URL" 1 "$token"
	sleep "$IDLE_WAIT"
	note rss_empty_after_kb "$(rss_kb "$KPID")"
	stop_server "$KPID"
}

# The loaded database: start, idle RSS, token, pre-checks, warm-up.  Left
# running (idle while the ceilings run) until kefu_loaded_stop.
kefu_loaded_start() {
	local path code
	log "kefu serve on the $CUSTOMERS-customer db"
	start_kefu "$TMP/kefu.db"
	sleep "$IDLE_WAIT"
	note rss_loaded_idle_kb "$(rss_kb "$KPID")"
	TOKEN=$(get_token "$URL")
	for path in "/api/customers/1" "/api/customers/$CUSTOMERS" "/api/customers?limit=50" \
		"/api/customers?limit=50&lifecycle=general"; do
		code=$(http_status "$URL$path" -H "Authorization: Bearer $TOKEN")
		note "check $path" "$code"
		[ "$code" = 200 ] || log "WARNING: GET $path answered $code (the runs below count non-2xx)"
	done
	run_wrk warm-get "$WARMUP" bench/wrk/get_by_id.lua "$URL" "$CUSTOMERS" "$TOKEN"
}

kefu_get() { # ROUND
	run_wrk "kefu_get@$1" "$DURATION" bench/wrk/get_by_id.lua "$URL" "$CUSTOMERS" "$TOKEN"
}

kefu_lists() {
	run_wrk warm-list "$WARMUP" bench/wrk/list.lua "$URL" "$TOKEN" first
	run_wrk kefu_list "$DURATION" bench/wrk/list.lua "$URL" "$TOKEN" first
	run_wrk kefu_list_lifecycle "$DURATION" bench/wrk/list.lua "$URL" "$TOKEN" lifecycle
}

kefu_post() { # ROUND
	run_wrk "kefu_post@$1" "$DURATION" bench/wrk/post.lua "$URL" "$TOKEN" "${PHONE3S[$(($1 - 1))]}"
}

kefu_loaded_stop() {
	sleep "$IDLE_WAIT"
	note rss_loaded_after_kb "$(rss_kb "$KPID")"
	stop_server "$KPID"
}

# ----------------------------------------------------------------- main

note machine "$(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(uname -r)"
note loadavg "$(cut -d' ' -f1-3 /proc/loadavg)"
note git "$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)$(git status --porcelain 2>/dev/null | grep -q . && echo ' (dirty)')"
note duration "$DURATION"
note customers "$CUSTOMERS"
note rounds "$ROUNDS"
note started "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
log "temp dir $TMP"

# Each ceiling runs next to the kefu runs compared with it (alternating when
# --rounds > 1), so that the machine's drift over the minutes of a run
# affects both sides alike.
if [ "$CEILINGS_ONLY" = 1 ]; then
	ceiling_mhd
	select_start
	for r in $(seq "$ROUNDS"); do select_run "$r"; done
	select_stop
	for r in $(seq "$ROUNDS"); do ceiling_insert "$r"; done
else
	KEFU_ADMIN_PASSWORD="bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
	export KEFU_ADMIN_PASSWORD
	kefu_prepare
	kefu_empty_rss
	ceiling_mhd
	select_start
	kefu_loaded_start
	for r in $(seq "$ROUNDS"); do
		select_run "$r"
		kefu_get "$r"
	done
	select_stop
	kefu_lists
	for r in $(seq "$ROUNDS"); do
		ceiling_insert "$r"
		kefu_post "$r"
	done
	kefu_loaded_stop
fi
note finished "$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# --------------------------------------------------------------- report
python3 - "$RESULTS" "$INFO" "$CEILINGS_ONLY" >"$TMP/report.md" <<'PY'
import json, statistics, sys

runs = {}     # label without "@round" -> [wrk result, ...]
inserts = {}  # threads -> [ceil_insert result, ...]
for line in open(sys.argv[1]):
    line = line.strip()
    if not line:
        continue
    o = json.loads(line)
    if o.get("bench") == "ceil_insert":
        inserts.setdefault(o["threads"], []).append(o)
    else:
        runs.setdefault(o["label"].split("@")[0], []).append(o)
info = {}
for line in open(sys.argv[2]):
    k, _, v = line.rstrip("\n").partition("\t")
    info[k] = v
ceilings_only = sys.argv[3] == "1"

def errors(r):
    return r["non2xx"] + r["socket_errors"]

def summary(rs, key):
    """The median run by `key`, with the sums of errors over all runs."""
    rs = sorted(rs, key=lambda r: r[key])
    med = dict(rs[(len(rs) - 1) // 2])
    med[key] = statistics.median(r[key] for r in rs)
    med["n"] = len(rs)
    med["lo"], med["hi"] = rs[0][key], rs[-1][key]
    if "non2xx" in med:
        med["non2xx"] = sum(r["non2xx"] for r in rs)
        med["socket_errors"] = sum(r["socket_errors"] for r in rs)
    if "busy" in med:
        med["busy"] = sum(r["busy"] for r in rs)
    return med

results = {k: summary(v, "rps") for k, v in runs.items()}
ins = {t: summary(v, "rows_per_sec") for t, v in inserts.items()}

def f0(x):
    return "–" if x is None else f"{x:,.0f}"
def f2(x):
    return "–" if x is None else f"{x:.2f}"
def spread(m):
    return f" ({m['n']} runs: {f0(m['lo'])}–{f0(m['hi'])})" if m["n"] > 1 else ""

out = []
w = out.append
w(f"# kefu benchmark, {info.get('started', '?')}")
w("")
w(f"- machine: {info.get('machine', '?')}; load average at start: {info.get('loadavg', '?')}")
w(f"- commit: {info.get('git', '?')}")
w(f"- wrk -t2 -c64, keep-alive, {info.get('duration')} s per run (GETs after a 2 s warm-up); "
  f"{info.get('customers')} customers / ceiling rows; {info.get('rounds')} round(s), "
  f"medians shown")
w("- errors = non-2xx (wrk: status > 399) + socket errors, summed over rounds; "
  "a run with errors does not count")
w("")
w("| Measurement | req/s | p50 ms | p99 ms | bytes/resp | errors |")
w("|---|--:|--:|--:|--:|--:|")
names = [
    ("ceil_mhd", "ceiling: libmicrohttpd, constant JSON"),
    ("ceil_select", "ceiling: libmicrohttpd + SQLite PK SELECT + jansson"),
    ("kefu_get", "kefu GET /api/customers/{id}"),
    ("kefu_list", "kefu GET /api/customers?limit=50"),
    ("kefu_list_lifecycle", "kefu GET /api/customers?limit=50&lifecycle=general"),
    ("kefu_post", "kefu POST /api/customers"),
]
for key, title in names:
    r = results.get(key)
    if r is None:
        continue
    e = errors(r)
    w(f"| {title} | {f0(r['rps'])}{spread(r)} | {f2(r['p50_ms'])} | {f2(r['p99_ms'])} | "
      f"{r.get('bytes_per_resp', '–')} | {e}"
      f"{' (' + str(r['non2xx']) + ' non-2xx)' if r['non2xx'] else ''} |")
for t in (1, 2):
    o = ins.get(t)
    if o:
        w(f"| ceiling: SQLite insert, 1 row/transaction, {t} thread{'s' if t > 1 else ''} "
          f"(rows/s) | {f0(o['rows_per_sec'])}{spread(o)} | – | – | – | {o['busy']} busy |")
w("")

ins_max = max((o["rows_per_sec"] for o in ins.values()), default=None)
rows = []
def ratio(num_key, den, target, label, den_label):
    r = results.get(num_key)
    if r is None or not den:
        return
    v = r["rps"] / den
    ok = "yes" if v >= target else "NO"
    if errors(r):
        ok = "NO (errors)"
    rows.append((label, f"{v:.2f}", f"≥ {target:.2f}", ok, den_label))

sel = results.get("ceil_select", {}).get("rps")
get = results.get("kefu_get")
ratio("kefu_get", sel, 0.60, "GET by id / SELECT ceiling", f"{f0(sel)} req/s")
if len(runs.get("kefu_get", [])) > 1 and len(runs.get("ceil_select", [])) == len(runs["kefu_get"]):
    per = [g["rps"] / s["rps"] for g, s in zip(runs["kefu_get"], runs["ceil_select"])]
    rows.append(("GET by id / SELECT ceiling, per round", ", ".join(f"{x:.2f}" for x in per),
                 "(info)", "", "each round's adjacent pair"))
ratio("kefu_post", ins_max, 0.50, "POST / insert ceiling",
      f"{f0(ins_max)} rows/s (better of 1 and 2 threads)")
if ins.get(1) and results.get("kefu_post"):
    v = results["kefu_post"]["rps"] / ins[1]["rows_per_sec"]
    rows.append(("POST / 1-thread insert ceiling", f"{v:.2f}", "(info)", "",
                 f"{f0(ins[1]['rows_per_sec'])} rows/s"))
if get and not errors(get):
    ratio("kefu_list", get["rps"], 0.20, "list of 50 / GET by id", f"{f0(get['rps'])} req/s")
    ratio("kefu_list_lifecycle", get["rps"], 0.20, "list of 50, lifecycle filter / GET by id",
          f"{f0(get['rps'])} req/s")
sm = results.get("ceil_mhd", {}).get("rps")
if sel and sm:
    rows.append(("SELECT ceiling / libmicrohttpd ceiling", f"{sel / sm:.2f}", "(info)", "",
                 f"{f0(sm)} req/s"))

def mb(kb):
    return None if kb in (None, "") else int(kb) / 1024
def rss(label, keys, limit):
    vals = [v for v in (mb(info.get(k)) for k in keys) if v is not None]
    if not vals:
        return
    rows.append((label, " / ".join(f"{v:.1f}" for v in vals) + " MB", f"< {limit} MB",
                 "yes" if max(vals) < limit else "NO", "idle fresh / idle after traffic"))
rss("kefu serve RSS, empty db", ["rss_empty_idle_kb", "rss_empty_after_kb"], 20)
rss(f"kefu serve RSS, {info.get('customers')} customers",
    ["rss_loaded_idle_kb", "rss_loaded_after_kb"], 64)
if info.get("rss_ceil_select_kb"):
    rows.append(("ceil_select RSS after its runs", f"{mb(info['rss_ceil_select_kb']):.1f} MB",
                 "(info)", "", ""))

if rows:
    w("| Ratio | value | target | met | against |")
    w("|---|--:|--:|:-:|---|")
    for r in rows:
        w("| " + " | ".join(r) + " |")
    w("")
if ceilings_only:
    w("kefu was not measured (--ceilings-only).")
    w("")
extra = [f"demo load of {info['customers']} customers: {info['demo_seconds']} s"] \
    if "demo_seconds" in info else []
extra += [f"pre-check GET {k[6:]}: HTTP {v}" for k, v in info.items() if k.startswith("check ")]
extra.append(f"finished {info.get('finished', '?')}")
w("Notes: " + "; ".join(extra) + ".")
w("")
w("RSS is VmRSS from /proc/PID/status, read after a few idle seconds; MB = MiB. "
  "The target is checked against the larger reading.")
print("\n".join(out))
PY
cp "$TMP/report.md" bench/results-latest.md
cat "$TMP/report.md"
log "report written to bench/results-latest.md"
