#!/usr/bin/env bash
# build.sh — the one entry point: install what is missing, build, test.
#   ./build.sh              release build in build/ (then: build/rmux)
#   ./build.sh test [ARGS]  ASan+UBSan build in build-asan/, the whole suite;
#                           then a clang -Werror build (build-clang/) and the
#                           unit tests under valgrind (build-valgrind/)
#   ./build.sh bench        release build, benchmarks against tmux and mosh
#   ./build.sh fuzz [SECS [NAME...]]  clang libFuzzer build, each harness
#                           (or the NAMEd ones of tests/fuzz) for SECS
#   ./build.sh soak [MINUTES [SEED]]  three impaired link clients against a
#                           churning daemon (default 60 minutes)
set -euo pipefail
cd "$(dirname "$0")"
top=$(pwd)

# Debian/Ubuntu packages the build and the tests need.
packages=(meson ninja-build pkg-config gcc clang libevent-dev libssl-dev zlib1g-dev
	libutf8proc-dev libncurses-dev libcmocka-dev tmux python3 ncurses-term
	locales vim less man-db procps valgrind groff zsh fish openssh-server openssh-client mosh)

missing_packages() {
	local p
	for p in "${packages[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			printf '%s\n' "$p"
	done
}

install_packages() {
	local missing
	missing=$(missing_packages | tr '\n' ' ')
	[ -z "${missing// /}" ] && return 0
	local cmd=(apt-get install -y --no-install-recommends $missing)
	local sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
			sudo=(sudo)
		else
			echo "build.sh: missing packages; install them with:" >&2
			echo "  sudo apt-get update && sudo ${cmd[*]}" >&2
			exit 1
		fi
	fi
	echo "build.sh: installing $missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	"${sudo[@]}" apt-get update -qq >&2
	"${sudo[@]}" apt-get install -y -qq --no-install-recommends $missing >&2
}

# A UTF-8 locale for the tests and for tmux (which prints '_' for wide
# characters without one).
ensure_locale() {
	if ! locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$'; then
		echo "build.sh: no C.UTF-8 locale on this machine" >&2
	fi
	export LANG=C.UTF-8 LC_ALL=C.UTF-8
}

setup() { # DIR ARGS...
	local dir=$1
	shift
	if [ -f "$dir/build.ninja" ]; then
		meson configure "$dir" "$@" >/dev/null
	else
		meson setup "$dir" "$@" >/dev/null
	fi
}

do_build() {
	setup build --buildtype=release -Dtests=false
	ninja -C build
}

# Totals of every part of the suite, for the last line of ./build.sh test.
total_pass=0
total_fail=0

# Add meson's summary in LOG ("Ok: N", "Fail: N", "Unexpected Pass: N",
# "Timeout: N") to the totals; RC is meson's exit status, so a run that
# failed without counting a test (a crash of meson, a build error) still
# counts one failure.
count_meson_log() { # LOG RC
	local pass fail
	pass=$(awk '/^Ok:/ {print $NF}' "$1")
	fail=$(awk '/^(Fail|Timeout|Unexpected Pass):/ {s += $NF} END {print s + 0}' "$1")
	pass=${pass:-0}
	if [ "$2" -ne 0 ] && [ "$fail" -eq 0 ]; then
		fail=1
	fi
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
}

# Part 1: the whole suite on the ASan+UBSan build (ARGS go to meson test).
test_asan() {
	if ! CC=${CC:-gcc} setup build-asan --buildtype=debug -Db_sanitize=address,undefined \
		-Db_lundef=false -Dwerror=true -Dtests=true || ! ninja -C build-asan; then
		echo "build.sh: the test build failed" >&2
		total_fail=$((total_fail + 1))
		return
	fi
	local log=build-asan/test-output.txt rc
	set +e
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		meson test -C build-asan --print-errorlogs --num-processes 2 "$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	set -e
	count_meson_log "$log" "$rc"
}

# Part 2: the whole tree, tests included, compiled (not run) by clang with
# -Werror: clang warns where gcc does not (and the reverse).
test_clang() {
	echo "build.sh: clang -Werror build in build-clang/"
	if CC=clang setup build-clang --buildtype=debug -Dwerror=true -Dtests=true &&
		ninja -C build-clang; then
		echo "build.sh: clang build OK"
		total_pass=$((total_pass + 1))
	else
		echo "build.sh: clang build FAILED" >&2
		total_fail=$((total_fail + 1))
	fi
}

