#!/usr/bin/env bash
# fuzz.sh - builds the libFuzzer targets of tests/fuzz (clang, ASan + UBSan, in build-fuzz/)
# and runs each for a fixed time, one after the other; `make fuzz` calls it.
#
#   scripts/fuzz.sh [TARGET...]     all targets (tests/fuzz/fuzz_*.c) when none is named
#
# Env:  FUZZ_SECONDS  seconds per target (default 60)
#       FUZZ_BUILD    build directory (default build-fuzz)
#
# Each target starts from its seeds (tests/fuzz/corpus/TARGET, read only) and from what
# earlier runs found (FUZZ_BUILD/fuzz-corpus/TARGET, where new inputs go), with
# tests/fuzz/TARGET.dict when there is one.  A crash, sanitizer report or failed invariant
# leaves its input in FUZZ_BUILD/fuzz-crashes/TARGET/; reproduce it with
#   FUZZ_BUILD/tests/fuzz/fuzz_TARGET FILE
# Prints one line per target (executions, executions per second, corpus size, result) from
# libFuzzer's final statistics, keeps the table in FUZZ_BUILD/fuzz-summary.txt, and exits
# non-zero if any target crashed.
set -euo pipefail

cd "$(dirname "$0")/.."

SECONDS_PER=${FUZZ_SECONDS:-60}
BUILD=${FUZZ_BUILD:-build-fuzz}
case $SECONDS_PER in '' | *[!0-9]*) echo "fuzz.sh: FUZZ_SECONDS must be a number" >&2; exit 2 ;; esac
case ${1:-} in -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac

command -v clang >/dev/null 2>&1 || { echo "fuzz.sh: clang is needed (apt-get install clang)" >&2; exit 2; }

if [ ! -f "$BUILD/build.ninja" ]; then
	CC=clang meson setup "$BUILD" -Dfuzz=true --buildtype=debugoptimized
fi
ninja -C "$BUILD" fuzz

if [ $# -gt 0 ]; then
	targets=("$@")
else
	targets=()
	for f in tests/fuzz/fuzz_*.c; do
		t=${f#tests/fuzz/fuzz_}
		targets+=("${t%.c}")
	done
fi

# Leaks count as failures; abort so that libFuzzer keeps the input of any report.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

summary=$BUILD/fuzz-summary.txt
printf '%-10s %6s %12s %10s %7s  %s\n' target seconds executions execs/s corpus result | tee "$summary"
failed=0
for t in "${targets[@]}"; do
	bin=$BUILD/tests/fuzz/fuzz_$t
	[ -x "$bin" ] || { echo "fuzz.sh: no target $t" >&2; failed=1; continue; }
	work=$BUILD/fuzz-corpus/$t
	crashes=$BUILD/fuzz-crashes/$t
	mkdir -p "$work" "$crashes"
	args=(-max_total_time="$SECONDS_PER" -print_final_stats=1 -timeout=20 -rss_limit_mb=2048
		-artifact_prefix="$crashes/")
	[ -f "tests/fuzz/$t.dict" ] && args+=(-dict="tests/fuzz/$t.dict")
	[ "$t" = import ] && args+=(-dict=tests/fuzz/csv.dict)
	seeds=()
	[ -d "tests/fuzz/corpus/$t" ] && seeds=("tests/fuzz/corpus/$t")
	log=$BUILD/fuzz-$t.log
	t0=$SECONDS
	rc=0
	"$bin" "${args[@]}" "$work" "${seeds[@]}" >"$log" 2>&1 || rc=$?
	dt=$((SECONDS - t0))
	execs=$(LC_ALL=C sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(LC_ALL=C sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	size=$(find "$work" -type f | wc -l)
	if [ $rc = 0 ]; then
		result=ok
	else
		failed=1
		art=$(LC_ALL=C sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
		why=$(grep -a -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|fuzz check failed' "$log" || true)
		result="CRASH ${art:-(no input saved)}: ${why:-exit $rc, see $log}"
	fi
	printf '%-10s %6s %12s %10s %7s  %s\n' "$t" "$dt" "${execs:-?}" "${rate:-?}" "$size" "$result" | tee -a "$summary"
done
exit $failed
