#!/usr/bin/env bash
# import.sh - `kefu import` of N customers (default 1,000,000) from a CSV file, against
# the ceiling of loading the same file with the sqlite3 shell (`.import`: parse and insert
# into a plain table in one transaction, no validation, no index), in the same run.
#
#   bench/import.sh [--rows N] [--pg URL]      (from the repo root, after ninja -C build)
#
# Prints rows/s and peak RSS (GNU time's maximum resident set size) of each, and the ratio.
# With --pg, kefu also imports into that PostgreSQL database (a fresh schema is made by
# kefu init; the ceiling there is psql's \copy into a plain table).
# Needs: python3, sqlite3, /usr/bin/time (package time), and psql for --pg.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=1000000
PG=
while [ $# -gt 0 ]; do
	case $1 in
	--rows) ROWS=$2; shift 2 ;;
	--pg) PG=$2; shift 2 ;;
	*) echo "usage: bench/import.sh [--rows N] [--pg URL]" >&2; exit 2 ;;
	esac
done
BIN=${BUILD_DIR:-build}/kefu
[ -x "$BIN" ] || { echo "build kefu first (ninja -C build)" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }

TMP=$(mktemp -d /tmp/kefu-bench-import.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# A realistic customer sheet: name, mobile, type, lifecycle, birthday, tags, notes.
python3 - "$ROWS" "$TMP/customers.csv" <<'EOF'
import random, sys
n, path = int(sys.argv[1]), sys.argv[2]
random.seed(7)
sur = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"
kinds = ["个人", "企业"]
life = ["潜在", "临时", "一般", "忠诚"]
with open(path, "w", encoding="utf-8", newline="") as f:
    f.write("客户名称,手机号码,客户类型,生命周期,生日,标签,备注\r\n")
    for i in range(n):
        name = random.choice(sur) + random.choice(given) + random.choice(given) + str(i)
        f.write(f"{name},13{i % 7 + 3}{i:08d},{kinds[i % 2]},{life[i % 4]},"
                f"19{60 + i % 40}/{1 + i % 12}/{1 + i % 28},老客户、华东,第{i}位客户的备注\r\n")
EOF
SIZE=$(du -m "$TMP/customers.csv" | cut -f1)
echo "file: $ROWS rows, $SIZE MB"

measure() { # LABEL CMD... ; prints "seconds rss_kb"
	local label=$1
	shift
	/usr/bin/time -f "%e %M" -o "$TMP/time.$label" "$@" >"$TMP/out.$label" 2>"$TMP/err.$label" || {
		echo "$label failed:" >&2
		tail -5 "$TMP/err.$label" >&2
		exit 1
	}
	cat "$TMP/time.$label"
}

report() { # LABEL SECONDS RSS_KB
	awk -v l="$1" -v s="$2" -v m="$3" -v n="$ROWS" \
		'BEGIN { printf "%-34s %8.1f s %10.0f rows/s  peak RSS %6.1f MB\n", l, s, n / s, m / 1024 }'
}

# Ceiling: the sqlite3 shell loads the same file (one transaction, a plain table).
read -r cs cm < <(measure ceil sqlite3 "$TMP/ceil.db" \
	"PRAGMA journal_mode=WAL;" "PRAGMA synchronous=NORMAL;" \
	".import --csv $TMP/customers.csv c" "SELECT count(*) FROM c;")
report "ceiling: sqlite3 .import" "$cs" "$cm"

"$BIN" init --db "sqlite:$TMP/kefu.db" >/dev/null 2>&1
read -r ks km < <(measure kefu "$BIN" import --db "sqlite:$TMP/kefu.db" --file "$TMP/customers.csv")
report "kefu import (SQLite)" "$ks" "$km"
tail -1 "$TMP/out.kefu"
n=$(sqlite3 "$TMP/kefu.db" "SELECT count(*) FROM customers")
[ "$n" = "$ROWS" ] || { echo "expected $ROWS customers, found $n" >&2; exit 1; }
awk -v a="$cs" -v b="$ks" 'BEGIN { printf "ratio kefu/ceiling (rows/s, SQLite): %.2f\n", a / b }'

if [ -n "$PG" ]; then
	psql -X -q "$PG" -c "CREATE TABLE IF NOT EXISTS bench_ceil (a text, b text, c text, d text, e text, f text, g text)" >/dev/null
	read -r ps pm < <(measure pgceil psql -X -q "$PG" -c "\\copy bench_ceil FROM '$TMP/customers.csv' WITH (FORMAT csv, HEADER true)")
	report "ceiling: psql \\copy" "$ps" "$pm"
	psql -X -q "$PG" -c "DROP TABLE bench_ceil" >/dev/null
	"$BIN" init --db "$PG" >/dev/null 2>&1 || true
	read -r ks2 km2 < <(measure kefupg "$BIN" import --db "$PG" --file "$TMP/customers.csv")
	report "kefu import (PostgreSQL)" "$ks2" "$km2"
	awk -v a="$ps" -v b="$ks2" 'BEGIN { printf "ratio kefu/ceiling (rows/s, PostgreSQL): %.2f\n", a / b }'
fi
