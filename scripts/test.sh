#!/usr/bin/env bash
# test.sh - everything `make test` (and CI) runs:
#
#   1. the web UI (npm ci, build, its unit tests), then build (build/, embedding the UI)
#      and the unit tests
#   2. the end-to-end suite (tests/e2e, node --test) on SQLite and on a throwaway PostgreSQL,
#      and the browser suite (tests/browser, Debian's Chromium through playwright-core), on
#      SQLite and again on PostgreSQL with the demo database moved there by kefu migrate-db
#   3. the unit tests under valgrind, and a sanitizer build (build-asan/, ASan + UBSan) with
#      the unit tests and the end-to-end suite on both backends again
#   4. a short fuzzing pass: every libFuzzer target of tests/fuzz for FUZZ_TEST_SECONDS
#      (default 8) each, in build-fuzz/ (scripts/fuzz.sh; only when clang is installed)
#   5. the Debian package on a clean Debian 12 root (tests/deb/chroot-test.sh: debootstrap,
#      apt-get install, systemd-nspawn --boot); root and the network only, else SKIP
#
# Every phase runs even when an earlier one failed; a summary is printed at the end and the
# exit status is non-zero if any phase failed.
#
# Options:  --quick   skip valgrind, the sanitizer build and fuzzing (phases 3 and 4)
# Env:      E2E_FILES   test files to run instead of the whole of tests/e2e/
#           KEFU_TEST_VERBOSE=1 / KEFU_TEST_KEEP=1   see tests/e2e/lib.mjs
# shellcheck disable=SC2317 # functions are called through phase()
set -euo pipefail

cd "$(dirname "$0")/.."

QUICK=0
for a in "$@"; do
	case $a in
	--quick) QUICK=1 ;;
	-h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "test.sh: unknown option $a" >&2; exit 2 ;;
	esac
done

# ------------------------------------------------------------------ bookkeeping
declare -a SUMMARY=()
FAILED=0
phase() { # NAME CMD...: runs CMD, records pass/fail and the time it took
	local name=$1
	shift
	local t0=$SECONDS rc=0
	printf '\n==== %s\n' "$name"
	"$@" || rc=$?
	local dt=$((SECONDS - t0))
	if [ $rc = 0 ]; then
		SUMMARY+=("PASS  $name (${dt}s)")
	else
		SUMMARY+=("FAIL  $name (${dt}s, exit $rc)")
		FAILED=1
	fi
	return 0
}
skip() { SUMMARY+=("SKIP  $1 ($2)"); }

summary() {
	printf '\n==== summary\n'
	local s
	for s in "${SUMMARY[@]}"; do printf '  %s\n' "$s"; done
	if [ $FAILED = 0 ]; then printf '  all passed\n'; else printf '  FAILED\n'; fi
}

