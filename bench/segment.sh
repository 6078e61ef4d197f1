#!/usr/bin/env bash
# bench/segment.sh - the customer-value recompute (`kefu segment`) and the report pages on
# N demo customers, against a ceiling measured in the same run: the bare aggregate every
# recompute needs, `SELECT customer_id, SUM(amount_fen), COUNT(*), MAX(ordered_at) FROM orders
# GROUP BY customer_id`, timed with the sqlite3 CLI on the same database.
#
# Usage (from the repo root, after `ninja -C build`):
#   bench/segment.sh [--customers N] [--transactions N] [--cases N] [--rounds R] [--no-double]
#                    [--append]
#
#   --customers N   customers loaded by `kefu demo` (default 100000)
#   --transactions N  orders in all: `kefu demo --transactions N` tops the demo's own (about
#                   2.2 per customer) up with repeat purchases (no doubling then); the issue's
#                   size is --customers 1000000 --transactions 10000000
#   --cases N       cases over two years (`kefu demo --cases N`), for the service reports
#   --rounds R      repetitions of each timed step; medians are reported (default 5)
#   --no-double     keep the demo's orders as they are (by default every order gets a
#                   twin 45 days earlier, which brings 100,000 demo customers to ~440,000
#                   orders, the size this bench is about)
#   --append        also append the report to bench/RESULTS.md
#
# Needs sqlite3, curl and python3.  Builds nothing; works in a temporary directory removed
# at exit, stopping the server it started.  The report goes to stdout, progress to stderr.
set -euo pipefail
shopt -s inherit_errexit

CUSTOMERS=100000
TRANSACTIONS=0
CASES=0
ROUNDS=5
DOUBLE=1
APPEND=0
usage() { sed -n '7,15p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "segment.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

while [ $# -gt 0 ]; do
	case "$1" in
	--customers) [ $# -ge 2 ] || die "--customers needs a value"; CUSTOMERS=$2; shift 2 ;;
	--rounds) [ $# -ge 2 ] || die "--rounds needs a value"; ROUNDS=$2; shift 2 ;;
	--transactions) [ $# -ge 2 ] || die "--transactions needs a value"; TRANSACTIONS=$2; DOUBLE=0; shift 2 ;;
	--cases) [ $# -ge 2 ] || die "--cases needs a value"; CASES=$2; shift 2 ;;
	--no-double) DOUBLE=0; shift ;;
	--append) APPEND=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
[[ $CUSTOMERS =~ ^[1-9][0-9]*$ ]] || die "--customers must be a positive integer"
[[ $TRANSACTIONS =~ ^[0-9]+$ ]] || die "--transactions must be a number"
[[ $CASES =~ ^[0-9]+$ ]] || die "--cases must be a number"
[[ $ROUNDS =~ ^[1-9][0-9]?$ ]] || die "--rounds must be 1 to 99"

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
KEFU=${BUILD_DIR:-build}/kefu
[ -x "$KEFU" ] || die "no $KEFU: run ninja -C build first"
for t in sqlite3 curl python3; do command -v $t >/dev/null || die "needs $t"; done

