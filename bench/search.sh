#!/usr/bin/env bash
# bench/search.sh - Chinese search at scale (issue 8): the search index built over 1,000,000
# cases on SQLite (indexing rate) and GET /api/search?type=case latency (p50/p95/p99), each
# against a ceiling measured in the same run on the same data; and the emotion triage's
# accuracy on the labelled sets of tests/data.
#
# Usage (from the repo root, after `ninja -C build`):
#   bench/search.sh [--cases N] [--customers N] [--reps R] [--db FILE] [--keep]
#
#   --cases N       cases loaded (default 1000000)
#   --customers N   customers loaded first (default 100000)
#   --reps R        measured repetitions of each query (default 30, after 2 warm-ups)
#   --db FILE       reuse a database made by an earlier --keep run (no load, no reindex)
#   --keep          keep the database and print where it is
#
# Environment: BUILD_DIR (default build), CC (default cc).
#
# What runs, in order:
#   1. kefu init + kefu demo --customers C --cases N; then every case gets a description of
#      2-4 sentences as customers write them (a seeded generator below: products, faults,
#      what happened, what they want; ~30% mention 投诉, ~3% 断线), so the index holds real
#      variety rather than the demo's 30 subjects;
#   2. ceilings of indexing: kefu's tokenizer alone over the texts (no writes), and FTS5 with
#      SQLite's built-in trigram tokenizer (about as many tokens per Chinese text as kefu's
#      bigrams) writing the same texts, 1000 rows per transaction;
#   3. kefu search reindex (customers, cases, knowledge base; per-kind rates);
#   4. kefu serve; each query R times, one client, keep-alive, as admin (sees every case)
#      and as agent01 (department visibility: a join more); the ceiling runs kefu's SQL for
#      the same query straight through the SQLite API (bench/search_ceil.c: no HTTP, JSON,
#      snippets, catch-up);
#   5. bench/emotion_eval.c on tests/data/emotion_*.tsv.
# Prints a markdown report (also written to bench/results-search-latest.md, not committed).
set -euo pipefail

CASES=1000000
CUSTOMERS=100000
REPS=30
DBFILE=
KEEP=0
usage() { sed -n '6,16p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "search.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

while [ $# -gt 0 ]; do
	case "$1" in
	--cases) CASES=$2; shift 2 ;;
	--customers) CUSTOMERS=$2; shift 2 ;;
	--reps) REPS=$2; shift 2 ;;
	--db) DBFILE=$2; shift 2 ;;
	--keep) KEEP=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
