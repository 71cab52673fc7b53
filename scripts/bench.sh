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
#   profile phonon profile on patterns/bench: P99 block time of q.ph (target
#           <= 0.3 ms) and q20x.ph (<= 2 ms), q10x.ph for scale; --capacity of
#           sample-voices.ph (>= 20,000 voices) and synth-voices.ph (>= 12,000)
#           with --threads 1 and 2, BENCH_ROUNDS times (scaling >= 1.8x); then every voice kernel
#           set (PHONON_SIMD) side by side on a fixed load
#   kernels the same fixed loads with each kernel set only
#   scsynth phonon's SuperDirt-style synths against scsynth (NRT), one core
#           each: voice-seconds per second and the ratio (target >= 5x)
# To add a section: write bench_<name>() below and add the name to the
# default list.
#
# Env: PHONON (the binary, for sections that run it), CC (default cc),
# BENCH (sections to run), BENCH_BLOCKS (query blocks, default 10000),
# BENCH_ROUNDS (capacity rounds, default 2).
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
  build bench_query tests/bench_query.c src/arena.c src/phonon.c src/lang_*.c src/pat_*.c || return 1
  "$out/bench_query" -n "${BENCH_BLOCKS:-10000}"
}

bench_pool() {
  echo "== pool"
  build bench_pool tests/bench_pool.c src/pool.c || return 1
  "$out/bench_pool" 100000 && "$out/bench_pool" -r -p 100000
}

phonon=${PHONON:-./phonon}

# CPU time the hypervisor took from this VM so far, in ticks (0 where unknown).
steal() {
  awk '/^cpu /{ print $9 + 0; found = 1 } END { if (!found) print 0 }' /proc/stat 2>/dev/null || echo 0
}

# json KEY: the value of KEY in the JSON object on stdin
json() {
  sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p"
}

bench_profile() {
  echo "== profile (patterns/bench; budget 11.61 ms per 512-frame block at 44.1 kHz)"
  for f in q q10x q20x; do
    j=$("$phonon" profile "patterns/bench/$f.ph" --threads 1 --json) || return 1
    printf '%-20s threads 1  P50 %s ms  P99 %s ms  max %s ms  voices mean %s  %sx real time\n' "$f.ph" \
      "$(echo "$j" | json p50_ms)" "$(echo "$j" | json p99_ms)" "$(echo "$j" | json max_ms)" \
      "$(echo "$j" | json voices_mean)" "$(echo "$j" | json realtime_factor)"
  done
  # 1 and 2 threads side by side, BENCH_ROUNDS times: a shared VM's speed
  # drifts by tens of percent over minutes, so each round's ratio compares
  # runs made one after the other; "stolen" is the CPU time the hypervisor
  # took during the run (ticks of 10 ms), a sign that it was disturbed.
  echo "simd $("$phonon" profile patterns/bench/q.ph --threads 1 --cycles 1 --json | json simd | tr -d '"')"
  for f in sample-voices synth-voices; do
    r=1
    while [ "$r" -le "${BENCH_ROUNDS:-2}" ]; do
      for t in 1 2; do
        s0=$(steal)
        j=$("$phonon" profile "patterns/bench/$f.ph" --threads "$t" --capacity --json) || return 1
        c=$(echo "$j" | json capacity_voices)
        [ "$t" = 1 ] && c1=$c
        printf '%-20s round %s threads %s  capacity %s voices  (P99 %s ms, density %s, stolen %s)' "$f.ph" "$r" "$t" \
          "$c" "$(echo "$j" | json capacity_p99_ms)" "$(echo "$j" | json capacity_density)" "$(($(steal) - s0))"
        [ "$t" = 2 ] && printf '  scaling %s' "$(echo "$c $c1" | awk '{ printf "%.2fx", $1 / $2 }')"
        echo
      done
      r=$((r + 1))
    done
  done
  bench_kernels
}

# Fixed loads (the benchmark patterns made 32 times denser), one thread,
# each kernel set this CPU runs: P50 block time, ns per voice and sample.
bench_kernels() {
  echo "-- kernels (one thread, patterns 32x denser)"
  tmp=$(mktemp -d)
  for f in sample-voices synth-voices; do
    sed 's/^\(o[0-9]*:\) /\1 fast 32 $ /' "patterns/bench/$f.ph" >"$tmp/$f.ph"
    for k in scalar sse2 avx2 avx512; do
      j=$(PHONON_SIMD=$k "$phonon" profile "$tmp/$f.ph" --threads 1 --voices 65536 --duration 10 --json 2>/dev/null) ||
        continue
      [ "$(echo "$j" | json simd | tr -d '"')" = "$k" ] || continue
      p50=$(echo "$j" | json p50_ms)
      v=$(echo "$j" | json voices_mean)
      printf '%-20s %-7s P50 %s ms for %s voices: %s ns per voice-sample\n' "$f.ph" "$k" "$p50" "$v" \
        "$(echo "$p50 $v" | awk '{ printf "%.2f", $1 * 1e6 / ($2 * 512) }')"
    done
  done
  rm -rf "$tmp"
}

# issue 12: supersaw, superpiano, superhat and superkick against scsynth
# playing SuperDirt-like SynthDefs in non-real-time mode, one core each
# (scripts/bench_scsynth.py writes the SynthDefs and scores itself; it
# skips with a notice where scsynth is absent). BENCH_SC_VOICES voices at
# once, each synth's own length, for BENCH_SC_SECONDS seconds (default 64
# and 60).
bench_scsynth() {
  echo "== scsynth"
  python3 scripts/bench_scsynth.py --phonon "$phonon" --voices "${BENCH_SC_VOICES:-64}" \
    --seconds "${BENCH_SC_SECONDS:-60}"
}

for section in ${BENCH:-query pool profile scsynth}; do
  "bench_$section" || status=1
  echo
done
exit $status
