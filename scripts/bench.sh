#!/bin/sh
# scripts/bench.sh -- the `make bench` driver: one section per benchmark.
#
# Each section builds its program into build/bench/ (from the sources, -O2,
# independent of the sanitizer variants) and prints its own table. Run a
# subset with BENCH="query pool". Sections:
#   query   tests/bench_query.c: querying one 512-frame block's span
#           (patterns/bench/q.ph when it exists); target: P99 well under 1 %
#           of the 11.6 ms block budget
#   pool    tests/bench_pool.c: pool_run per block, normal priority, then
#           with -r -p (real-time priority where allowed, pinned caller)
# To add a section (render, profile): write bench_<name>() below and add the
# name to the default list.
#
# Env: PHONON (the binary, for sections that run it), CC (default cc),
# BENCH (sections to run), BENCH_BLOCKS (query blocks, default 10000).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
cc=${CC:-cc}
out=build/bench
mkdir -p "$out"
flags="-std=c11 -D_GNU_SOURCE -O2 -g -Isrc"
status=0

# build NAME SOURCES...: $out/NAME from the sources, when any is newer
build() {
  name=$1
  shift
  stale=0
  [ -x "$out/$name" ] || stale=1
  for s in "$@" src/*.h; do
    [ "$s" -nt "$out/$name" ] && stale=1
  done
  [ "$stale" -eq 0 ] && return 0
  # shellcheck disable=SC2086
  $cc $flags -o "$out/$name" "$@" -lm -lpthread || { echo "bench: cannot build $name" >&2; return 1; }
}

bench_query() {
  echo "== query"
  build bench_query tests/bench_query.c src/arena.c src/lang_*.c src/pat_*.c || return 1
  "$out/bench_query" -n "${BENCH_BLOCKS:-10000}"
}

bench_pool() {
  echo "== pool"
  build bench_pool tests/bench_pool.c src/pool.c || return 1
  "$out/bench_pool" 100000 && "$out/bench_pool" -r -p 100000
}

for section in ${BENCH:-query pool}; do
  "bench_$section" || status=1
  echo
done
exit $status