[[ $CASES =~ ^[1-9][0-9]*$ ]] || die "--cases must be a positive integer"
[[ $CUSTOMERS =~ ^[1-9][0-9]*$ ]] || die "--customers must be a positive integer"
[[ $REPS =~ ^[1-9][0-9]*$ ]] || die "--reps must be a positive integer"

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD=${BUILD_DIR:-build}
KEFU=$BUILD/kefu
CC=${CC:-cc}
for t in curl python3 "$CC" pkg-config; do command -v "$t" >/dev/null || die "$t not found"; done
[ -x "$KEFU" ] || die "$KEFU missing: run 'ninja -C $BUILD' first"
[ -f "$BUILD/libkefucore.a" ] || die "$BUILD/libkefucore.a missing"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kefu-search-bench.XXXXXX")
SERVER=
cleanup() {
	[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
	if [ "$KEEP" = 1 ]; then echo "kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
NOTES=$TMP/notes.txt
: >"$NOTES"
note() { printf '%s\t%s\n' "$1" "$2" >>"$NOTES"; }
now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$(now)"; }

log "building the ceilings (search_ceil, emotion_eval)"
LIBS="$BUILD/libkefucore.a $(pkg-config --libs icu-uc icu-i18n sqlite3) -lm -lpthread"
"$CC" -O2 -I. -I"$BUILD" -o "$TMP/search_ceil" bench/search_ceil.c store/fts_sqlite.c $LIBS
"$CC" -O2 -I. -I"$BUILD" -o "$TMP/emotion_eval" bench/emotion_eval.c $LIBS

# ------------------------------------------------------------------ data
export KEFU_ADMIN_PASSWORD="bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
export KEFU_DEMO_PASSWORD="Demo-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')9"
if [ -n "$DBFILE" ]; then
	DB=$DBFILE
	. "$(dirname "$DBFILE")/passwords.sh"
	REUSED=1
else
	DB=$TMP/kefu.db
	REUSED=0
	log "kefu init + demo: $CUSTOMERS customers, $CASES cases"
	t0=$(now)
	"$KEFU" init --db "sqlite:$DB" >"$TMP/init.log" 2>&1 || { cat "$TMP/init.log" >&2; die "init failed"; }
	"$KEFU" demo --db "sqlite:$DB" --customers "$CUSTOMERS" --cases "$CASES" >"$TMP/demo.log" 2>&1 ||
		{ tail -n 20 "$TMP/demo.log" >&2; die "kefu demo failed"; }
	note "demo load" "$(since "$t0") s"
	printf 'export KEFU_ADMIN_PASSWORD=%q KEFU_DEMO_PASSWORD=%q\n' "$KEFU_ADMIN_PASSWORD" "$KEFU_DEMO_PASSWORD" >"$TMP/passwords.sh"
	log "writing case descriptions"
	t0=$(now)
	python3 - "$DB" <<'PY'
import random, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=OFF")
products = ["蓝牙耳机", "智能手机", "洗衣机", "冰箱", "空调", "路由器", "电视", "热水器", "扫地机器人",
            "电饭煲", "平板电脑", "智能手表", "净水器", "宽带", "吸尘器", "微波炉", "油烟机", "投影仪"]
faults = ["一接电话就断线", "无法开机", "充不进电", "屏幕出现裂痕", "噪音特别大", "不制冷", "底部漏水",
          "连不上网络", "蓝牙配对失败", "频繁死机", "有异味", "遥控器失灵", "显示屏闪烁", "发热严重",
          "按键没反应", "出水很小", "指示灯一直闪", "自动关机"]
logistics = ["快递三天没有更新物流信息", "送货员没打电话就放在门口", "收到的包装已经破损", "少发了一个配件",
             "发票开错了抬头", "退款十天还没到账", "安装师傅迟到了两个小时", "优惠券无法使用"]
context = ["我上个月在官网买的{p}", "家里的{p}是去年双十一买的", "刚收到的{p}", "给父母买的{p}",
           "公司采购的一批{p}", "用了不到一个月的{p}"]
follow = ["已经打了{n}次客服电话，每次都说会有人联系，结果没人回电。", "师傅上门看过一次，说要换零件，之后就没消息了。",
          "在线客服让我等通知，等了一个星期。", "说明书上的方法都试过了，还是不行。",
          "希望你们能尽快安排处理。", "这已经影响到正常生活了。"]
demands = ["要求退货", "希望换一台新的", "请尽快安排上门维修", "要求全额退款", "希望给个说法", "要求赔偿损失",
           "想了解一下保修政策", "请告诉我下一步怎么办"]
complaint = ["我要投诉", "我要投诉你们的服务", "这是我第二次投诉了", "如果再不处理我就去消协投诉"]
rnd = random.Random(20251125)
n = 0
rows = db.execute("SELECT id, type FROM cases ORDER BY id").fetchall()
batch = []
for cid, ctype in rows:
    p = rnd.choice(products)
    parts = [rnd.choice(context).format(p=p) + "，" + (rnd.choice(faults) if rnd.random() < 0.8 else rnd.choice(logistics)) + "。"]
    if rnd.random() < 0.03:
        parts.append("我的手机这两天一接电话就断线，换了卡也一样。")
    parts.append(rnd.choice(follow).format(n=rnd.randint(2, 6)))
    if ctype == "complaint" and rnd.random() < 0.8 or rnd.random() < 0.15:
        parts.append(rnd.choice(complaint) + "！")
    parts.append(rnd.choice(demands) + "。")
    batch.append(("".join(parts), cid))
    if len(batch) == 10000:
        db.executemany("UPDATE cases SET description = ? WHERE id = ?", batch); db.commit(); batch = []
if batch:
    db.executemany("UPDATE cases SET description = ? WHERE id = ?", batch); db.commit()
PY
	note "descriptions written" "$(since "$t0") s"
fi
read -r NCASES AVGLEN < <(python3 - "$DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
n, l = db.execute("SELECT COUNT(*), AVG(length(subject) + length(description)) FROM cases").fetchone()
print(n, round(l or 0))
PY
)
note "cases" "$NCASES (subject + description: $AVGLEN characters on average)"

# ------------------------------------------------------------------ indexing
log "ceiling: kefu's tokenizer alone"
read -r TK_ROWS TK_S TK_RATE TK_MBS TK_TOKS < <("$TMP/search_ceil" tokenize "$DB")
log "ceiling: FTS5 trigram index of the same texts"
read -r CE_ROWS CE_S CE_RATE CE_MB < <("$TMP/search_ceil" index "$DB" "$TMP/ceil.db")
CE_SIZE=$(du -m "$TMP/ceil.db" | cut -f1)
rm -f "$TMP/ceil.db"*
if [ "$REUSED" = 0 ]; then
	log "kefu search reindex"
	SIZE0=$(du -m "$DB" | cut -f1)
	"$KEFU" search reindex --db "sqlite:$DB" >"$TMP/reindex.log" 2>&1 || { cat "$TMP/reindex.log" >&2; die "reindex failed"; }
	"$KEFU" search refresh --db "sqlite:$DB" >>"$TMP/reindex.log" 2>&1
	SIZE1=$(du -m "$DB" | cut -f1)
	read -r IX_N IX_S IX_RATE < <(awk '$1 == "case" {print $2, $5, substr($7, 2)}' "$TMP/reindex.log")
	note "index size" "$((SIZE1 - SIZE0)) MB for all kinds (database $SIZE0 → $SIZE1 MB); trigram ceiling table $CE_SIZE MB"
else
	IX_N=; IX_S=; IX_RATE=
fi
cp "$TMP/reindex.log" "$TMP/reindex.keep" 2>/dev/null || true

# ------------------------------------------------------------------ queries
QUERIES=(投诉 断线 退款 蓝牙耳机 空调不制冷 "物流 发票" 客服电话 "iPhone" 消协 以旧换新 天)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
URL=http://127.0.0.1:$PORT
KEFU_JOBS_INTERVAL=0 "$KEFU" serve --db "sqlite:$DB" --listen "127.0.0.1:$PORT" --no-access-log >"$TMP/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -sf "$URL/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "$URL/healthz" >/dev/null || die "kefu serve did not start"
log "kefu: ${#QUERIES[@]} queries x $REPS, as admin and as agent01"
python3 - "$URL" "$REPS" "$TMP/kefu.tsv" "$KEFU_ADMIN_PASSWORD" "$KEFU_DEMO_PASSWORD" "${QUERIES[@]}" <<'PY'
import http.client, json, sys, time, urllib.parse
url, reps, out, admin_pw, demo_pw = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
queries = sys.argv[6:]
host = urllib.parse.urlparse(url)
conn = http.client.HTTPConnection(host.hostname, host.port)
def call(method, path, body=None, headers=None):
    h = {"Content-Type": "application/json", **(headers or {})}
    conn.request(method, path, json.dumps(body) if body is not None else None, h)
    r = conn.getresponse()
    data = r.read()
    return r, json.loads(data) if data else None
def token(user, pw):
    r, login = call("POST", "/api/session", {"username": user, "password": pw})
    cookie = r.getheader("Set-Cookie").split(";")[0]
    _, tok = call("POST", "/api/tokens", {"name": "bench"}, {"Cookie": cookie, "X-CSRF-Token": login["csrf_token"]})
    return tok["token"]
who = {"admin": token("admin", admin_pw), "agent": token("agent01", demo_pw)}
with open(out, "w") as f:
    for q in queries:
        path = "/api/search?type=case&limit=20&q=" + urllib.parse.quote(q)
        for role, tok in who.items():
            ts, total, capped = [], 0, False
            for i in range(reps + 2):
                t0 = time.perf_counter()
                r, body = call("GET", path, headers={"Authorization": "Bearer " + tok})
                dt = (time.perf_counter() - t0) * 1000
                assert r.status == 200, (r.status, body)
                if i >= 2:
                    ts.append(dt)
                total, capped = body["total"], body["total_capped"]
            f.write(f"{q}\t{role}\t{total}\t{int(capped)}\t" + ",".join(f"{t:.3f}" for t in ts) + "\n")
PY
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
log "ceiling: kefu's SQL through the SQLite API"
"$TMP/search_ceil" query "$DB" "$REPS" "${QUERIES[@]}" >"$TMP/ceil.tsv"
log "emotion triage accuracy"
cat tests/data/emotion_labelled.tsv tests/data/emotion_heldout.tsv tests/data/emotion_heldout2.tsv >"$TMP/emotion.tsv"
"$TMP/emotion_eval" "$TMP/emotion.tsv" >"$TMP/emotion.md"

# ------------------------------------------------------------------ report
python3 - "$TMP" "$NOTES" "$CE_RATE" "$CE_S" "$CE_MB" "$TK_RATE" "$TK_MBS" "$TK_TOKS" "$TK_ROWS" "${IX_N:-}" "${IX_S:-}" "${IX_RATE:-}" >"$TMP/report.md" <<'PY'
import os, platform, statistics, subprocess, sys, time
tmp, notes = sys.argv[1], sys.argv[2]
ce_rate, ce_s, ce_mb, tk_rate, tk_mbs, tk_toks, tk_rows, ix_n, ix_s, ix_rate = sys.argv[3:13]
def pct(v, p):
    v = sorted(v); return v[min(len(v) - 1, int(round(p * (len(v) - 1))))]
rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(tmp, "kefu.tsv"))]
ceil = {l.split("\t")[0]: l.rstrip("\n").split("\t") for l in open(os.path.join(tmp, "ceil.tsv"))}
kefu = {}
for q, role, total, capped, ts in rows:
    kefu[(q, role)] = (int(total), capped == "1", [float(t) for t in ts.split(",")])
