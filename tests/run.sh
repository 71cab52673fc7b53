#!/bin/sh
# tests/run.sh [STAGE...] -- the `make test` driver (and of make test-unit,
# test-conformance, test-cli, test-render, test-live, test-fuzz).
#
# Stages, in this order (default: all): build unit conformance cli render
# live fuzz. Every stage runs, whatever failed before it, and keeps its own
# output. A counted unit is one check program: the build (`make all`), each
# cmocka program (build/test_*), each shell test script (tests/cli/*.sh,
# tests/render/run.sh, ..., each tests/live/*.sh) and the fuzz run. A unit
# passes on exit 0, is skipped on exit 77 (it says why) or when a stage
# cannot run here (this prints `SKIP: reason`), and fails otherwise.
#
# The end lists every unit with its result, time and the CPU time the
# hypervisor stole meanwhile (/proc/stat, ticks of 10 ms), then one line
#     LABEL: N passed, N failed, N skipped
# (CI parses it), and exits 1 when a unit failed.
#
# Env (set by the Makefile): MAKE, BUILD (build), PHONON (./phonon), TESTS
# (the cmocka programs; default: one per tests/test_*.c), TEST_LABEL
# ("make test"), FUZZ_SECONDS (20), CI (true: a missing JACK server fails
# the live stage instead of skipping it; the live stage also soaks 60 s).
set -u
# The signal tests send SIGHUP and expect its default action. Under nohup
# (or any parent that ignores it) every child inherits SIG_IGN, which no
# shell can undo, and phonon rightly keeps it: run again with SIGHUP at its
# default (coreutils' env --default-signal).
if [ -z "${PHONON_TESTS_HUP:-}" ] && env --default-signal=HUP true 2>/dev/null; then
  exec env --default-signal=HUP PHONON_TESTS_HUP=1 sh "$0" "$@"
fi
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
make=${MAKE:-make}
BUILD=${BUILD:-build}
export BUILD
PHONON=${PHONON:-./phonon}
export PHONON
label=${TEST_LABEL:-make test}
stages=${*:-build unit conformance cli render live fuzz}
if [ -z "${TESTS:-}" ]; then
  TESTS=$(for s in tests/test_*.c; do printf '%s/%s ' "$BUILD" "$(basename "$s" .c)"; done)
fi

results=$(mktemp)
trap 'rm -f "$results"' EXIT INT TERM

steal() { awk '/^cpu / { print $9 + 0; found = 1 } END { if (!found) print "" }' /proc/stat 2>/dev/null; }
now() { date +%s.%N; }

# record NAME RESULT SECONDS STEAL
record() { printf '%s %s %s %s\n' "$1" "$2" "$3" "$4" >> "$results"; }

# unit NAME CMD [ARGS...]: run one unit, print and record its result.
unit() {
  name=$1
  shift
  echo "== $name"
  t0=$(now) s0=$(steal)
  "$@"
  rc=$?
  t1=$(now) s1=$(steal)
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  stolen=?
  [ -n "$s0" ] && [ -n "$s1" ] && stolen=$((s1 - s0))
  case $rc in
    0) res=ok ;;
    77) res=skipped; echo "SKIP: $name: skipped by the test itself (see above)" ;;
    *) res=FAILED ;;
  esac
  echo "-- $name: $res (exit $rc, $secs s, steal $stolen ticks)"
  record "$name" "$res" "$secs" "$stolen"
}

# skip NAME REASON: a unit that cannot run here.
skip() {
  echo "SKIP: $1: $2"
  record "$1" skipped 0 -
}

# ---- stages ----------------------------------------------------------------

stage_build() {
  unit build "$make" --no-print-directory all
}

stage_unit() {
  # build every program that builds; one that does not is a failed unit
  # shellcheck disable=SC2086
  "$make" --no-print-directory -k samples $TESTS || true     # some tests play the kit
  for t in $TESTS; do
    if [ ! -x "$t" ] || ! "$make" --no-print-directory -q "$t" 2>/dev/null; then
      echo "== $t"
      echo "FAIL: $t does not build (see the compiler's messages above)"
      record "$t" FAILED 0 -
      continue
    fi
    unit "$t" "./$t"
  done
}

stage_conformance() {
  unit conformance sh tests/conformance/run.sh
}

stage_cli() {
  "$make" --no-print-directory "${BUILD:-build}/gen-language" >/dev/null || true
  for s in tests/cli/*.sh; do
    unit "$s" sh "$s"
  done
}

stage_render() {
  "$make" --no-print-directory samples >/dev/null || true
  unit tests/render/run.sh sh tests/render/run.sh
}

# Real time on a JACK dummy server: one script at a time, after the build.
stage_live() {
  live="tests/live/audio_smoke.sh tests/live/reload.sh tests/live/hostile.sh tests/live/signals.sh tests/live/link.sh tests/live/midi_virmidi.sh"
  [ "${CI:-}" = true ] && live="$live tests/live/soak.sh"
  missing=
  for tool in jackd jack_wait jack_lsp jack_rec; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
  done
  if [ -n "$missing" ]; then
    for s in $live; do
      if [ "${CI:-}" = true ]; then
        echo "FAIL: $s: the JACK tools are missing:$missing (scripts/install-deps.sh --with-jack)"
        record "$s" FAILED 0 -
      else
        skip "$s" "no JACK server here (missing:$missing; make deps DEPS_FLAGS=--with-jack)"
      fi
    done
    return
  fi
  "$make" --no-print-directory "$BUILD/test_audio" >/dev/null || true
  for s in $live; do
    case $s in
      */audio_smoke.sh) unit "$s" sh "$s" "$BUILD/test_audio" ;;
      */soak.sh) unit "$s" env SOAK_SECONDS="${SOAK_SECONDS:-60}" sh "$s" ;;
      *) unit "$s" sh "$s" ;;
    esac
  done
}

stage_fuzz() {
  unit tests/fuzz/run.sh env FUZZ_SECONDS="${FUZZ_SECONDS:-20}" sh tests/fuzz/run.sh
}

for st in $stages; do
  case $st in
    build|unit|conformance|cli|render|live|fuzz) "stage_$st" ;;
    *) echo "tests/run.sh: unknown stage '$st' (build unit conformance cli render live fuzz)" >&2
       record "$st" FAILED 0 - ;;
  esac
done

# ---- summary -------------------------------------------------------------------
echo
echo "== results ($stages)"
awk '{ printf "  %-8s %-32s %7s s  steal %s\n", $2, $1, $3, $4 }' "$results"
passed=$(awk '$2 == "ok"' "$results" | wc -l | tr -d ' ')
failed=$(awk '$2 == "FAILED"' "$results" | wc -l | tr -d ' ')
skipped=$(awk '$2 == "skipped"' "$results" | wc -l | tr -d ' ')
echo "$label: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
