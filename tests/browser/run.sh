#!/usr/bin/env bash
# tests/browser/run.sh - the browser suite: Debian's Chromium (through the npm package
# playwright-core, never a browser download) against `kefu serve` on a temporary SQLite
# database with demo data. Builds nothing.
#
# Needs: build/kefu (or $KEFU_BIN); /usr/bin/chromium and fonts-noto-cjk
# (apt-get install chromium fonts-noto-cjk); web/node_modules (cd web && npm ci), which holds
# playwright-core; the built UI: embedded in the binary, or web/dist given with KEFU_WEB_DIR.
#
# Env:
#   KEFU_BIN                 the binary (default build/kefu)
#   KEFU_WEB_DIR             serve the UI from this directory (adds --web-dir DIR to serve), e.g.
#                            web/dist for a binary built before the UI was
#   KEFU_BROWSER_CUSTOMERS   demo customers (default 100000: the paint measurement's size)
#   KEFU_PAINT_BUDGET_MS     first-paint budget of the customer list (default 1000)
#   KEFU_CHROMIUM            the browser (default /usr/bin/chromium)
#   KEFU_BROWSER_OUT         screenshots and metrics.jsonl (default tests/browser/out)
#   KEFU_TEST_KEEP=1         keep the temporary database and logs
#   KEFU_BROWSER_TESTS       test files to run (default: every *.test.mjs in tests/browser/)
#   KEFU_BROWSER_PG_URL      a PostgreSQL server's URL (scripts/pg-temp.sh): the demo database
#                            made on SQLite is moved there with `kefu migrate-db` (which checks
#                            every table's count and checksum) and the suite runs against it
#
# Prints the metrics as JSON lines at the end (also in $KEFU_BROWSER_OUT/metrics.jsonl).
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$PWD

BIN=${KEFU_BIN:-build/kefu}
CUSTOMERS=${KEFU_BROWSER_CUSTOMERS:-100000}
CHROMIUM=${KEFU_CHROMIUM:-/usr/bin/chromium}
OUT=${KEFU_BROWSER_OUT:-$ROOT/tests/browser/out}
WEB_DIR=${KEFU_WEB_DIR:-}

die() { echo "browser tests: $*" >&2; exit 1; }
[ -x "$BIN" ] || die "no kefu binary at $BIN (build it first: ninja -C build)"
[ -x "$CHROMIUM" ] || die "no browser at $CHROMIUM (apt-get install chromium fonts-noto-cjk)"
[ -d web/node_modules/playwright-core ] || die "web/node_modules is missing (cd web && npm ci)"
if [ -n "$WEB_DIR" ]; then
	WEB_DIR=$(cd "$WEB_DIR" && pwd) || die "KEFU_WEB_DIR $KEFU_WEB_DIR does not exist"
	[ -f "$WEB_DIR/index.html" ] || die "no index.html in $WEB_DIR (cd web && npm run build)"
fi

TMP=$(mktemp -d /tmp/kefu-browser.XXXXXX)
PIDS=()
cleanup() {
	local rc=$? pid
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	if [ $rc != 0 ] && [ -f "$TMP/serve.log" ]; then
		echo "---- kefu serve log (last lines)" >&2
		tail -n 30 "$TMP/serve.log" >&2 || true
	fi
	if [ "${KEFU_TEST_KEEP:-}" = 1 ]; then
		echo "kept $TMP" >&2
	else
		rm -rf "$TMP"
		[ -z "${PGDB:-}" ] || scripts/pg-temp.sh dropdb "$KEFU_BROWSER_PG_URL" "kefu_browser_$$" || true
	fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
	node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

wait_http() { # URL: waits up to 15 s for a 200
	node -e '
		const url = process.argv[1];
		const end = Date.now() + 15000;
		(async () => {
			for (;;) {
				try { const r = await fetch(url); if (r.ok) process.exit(0); } catch {}
				if (Date.now() > end) { console.error("no answer from " + url); process.exit(1); }
				await new Promise((f) => setTimeout(f, 100));
			}
		})();' "$1"
}

DB="sqlite:$TMP/kefu.db"
export KEFU_ADMIN_PASSWORD="Kf-root-$RANDOM$RANDOM-Zq"
export KEFU_DEMO_PASSWORD="Agent-pass-1"
"$BIN" init --db "$DB" >"$TMP/init.log" 2>&1 || { cat "$TMP/init.log" >&2; die "kefu init failed"; }
T0=$(date +%s%N)
"$BIN" demo --db "$DB" --customers "$CUSTOMERS" >"$TMP/demo.log" 2>&1 || { cat "$TMP/demo.log" >&2; die "kefu demo failed"; }
echo "demo database: $CUSTOMERS customers in $(( ($(date +%s%N) - T0) / 1000000 )) ms"

if [ -n "${KEFU_BROWSER_PG_URL:-}" ]; then
	PGDB=$(scripts/pg-temp.sh createdb "$KEFU_BROWSER_PG_URL" "kefu_browser_$$") ||
		die "cannot create the PostgreSQL database"
	T0=$(date +%s%N)
	"$BIN" migrate-db --from "$DB" --to "$PGDB" >"$TMP/migrate.log" 2>&1 ||
		{ cat "$TMP/migrate.log" >&2; die "kefu migrate-db failed"; }
	echo "moved to PostgreSQL by kefu migrate-db in $(( ($(date +%s%N) - T0) / 1000000 )) ms: $(tail -n 1 "$TMP/migrate.log")"
	DB=$PGDB
fi

PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
SERVE=("$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT")
[ -z "$WEB_DIR" ] || SERVE+=(--web-dir "$WEB_DIR")
"${SERVE[@]}" >"$TMP/serve.log" 2>&1 &
PIDS+=($!)
wait_http "$URL/healthz"

# The UI must be there: the document at / (and at any other non-/api path: SPA fallback).
node -e '
	(async () => {
		for (const p of ["/", "/customers/1"]) {
			const r = await fetch(process.argv[1] + p);
			const type = r.headers.get("content-type") || "";
			const body = await r.text();
			if (!r.ok || !type.includes("text/html") || !body.includes("id=\"app\"")) {
				console.error(`GET ${p}: ${r.status} ${type}: the server does not serve the UI (embed it, or set KEFU_WEB_DIR=web/dist)`);
				process.exit(1);
			}
		}
	})();' "$URL"

mkdir -p "$OUT"
rm -f "$OUT"/*.png "$OUT/metrics.jsonl"
echo "browser tests against $URL (screenshots in $OUT)"
rc=0
KEFU_URL=$URL KEFU_CUSTOMERS=$CUSTOMERS KEFU_BROWSER_OUT=$OUT KEFU_CHROMIUM=$CHROMIUM \
	node --test --test-concurrency=1 --test-reporter=spec ${KEFU_BROWSER_TESTS:-tests/browser/} || rc=$?

if [ -f "$OUT/metrics.jsonl" ]; then
	echo "---- metrics (JSON lines)"
	# The per-file list of the login page is in metrics.jsonl; print the totals.
	node -e '
		const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n");
		for (const l of lines) { const m = JSON.parse(l); delete m.files; console.log(JSON.stringify(m)); }' "$OUT/metrics.jsonl"
fi
exit $rc