queries = list(dict.fromkeys(r[0] for r in rows))
cpu = "?"
try:
    cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
except Exception:
    pass
rev = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True).stdout.strip()
print(f"## Search (issue 8) — {time.strftime('%Y-%m-%d', time.gmtime())}, `bench/search.sh`\n")
print(f"- machine: {os.cpu_count()} cores, {cpu}; load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
print(f"- commit: {rev}")
for l in open(notes):
    k, v = l.rstrip("\n").split("\t", 1); print(f"- {k}: {v}")
print("\n### Indexing\n")
print("| Measurement | records/s | note |\n|---|--:|---|")
print(f"| ceiling: kefu's tokenizer alone (no writes) | {float(tk_rate):,.0f} | {float(tk_mbs):.1f} MB/s of text, {int(tk_toks) / max(1, int(tk_rows)):.0f} tokens per case |")
print(f"| ceiling: FTS5 + SQLite's trigram tokenizer, same texts | {float(ce_rate):,.0f} | {float(ce_mb):.0f} MB of text in {float(ce_s):.0f} s |")
if ix_rate:
    print(f"| kefu search reindex (cases: read, tokenize, FTS5, 1000 per transaction) | {float(ix_rate):,.0f} | {int(ix_n):,} cases in {float(ix_s):.0f} s |")
    print(f"\nIndexing rate / trigram FTS5 ceiling: **{float(ix_rate) / float(ce_rate):.2f}**")
print("\n### GET /api/search?type=case&limit=20 (one client, keep-alive; ms)\n")
print("| query | matches | admin p50 | admin p95 | agent01 p95 | ceiling p50 | ceiling p95 | admin p95 / ceiling p95 |")
print("|---|--:|--:|--:|--:|--:|--:|--:|")
alla, allg, allc = [], [], []
for q in queries:
    tot, capped, ta = kefu[(q, "admin")]
    _, _, tg = kefu[(q, "agent")]
    c = ceil.get(q)
    cp50, cp95 = (float(c[1]), float(c[2])) if c else (0, 0)
    alla += ta; allg += tg
    m = f"{tot:,}" + (" (capped: 2,000 newest ranked)" if capped else "")
    print(f"| {q} | {m} | {pct(ta, .5):.2f} | {pct(ta, .95):.2f} | {pct(tg, .95):.2f} | {cp50:.2f} | {cp95:.2f} | {pct(ta, .95) / cp95 if cp95 else 0:.1f} |")
print(f"\nAll queries together: admin p50 {pct(alla, .5):.2f} ms, **p95 {pct(alla, .95):.2f} ms**, p99 {pct(alla, .99):.2f} ms; "
      f"agent01 p95 **{pct(allg, .95):.2f} ms**, p99 {pct(allg, .99):.2f} ms.  Target: p95 < 30 ms over 1,000,000 cases: "
      f"**{'met' if max(pct(alla, .95), pct(allg, .95)) < 30 else 'NOT met'}**.")
print("\n### Emotion triage (tests/data, bench/emotion_eval.c)\n")
print(open(os.path.join(tmp, "emotion.md")).read())
PY
cat "$TMP/report.md"
cp "$TMP/report.md" bench/results-search-latest.md