TMP=$(mktemp -d /tmp/kefu-bench-segment.XXXXXX)
SERVER_PID=
cleanup() {
	[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

DB=$TMP/kefu.db
URL=sqlite:$DB
PW="Bench-$(python3 -c 'import secrets; print(secrets.token_hex(8))')9"

now_us() { echo "${EPOCHREALTIME/./}"; }
# Runs a command, prints its wall time in ms.
wall_ms() {
	local t0 t1
	t0=$(now_us)
	"$@" >/dev/null
	t1=$(now_us)
	echo $(((t1 - t0) / 1000))
}
median() { python3 -c 'import sys, statistics; print(int(statistics.median(int(x) for x in sys.argv[1:])))' "$@"; }
spread() { python3 -c 'import sys; v=[int(x) for x in sys.argv[1:]]; print(f"{min(v)}–{max(v)}")' "$@"; }

# ------------------------------------------------------------------ data
log "kefu init + demo --customers $CUSTOMERS --transactions $TRANSACTIONS --cases $CASES"
KEFU_ADMIN_PASSWORD=$PW "$KEFU" init --db "$URL" >/dev/null
DEMO_ARGS=(--customers "$CUSTOMERS")
[ "$TRANSACTIONS" -gt 0 ] && DEMO_ARGS+=(--transactions "$TRANSACTIONS")
[ "$CASES" -gt 0 ] && DEMO_ARGS+=(--cases "$CASES")
DEMO_MS=$(wall_ms "$KEFU" demo --db "$URL" "${DEMO_ARGS[@]}")
if [ $DOUBLE = 1 ]; then
	log "doubling the orders (a twin 45 days earlier each)"
	sqlite3 "$DB" "INSERT INTO orders (customer_id, order_no, product, amount_fen, margin_fen,
		ordered_at, created_at) SELECT customer_id, order_no || '-B', product, amount_fen,
		margin_fen, ordered_at - 45 * 86400000, created_at FROM orders;"
fi
NCUST=$(sqlite3 "$DB" "SELECT COUNT(*) FROM customers")
NORD=$(sqlite3 "$DB" "SELECT COUNT(*) FROM orders")
NCASES=$(sqlite3 "$DB" "SELECT COUNT(*) FROM cases")
DBMB=$(du -m "$DB" | cut -f1)
log "$NCUST customers, $NORD orders, $NCASES cases, ${DBMB} MB"

CEIL_SQL="SELECT customer_id, SUM(amount_fen), COUNT(*), MAX(ordered_at) FROM orders GROUP BY customer_id"
KEFU_SQL="SELECT customer_id, SUM(CASE WHEN ordered_at >= 0 THEN amount_fen ELSE 0 END),
 SUM(CASE WHEN ordered_at >= 0 THEN COALESCE(margin_fen, 0) ELSE 0 END),
 SUM(CASE WHEN ordered_at >= 0 THEN 1 ELSE 0 END), COUNT(*), MIN(ordered_at), MAX(ordered_at)
 FROM orders GROUP BY customer_id ORDER BY customer_id"

# One segment run; prints "wall total read compute write tier_changes".
segment_run() {
	local t0 t1 out
	t0=$(now_us)
	out=$("$KEFU" segment --db "$URL")
	t1=$(now_us)
	python3 - "$(((t1 - t0) / 1000))" "$out" <<'EOF'
import re, sys
wall, out = sys.argv[1], sys.argv[2]
m = re.search(r'in (\d+) ms \(read (\d+), compute (\d+), write (\d+)\)', out)
c = re.search(r'changed: (\d+) tiers', out)
print(wall, *m.groups(), c.group(1))
EOF
}

# ------------------------------------------------------------------ ceiling and recompute
log "ceiling: the bare GROUP BY with the sqlite3 CLI (1 warm-up + $ROUNDS)"
sqlite3 "$DB" "$CEIL_SQL" >/dev/null
CEIL=()
KQ=()
for _ in $(seq "$ROUNDS"); do
	CEIL+=("$(wall_ms sqlite3 "$DB" "$CEIL_SQL")")
	KQ+=("$(wall_ms sqlite3 "$DB" "$KEFU_SQL")")
done

log "kefu segment: first run (every buyer's tier written)"
read -r F_WALL F_TOT F_READ F_COMP F_WRITE F_CHG <<<"$(segment_run)"

log "kefu segment: $ROUNDS runs on unchanged data"
SAME=()
SAME_READ=()
for _ in $(seq "$ROUNDS"); do
	read -r w _t r _c _w _ch <<<"$(segment_run)"
	SAME+=("$w")
	SAME_READ+=("$r")
done

log "kefu segment after 1% new orders ($ROUNDS rounds)"
CHURN=()
CHURN_CHG=()
NEW=$((NCUST / 100))
for i in $(seq "$ROUNDS"); do
	sqlite3 "$DB" "INSERT INTO orders (customer_id, order_no, amount_fen, ordered_at, created_at)
		SELECT id, 'BENCH-$i-' || id, 100 + abs(random()) % 5000000,
		CAST(strftime('%s', 'now') AS INTEGER) * 1000, 0
		FROM customers ORDER BY random() LIMIT $NEW;"
	read -r w _t _r _c _w ch <<<"$(segment_run)"
	CHURN+=("$w")
	CHURN_CHG+=("$ch")
done

# ------------------------------------------------------------------ reports
log "kefu serve and the report pages (1 warm-up + 20 requests each)"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$KEFU" serve --db "$URL" --listen "127.0.0.1:$PORT" --no-access-log >"$TMP/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
	curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
curl -sf -c "$TMP/cookies" -H 'Content-Type: application/json' \
	-d "{\"username\":\"admin\",\"password\":\"$PW\"}" "http://127.0.0.1:$PORT/api/session" >/dev/null
# The web UI's preset periods for today (China days; web/src/modules/reports/period.js), which
# the recompute pre-aggregates, and a period that is none of them (read live).
read -r L90_FROM TODAY LQ_FROM LQ_TO L12_FROM <<<"$(python3 -c '
import datetime as d
t = (d.datetime.utcnow() + d.timedelta(hours=8)).date()
q0 = (t.month - 1) // 3 * 3 + 1
def first(y, m):
    while m < 1: y, m = y - 1, m + 12
    return d.date(y, m, 1)
lq_from, lq_to = first(t.year, q0 - 3), first(t.year, q0) - d.timedelta(days=1)
y12 = first(t.year, t.month - 12) + d.timedelta(days=t.day)  # (y, m-12, d+1) rolled as Date.UTC does
print(t - d.timedelta(days=89), t, lq_from, lq_to, y12)
')"
CUSTOM_FROM=$(date -u -d '100 days ago' +%Y-%m-%d)
DEEP=$((NCUST * 8 / 10))
# The last buyer of the ranking: its customer page counts its place.
LAST_ID=$(sqlite3 "$DB" "SELECT customer_id FROM customer_segments WHERE orders_window > 0
	ORDER BY revenue_fen, customer_id LIMIT 1")
REPORTS=(
	"/api/reports/pareto"
	"/api/reports/pareto?from=$L90_FROM&to=$TODAY"
	"/api/reports/pareto?from=$L12_FROM&to=$TODAY&by=margin"
	"/api/reports/pareto?from=$LQ_FROM&to=$LQ_TO"
	"/api/reports/pyramid"
	"/api/reports/rfm"
	"/api/reports/tier-migration?from=$L90_FROM&to=$TODAY"
	"/api/reports/tier-migration?from=$LQ_FROM&to=$LQ_TO"
	"/api/reports/pareto/customers?limit=50"
	"/api/reports/pareto/customers?limit=200&from_rank=$DEEP"
	"/api/reports/tier-migration/customers?from=$L90_FROM&to=$TODAY&from_tier=new&to_tier=low"
	"/api/segments/key-suggestions?limit=50"
	"/api/customers/$LAST_ID/segment"
	"/api/reports/complaints"
	"/api/reports/cases-weekly"
	"/api/reports/follow-ups"
	"/api/reports/commitments"
	"/api/reports/agent-workload"
	"/api/reports/pyramid?kind=organization"
	"/api/reports/pareto?kind=organization"
	"/api/reports/rfm?department_id=1"
	"/api/reports/pareto?from=$CUSTOM_FROM&to=$TODAY"
	"/api/reports/tier-migration?from=$CUSTOM_FROM&to=$TODAY"
	"/api/reports/tier-migration/customers?from=$L90_FROM&to=$TODAY&from_tier=low&to_tier=top"
	"/api/reports/pyramid?format=xlsx"
	"/api/reports/pareto/customers?format=csv"
	"/api/reports/pareto/customers?format=xlsx"
)
REPORT_ROWS=""
for path in "${REPORTS[@]}"; do
	times=()
	curl -sf -b "$TMP/cookies" -o /dev/null "http://127.0.0.1:$PORT$path" || die "GET $path failed"
	for _ in $(seq 20); do
		times+=("$(curl -s -b "$TMP/cookies" -o /dev/null -w '%{time_total} %{size_download}' "http://127.0.0.1:$PORT$path")")
	done
	REPORT_ROWS+=$(python3 - "$path" "${times[@]}" "$CUSTOM_FROM" <<'EOF'
import statistics, sys
path, runs = sys.argv[1], [r.split() for r in sys.argv[2:-1]]
ms = sorted(float(t) * 1000 for t, _ in runs)
p95 = ms[min(len(ms) - 1, int(round(0.95 * len(ms))) - 1)]
size = int(runs[-1][1])
live = 'to_tier=top' in path or 'from=' + sys.argv[-1] in path or 'kind=' in path or 'department_id=' in path
verdict = '(export)' if 'format=' in path else '(live)' if live else 'yes' if p95 < 300 else 'NO'
print(f"| `GET {path}` | {statistics.median(ms):.1f} | {p95:.1f} | {size:,} | {verdict} |")
EOF
)$'\n'
done

# ------------------------------------------------------------------ report
C=$(median "${CEIL[@]}")
KQM=$(median "${KQ[@]}")
S=$(median "${SAME[@]}")
SR=$(median "${SAME_READ[@]}")
CH=$(median "${CHURN[@]}")
ratio() { python3 -c "import sys; print(f'{int(sys.argv[1]) / max(1, int(sys.argv[2])):.2f}')" "$1" "$2"; }
met() { python3 -c "import sys; print('yes' if float(sys.argv[1]) <= float(sys.argv[2]) else 'NO')" "$1" "$2"; }
R_SAME=$(ratio "$S" "$C")
R_FIRST=$(ratio "$F_WALL" "$C")
FIRST_TARGET=5000 # 100,000 customers; the issue's 1,000,000 / 10,000,000 allow 60 s
[ "$NCUST" -ge 1000000 ] && FIRST_TARGET=60000
R_CHURN=$(ratio "$CH" "$C")
REPORT=$(cat <<EOF
## Customer value: segmentation recompute and reports — $(date -u +%Y-%m-%d), \`bench/segment.sh --rounds $ROUNDS\`

$NCUST demo customers, $NORD orders, $NCASES cases ($( [ $DOUBLE = 1 ] && echo "the demo's orders each with a twin 45 days earlier" || echo "as \`kefu demo\` makes them")), SQLite, ${DBMB} MB;
\`kefu demo\` took $((DEMO_MS / 1000)) s. Machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg). Wall times of the whole
command (\`kefu segment\` includes opening the database), medians of $ROUNDS; the ceiling is the
same run's \`sqlite3\` CLI on the same file, page cache warm.

| Measurement | ms | runs | note |
|---|--:|--:|---|
| ceiling: \`SELECT customer_id, SUM(amount_fen), COUNT(*), MAX(ordered_at) FROM orders GROUP BY customer_id\` | $C | $(spread "${CEIL[@]}") | sqlite3 CLI |
| kefu's aggregate query (window sums, margin, first/last order; without the preset periods' sums) in the sqlite3 CLI | $KQM | $(spread "${KQ[@]}") | (info) |
| \`kefu segment\`, first run: every buyer's tier written ($F_CHG changes, tier_history rows) | $F_WALL | 1 | read $F_READ, compute $F_COMP, write $F_WRITE |
| \`kefu segment\`, unchanged data | $S | $(spread "${SAME[@]}") | read phase $SR |
| \`kefu segment\` after 1% new orders ($NEW) | $CH | $(spread "${CHURN[@]}") | tier changes $(spread "${CHURN_CHG[@]}") |

| Ratio | value | target | met |
|---|--:|--:|:-:|
| recompute on unchanged data / GROUP BY ceiling | **$R_SAME** | ≤ 3.0 | $(met "$R_SAME" 3.0) |
| recompute after 1% new orders / ceiling | $R_CHURN | (info) |  |
| first recompute (all written) / ceiling | $R_FIRST | (info) |  |
| first recompute, absolute | $F_WALL ms | < $FIRST_TARGET ms | $(met "$F_WALL" "$FIRST_TARGET") |

Report pages (\`kefu serve\`, cookie session, one client, 20 sequential requests after a warm-up).
The pages as a supervisor opens them: the defaults and the UI's preset periods (last 90 days,
last 12 months, last quarter), which the recompute pre-aggregates, and the lists behind their
numbers. "(live)": a period that is no preset (read from the orders or the tier history now),
a report narrowed to some customers (counted now over the stored per-customer figures), and the
list of a flow of a few customers (the whole history walked to find them).

| Page | p50 ms | p95 ms | bytes | p95 < 300 ms (pages; exports and live reads are info) |
|---|--:|--:|--:|:-:|
${REPORT_ROWS}
EOF
)
echo "$REPORT"
if [ $APPEND = 1 ]; then
	printf '\n%s\n' "$REPORT" >>bench/RESULTS.md
	log "appended to bench/RESULTS.md"
fi