# Part 3: the unit tests (the cmocka programs of suite unit, not the python
# ones, which would run python under valgrind) on a build without
# sanitizers, under valgrind: uninitialised reads and definite leaks fail.
test_valgrind() {
	echo "build.sh: unit tests under valgrind in build-valgrind/"
	if ! setup build-valgrind --buildtype=debug -Dwerror=true -Dtests=true ||
		! ninja -C build-valgrind; then
		echo "build.sh: the valgrind build failed" >&2
		total_fail=$((total_fail + 1))
		return
	fi
	local names log=build-valgrind/test-output.txt rc
	names=$(meson introspect build-valgrind --tests | python3 -c '
import json, os, sys
for t in json.load(sys.stdin):
    if any(s.split(":")[-1] == "unit" for s in t["suite"]) and \
            not os.path.basename(t["cmd"][0]).startswith("python"):
        print(t["name"])')
	if [ -z "$names" ]; then
		echo "build.sh: no unit test found for valgrind" >&2
		total_fail=$((total_fail + 1))
		return
	fi
	set +e
	# Valgrind runs a program 20-50 times slower: the timeouts stretch
	# with it (they only bound a hang).
	# shellcheck disable=SC2086
	meson test -C build-valgrind --print-errorlogs --num-processes 2 --timeout-multiplier 20 \
		--wrap='valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite' \
		$names 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	set -e
	count_meson_log "$log" "$rc"
}

# ./build.sh test runs all three parts; with ARGS (say --suite e2e, or test
# names) only the ASan part runs, with ARGS given to meson test.
do_test() {
	ensure_locale
	test_asan "$@"
	if [ $# -eq 0 ]; then
		test_clang
		test_valgrind
	fi
	echo "$total_pass passed, $total_fail failed"
	[ "$total_fail" -eq 0 ]
}

do_bench() {
	ensure_locale
	setup build-bench --buildtype=release -Dtests=true
	ninja -C build-bench
	for b in tests/bench/*.sh; do
		[ -x "$b" ] && "$b" "$top/build-bench"
	done
	# Pane ingest through the whole server, rmux beside tmux.
	python3 tests/bench/ingest.py "$top/build-bench"
	# Bytes and datagrams on the wire, rmux beside mosh through the relay.
	python3 tests/bench/wire.py "$top/build-bench"
	# Typing at 200 ms round trip and 10% loss: predictive echo and
	# Ctrl-C, rmux beside mosh through the relay.
	python3 tests/bench/echo.py "$top/build-bench"
	# Copy-mode page-up at 300 ms round trip: rmux from its mirror, rmux
	# without it, tmux inside mosh.
	python3 tests/bench/copy.py "$top/build-bench"
}

do_fuzz() {
	local secs=${1:-60}
	[ $# -gt 0 ] && shift
	# Further arguments name the harnesses to run (default: all of them).
	local only=" $* "
	ensure_locale
	# fuzzer-no-link instruments the libraries too, so libFuzzer sees
	# coverage inside the emulator and not only in the harness.
	CC=clang setup build-fuzz --buildtype=debug -Dfuzz=true -Dtests=false \
		-Db_sanitize=address,undefined -Db_lundef=false \
		-Dc_args=-fsanitize=fuzzer-no-link
	ninja -C build-fuzz
	local h rc=0 found=0
	for h in build-fuzz/tests/fuzz/fuzz-*; do
		[ -f "$h" ] && [ -x "$h" ] || continue
		local name=${h##*/fuzz-}
		[ "$only" = "  " ] || [[ $only == *" $name "* ]] || continue
		found=1
		local corpus=build-fuzz/corpus-$name crashes=build-fuzz/crashes-$name
		mkdir -p "$corpus" "$crashes"
		local before
		before=$(find "$crashes" -type f | wc -l)
		local dict=()
		[ -f "tests/fuzz/$name.dict" ] && dict=(-dict="tests/fuzz/$name.dict")
		echo "fuzz $name for ${secs}s"
		# Fork mode keeps fuzzing after a crash, so one known bug does not
		# hide the others; each crashing input is saved in $crashes.
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
			UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
			"$h" "${dict[@]}" -max_total_time="$secs" -timeout=10 -print_final_stats=1 \
			-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
			-artifact_prefix="$crashes/" "$corpus" "tests/fuzz/corpus/$name" || rc=1
		if [ "$(find "$crashes" -type f | wc -l)" -gt "$before" ]; then
			echo "fuzz $name: inputs that failed are in $crashes;" \
				"save them under tests/fuzz/regressions/$name/" >&2
			rc=1
		fi
	done
	if [ "$found" -eq 0 ]; then
		echo "build.sh: no fuzz harness was built" >&2
		return 1
	fi
	return $rc
}

# ./build.sh soak [MINUTES [SEED]]: tests/soak/soak.c against the ASan
# build's daemon for MINUTES (default 60). Not part of the suite.
do_soak() {
	local minutes=${1:-60} seed=${2:-1}
	ensure_locale
	CC=${CC:-gcc} setup build-asan --buildtype=debug -Db_sanitize=address,undefined \
		-Db_lundef=false -Dwerror=true -Dtests=true
	ninja -C build-asan
	if [ ! -x build-asan/tests/soak/soak ]; then
		echo "build.sh: build-asan/tests/soak/soak was not built" \
			"(tests/meson.build needs subdir('soak'))" >&2
		return 1
	fi
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		build-asan/tests/soak/soak "$top/build-asan/rmux" "$top/build-asan/tests/net/relay" \
		"$minutes" "$seed"
}

verb=${1:-build}
[ $# -gt 0 ] && shift
install_packages
case "$verb" in
build) do_build ;;
test) do_test "$@" ;;
bench) do_bench ;;
fuzz) do_fuzz "$@" ;;
soak) do_soak "$@" ;;
*) echo "usage: ./build.sh [test [ARGS]|bench|fuzz [SECONDS [HARNESS...]]|soak [MINUTES [SEED]]]" >&2
	exit 2 ;;
esac