# ------------------------------------------------------------------ PostgreSQL
PG_BASE=
PG_DIR=
PG_URL=
cleanup() {
	local rc=$?
	if [ -n "$PG_DIR" ]; then
		scripts/pg-temp.sh stop "$PG_DIR" || true
		rm -rf "$PG_BASE"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

start_pg() {
	# (set -e does not apply inside a phase: check each step.)
	PG_BASE=$(mktemp -d /tmp/kefu-test.XXXXXX) || return 1
	chmod 755 "$PG_BASE" || return 1 # the cluster may run as user postgres
	PG_DIR=$PG_BASE/pg
	local port
	port=$(free_port) || return 1
	PG_URL=$(scripts/pg-temp.sh start "$PG_DIR" "$port") || { PG_URL=; return 1; }
	echo "PostgreSQL: $PG_URL"
}

# ------------------------------------------------------------------ phases
build() { # DIR [meson setup options]
	local dir=$1
	shift
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$@" || return 1
	fi
	ninja -C "$dir"
}

unit() { # DIR [meson test options]
	local dir=$1
	shift
	meson test -C "$dir" --suite unit --print-errorlogs "$@"
}

e2e() { # DB BIN
	local db=$1 bin=$2
	[ -x "$bin" ] || { echo "no binary at $bin" >&2; return 1; }
	local files
	if [ -n "${E2E_FILES:-}" ]; then
		# shellcheck disable=SC2206
		files=($E2E_FILES)
	else
		files=(tests/e2e/)
	fi
	if [ "$db" = pg ]; then
		[ -n "$PG_URL" ] || { echo "PostgreSQL did not start" >&2; return 1; }
		KEFU_TEST_DB=pg KEFU_TEST_PG_URL=$PG_URL KEFU_BIN=$bin \
			node --test --test-reporter=spec "${files[@]}"
	else
		KEFU_TEST_DB=sqlite KEFU_BIN=$bin node --test --test-reporter=spec "${files[@]}"
	fi
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

# The web UI is built first so that the server build embeds it.
web() {
	command -v npm >/dev/null 2>&1 || { echo "npm is needed for the web UI" >&2; return 1; }
	(cd web && npm ci --no-audit --no-fund && npm run build && npm test)
}
browser() {
	KEFU_BIN=build/kefu tests/browser/run.sh
}
# The same suite on PostgreSQL: the 100,000-customer demo database is made on SQLite and
# moved by `kefu migrate-db` (every table's count and checksum compared) before it runs.
browser_pg() {
	KEFU_BIN=build/kefu KEFU_BROWSER_PG_URL=$PG_URL KEFU_BROWSER_OUT=tests/browser/out-pg \
		tests/browser/run.sh
}
fuzz() {
	FUZZ_SECONDS=${FUZZ_TEST_SECONDS:-8} scripts/fuzz.sh
}
deb_chroot() {
	local deb
	deb=$(scripts/deb.sh build) || return 1
	tests/deb/chroot-test.sh "$deb"
}

WEB_OK=0
phase "web UI: npm ci, build, unit tests" web && [ "${SUMMARY[-1]:0:4}" = PASS ] && WEB_OK=1

BUILD_OK=0
phase "build (build/)" build build && [ "${SUMMARY[-1]:0:4}" = PASS ] && BUILD_OK=1
if [ $BUILD_OK = 1 ]; then
	phase "unit tests" unit build
else
	skip "unit tests" "build failed"
fi

PG_OK=0
phase "start PostgreSQL" start_pg && [ "${SUMMARY[-1]:0:4}" = PASS ] && PG_OK=1

if [ $BUILD_OK = 1 ]; then
	phase "e2e on SQLite" e2e sqlite build/kefu
	if [ $PG_OK = 1 ]; then
		phase "e2e on PostgreSQL" e2e pg build/kefu
	else
		skip "e2e on PostgreSQL" "PostgreSQL did not start"
	fi
else
	skip "e2e" "build failed"
fi

if [ $BUILD_OK = 1 ] && [ $WEB_OK = 1 ]; then
	phase "browser tests (Chromium)" browser
	if [ $PG_OK = 1 ]; then
		phase "browser tests on PostgreSQL (the demo database moved by kefu migrate-db)" browser_pg
	else
		skip "browser tests on PostgreSQL" "PostgreSQL did not start"
	fi
else
	skip "browser tests" "the server or the web UI did not build"
fi

if [ $QUICK = 1 ]; then
	skip "unit tests under valgrind" "--quick"
	skip "sanitizer build and tests" "--quick"
else
	if [ $BUILD_OK = 1 ]; then
		phase "unit tests under valgrind" unit build --timeout-multiplier 10 \
			--wrapper "valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect"
	else
		skip "unit tests under valgrind" "build failed"
	fi
	ASAN_OK=0
	phase "build (build-asan/, ASan+UBSan)" build build-asan -Db_sanitize=address,undefined -Dbuildtype=debug &&
		[ "${SUMMARY[-1]:0:4}" = PASS ] && ASAN_OK=1
	if [ $ASAN_OK = 1 ]; then
		phase "unit tests (sanitizers)" unit build-asan
		phase "e2e on SQLite (sanitizers)" e2e sqlite build-asan/kefu
		if [ $PG_OK = 1 ]; then
			phase "e2e on PostgreSQL (sanitizers)" e2e pg build-asan/kefu
		else
			skip "e2e on PostgreSQL (sanitizers)" "PostgreSQL did not start"
		fi
	else
		skip "sanitizer tests" "sanitizer build failed"
	fi
	if command -v clang >/dev/null 2>&1; then
		phase "fuzzing (build-fuzz/, ${FUZZ_TEST_SECONDS:-8} s per target)" fuzz
	else
		skip "fuzzing" "clang is not installed"
	fi
fi

# The package needs root (debootstrap, chroot, mounts); it runs in --quick too.
if [ $BUILD_OK = 0 ]; then
	skip "Debian package on a clean Debian 12 root" "build failed"
elif [ "$(id -u)" != 0 ]; then
	echo "SKIP Debian package on a clean Debian 12 root: needs root (sudo make test-deb)"
	skip "Debian package on a clean Debian 12 root" "needs root: sudo make test-deb"
elif ! command -v debootstrap >/dev/null 2>&1; then
	skip "Debian package on a clean Debian 12 root" "debootstrap is not installed (scripts/deps.sh test)"
else
	phase "Debian package on a clean Debian 12 root (tests/deb/chroot-test.sh)" deb_chroot
fi

summary
exit $FAILED
