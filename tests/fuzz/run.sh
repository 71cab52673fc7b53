#!/bin/sh
# tests/fuzz/run.sh -- build the fuzz targets and run them (make test-fuzz:
# 20 s in all; make fuzz: FUZZ_SECONDS, default 600, for each target).
#
# Targets (tests/fuzz/fuzz_*.c): lang (the .ph parser), mini (mini-notation
# parser + queries), expr (expression evaluator + queries), render (whole
# files: compile + engine + voices + DSP), sample (the sample loader on
# arbitrary file contents), reload (a live session: a sequence of versions
# compiled, published and played), osc (the OSC decoder, src/osc.c, on
# arbitrary datagrams: what `phonon dirt` reads from the network). They are
# built with clang
# -fsanitize=fuzzer,address,undefined into build/fuzz/ (objects of the
# engine's sources are cached there); a compiler without libFuzzer gets
# tests/fuzz/driver.c instead (replay + random mutations, same options).
#
# Each target first replays tests/fuzz/regress/<target>/ (inputs that once
# failed; failing again fails the run, and fuzzing goes on), then fuzzes from
# its corpus in build/fuzz/corpus/<target>/ (it grows from run to run; make
# fuzz only, make test-fuzz starts from the seeds alone) and
# seeds generated from tests/conformance/*.cases, patterns/*.ph and
# tests/fuzz/seeds/<target>/. Any crash, sanitizer report, leak, input
# slower than 5 s (30 s at a positive FUZZ_NICE) or RSS above 1 GB fails the run; the input is copied to
# tests/fuzz/regress/<target>/ (commit it with the fix). Targets run
# FUZZ_JOBS (default 2) at a time; each prints its executions and
# executions per second.
#
# The short run (make test) is deterministic: a fixed seed and number of
# inputs per target (limits, below).
#
# make fuzz appends each finished target's executions to build/fuzz/ledger
# (date, target, executions, per second, commit) and prints the sum over
# every run there: the corpus carries over, so runs add up towards 10^7.
#
# Rates (issue 9 asks 10^7 executions of each target), executions per
# second of one core, from the seeds, 60 s runs on this 2-core VM (Dec
# 2026, load 2-4; in parentheses with inputs up to -max_len from the
# start, -len_control=0, as late in a long run):
#   render 5,970 (6,230)   reload 690 (550)   sample 1,520 (1,810)
#   mini 7,700             expr 8,300         lang 16,100    osc 206,000
# so 10^7 each takes about 4 hours of both cores in all, 2.5 of them for
# reload (it compiles up to 8 versions and renders up to 19 blocks per
# input). Before (the same minutes): render 1,930, reload 33, sample
# 1,370, mini 6,300, expr 4,400: reload alone needed 42 hours. What made
# the difference: render and reload keep one engine per rate and reset it
# (engine_reset) instead of making one per input; "did you mean" stopped
# looking up every name again; no comparison tracing in the per-sample
# loops (cov_flags); a 16 MB ASan quarantine; the sample file in /dev/shm.
# A loaded machine (load 8) pays much more for page faults: there mini ran
# 2,900 before and 5,300 after, render 375 and 3,100.
# Late in long runs (Dec 7, corpora of thousands of inputs, at nice 19
# beside another target): render 384/s, then 726 with the pattern core
# untraced in render and reload and their engines' query bound a tenth
# (FUZZ_QUERY_EVENTS); reload 240; mini 1,500; expr 2,100 to 2,600; lang
# 3,000 to 4,800. At those rates 10^7 takes reload about 12 hours of a
# core and render about 4. Reload then rendered blocks a quarter the size
# (fuzz_reload.c): 666/s against 158 on 600 inputs of its corpus, the same
# seed, side by side; its share of make test went from 1,500 inputs to
# 4,000.
#
# Env: FUZZ_SECONDS (default 20: in all, shared by the targets), FUZZ_EACH
# (1: FUZZ_SECONDS for each target; make fuzz), FUZZ_RUNS (make fuzz: this
# many executions of each target instead of FUZZ_SECONDS), FUZZ_NICE (the
# targets' nice value, default 0), FUZZ_JOBS (default 2),
# FUZZ_CC (compiler; default clang-22 or clang, else cc), FUZZ_TARGETS
# (default "mini expr lang render sample reload osc"), FUZZ_BUILD_ONLY (1:
# build the targets and stop), FUZZ_INSTANCE (make fuzz: a name for this
# run, so that two runs may fuzz one target at once, each on a core: their
# logs, summaries, artifacts and seeds are per instance, the corpus and the
# ledger are shared), PHONON (unused: the targets link the engine's
# sources directly).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
secs=${FUZZ_SECONDS:-20}
targets=${FUZZ_TARGETS:-mini expr lang render sample reload osc}
inst=${FUZZ_INSTANCE:-}
jobs=${FUZZ_JOBS:-2}
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1
out=build/fuzz
mkdir -p "$out/artifacts"

# ---- compiler and mode ---------------------------------------------------------
if [ -n "${FUZZ_CC:-}" ]; then
  cc=$FUZZ_CC
elif command -v clang-22 >/dev/null 2>&1; then
  cc=clang-22
elif command -v clang >/dev/null 2>&1; then
  cc=clang
else
  cc=cc
fi
probe=$out/probe
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' > "$probe.c"
if "$cc" -fsanitize=fuzzer,address,undefined "$probe.c" -o "$probe" 2>/dev/null; then
  mode=libfuzzer
  san_obj="-fsanitize=fuzzer-no-link,address,undefined"
  san_link="-fsanitize=fuzzer,address,undefined"
  driver=
elif "$cc" -fsanitize=address,undefined "$probe.c" tests/fuzz/driver.c -o "$probe" 2>/dev/null; then
  mode="driver (no libFuzzer in $cc)"
  san_obj="-fsanitize=address,undefined"
  san_link=$san_obj
  driver=tests/fuzz/driver.c
else
  mode="driver without sanitizers"
  san_obj=
  san_link=
  driver=tests/fuzz/driver.c
fi
rm -f "$probe" "$probe.c"
cflags="-std=c11 -D_GNU_SOURCE -O1 -g -fno-omit-frame-pointer -fno-sanitize-recover=undefined -Isrc"
[ -n "$san_obj" ] || cflags="-std=c11 -D_GNU_SOURCE -O1 -g -Isrc"

# ---- build (objects cached per compiler; rebuilt when a source or a header is newer)
objdir=$out/obj-$(basename "$cc")
mkdir -p "$objdir"
newest_h=$(ls -t src/*.h | head -n 1)
# the sample loader's libraries: libsndfile and libsoxr (resampling)
sf_cflags=$(pkg-config --cflags sndfile soxr 2>/dev/null)
sf_libs=$(pkg-config --libs sndfile soxr 2>/dev/null || echo -lsndfile -lsoxr)
# the voice kernels with their instruction sets (as in the Makefile)
isa_flags() {
  case $(uname -m) in x86_64|amd64|i686) ;; *) return ;; esac
  case $1 in
    voice_avx2) echo "-mavx2 -mfma -ffp-contract=off" ;;
    voice_avx512) echo "-mavx512f -mavx512dq -mavx512vl -mfma -ffp-contract=off" ;;
    voice_*) echo "-ffp-contract=off" ;;
  esac
}
# The per-sample loops (the voice kernels, the DSP nodes, the engine's
# block and the bus graph's) without libFuzzer's comparison tracing: it
# called a hook for every compare of every frame of every voice (a third
# of the reload target's time; engine.c and graph_run.c another 10 %),
# and the operands there are audio and clocks, not anything the input
# spells. Their edges are still counted (coverage), and ASan and UBSan
# still check them.
# The engine targets (render, reload) link the pattern core a second time,
# built without it too ($objdir/eng/): there the rational arithmetic of
# every event of every block was a quarter of render's time (its corpus of
# dense programs), and mini and expr explore the same compares with
# tracing on, at 5 to 10 times render's rate.
cov_flags() {
  [ "$mode" = libfuzzer ] || return
  case $1 in
    voice_scalar|voice_simd|voice_avx2|voice_avx512|dsp_*|engine|graph_run) echo "-fno-sanitize-coverage=trace-cmp" ;;
    pat_*) [ "$2" = eng ] && echo "-fno-sanitize-coverage=trace-cmp" ;;
  esac
}
# objects: $1 = sources, $2 = a variant (a subfolder of $objdir, and
# cov_flags' second argument; none by default); sets $built (rebuilt when
# the source, a header or the flags changed)
build_objs() {
  built=
  dir=$objdir${2:+/$2}
  mkdir -p "$dir"
  for src in $1; do
    base=$(basename "$src" .c)
    obj=$dir/$base.o
    built="$built $obj"
    flags="$cflags $san_obj $sf_cflags $(isa_flags "$base") $(cov_flags "$base" "${2:-}")"
    if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$newest_h" -nt "$obj" ] ||
       [ "$(cat "$obj.flags" 2>/dev/null)" != "$flags" ]; then
      # shellcheck disable=SC2086
      "$cc" $flags -c "$src" -o "$obj" || { echo "fuzz: cannot compile $src" >&2; exit 1; }
      echo "$flags" > "$obj.flags"
    fi
  done
}
# one build at a time in build/fuzz (two runs of make fuzz may share it)
command -v flock >/dev/null 2>&1 && { exec 9>"$out/.build-lock"; flock 9; }
build_objs "src/arena.c src/phonon.c src/lang_*.c"
lang_objs=$built
build_objs "src/pat_*.c"
objs="$lang_objs $built"
pat_eng_objs=$built
if [ "$mode" = libfuzzer ]; then
  build_objs "src/pat_*.c" eng
  pat_eng_objs=$built
fi
# the engine: everything but the CLI, the audio device and the file watcher
build_objs "$(ls src/*.c | grep -v -e '^src/cli_' -e '^src/audio_' -e '^src/watch' \
              -e '^src/arena.c' -e '^src/phonon.c' -e '^src/lang_' -e '^src/pat_')"
eng_objs=$built
# the sample listing (`phonon samples`, which links the audition and so
# the audio device) for the sample target
build_objs "$(ls src/cli_*.c src/audio_*.c src/watch*.c | grep -v -e cli_main.c)"
cli_objs=$built
for t in $targets; do
  case $t in
    render|reload) core="$lang_objs $pat_eng_objs" extra="$eng_objs $sf_libs -lpthread" ;;
    sample) core=$objs extra="$eng_objs $cli_objs $sf_libs $(pkg-config --libs portaudio-2.0 2>/dev/null || echo -lportaudio) -lpthread" ;;
    osc) core=$objs extra="$objdir/osc.o" ;;
    *) core=$objs extra= ;;
  esac
  # shellcheck disable=SC2086
  "$cc" $cflags $sf_cflags $san_link -o "$out/fuzz_$t" "tests/fuzz/fuzz_$t.c" $driver $core $extra -lm ||
    { echo "fuzz: cannot build fuzz_$t" >&2; exit 1; }
done

command -v flock >/dev/null 2>&1 && exec 9>&-
[ "${FUZZ_BUILD_ONLY:-0}" = 1 ] && { echo "fuzz: built $targets in $out ($mode)"; exit 0; }

# ---- seeds ------------------------------------------------------------------------
# made in a folder of this run's own, then each of its targets' moved into
# place: two runs of make fuzz on different targets may share build/fuzz
sd=$out/seeds.$$
rm -rf "$sd"
mkdir -p "$sd/mini" "$sd/expr" "$sd/lang"
cat tests/conformance/*.cases | awk -v dir="$sd" '
  /^#/ || /^$/ { next }
  {
    tab = index($0, "\t"); if (!tab) next
    expr = substr($0, tab + 1); n++
    printf "%s", expr > (dir "/expr/" n); close(dir "/expr/" n)
    printf "out: %s\n", expr > (dir "/lang/c" n); close(dir "/lang/c" n)
    s = expr
    while ((i = index(s, "\"")) > 0) {          # every "..." literal
      s = substr(s, i + 1); j = index(s, "\""); if (!j) break
      lit = substr(s, 1, j - 1); s = substr(s, j + 1)
      if (!(lit in seen)) { seen[lit] = 1; m++; printf "%s", lit > (dir "/mini/" m); close(dir "/mini/" m) }
    }
  }'
cp tests/fuzz/seeds/lang/*.ph "$sd/lang/"
# render and reload: a setup byte (fuzz_engine.h) then the file; the setup
# bytes '0' '5' ':' '?' take turns (kernel set, rate and block change together)
mkdir -p "$sd/render" "$sd/reload" "$sd/sample"
i=0
prev=
for f in patterns/*.ph tests/fuzz/seeds/lang/*.ph; do
  case $((i % 4)) in 0) b=0 ;; 1) b=5 ;; 2) b=: ;; *) b='?' ;; esac
  { printf '%s' "$b"; cat "$f"; } > "$sd/render/p$i"
  [ -n "$prev" ] && { printf '%s' "$b"; cat "$prev"; printf '\000'; cat "$f"; } > "$sd/reload/p$i"
  prev=$f
  i=$((i + 1))
done
# the conformance expressions that play sounds
i=0
grep -h 's "' tests/conformance/*.cases | grep -v '^#' | cut -f 2 | while IFS= read -r expr; do
  printf '0out: %s\n' "$expr" > "$sd/render/c$i"
  i=$((i + 1))
done
mkdir -p "$sd/osc"
for t in render reload sample osc; do
  [ -d "tests/fuzz/seeds/$t" ] && cp "tests/fuzz/seeds/$t/"* "$sd/$t/"
done
mkdir -p "$out/seeds$inst"
for t in $targets; do
  rm -rf "$out/seeds$inst/$t"
  mv "$sd/$t" "$out/seeds$inst/$t"
done
rm -rf "$sd"

# ---- run ----------------------------------------------------------------------------
ntargets=$(echo $targets | wc -w)
if [ "${FUZZ_EACH:-0}" = 1 ]; then
  share=$secs
else
  share=$((secs * jobs / ntargets))
  [ "$share" -le "$secs" ] || share=$secs
fi
[ "$share" -ge 1 ] || share=1
asan=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
# ASan's quarantine (freed memory kept poisoned, 256 MB by default) at
# 16 MB: with 256 MB nearly every allocation was a page never touched
# before, and a page fault costs more than the rest of a mini-notation
# input (mini ran 1.8x, sample and reload 1.25x faster with 16 MB). A use
# after free within an input (reload frees programs while the engine
# plays on) is still caught while less than 16 MB has been freed since;
# nothing is freed in one input and read in the next (the engines are
# reset, every arena freed).
asan_for() {
  case $1 in
    *) echo "quarantine_size_mb=16:$asan" ;;
  esac
}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/fuzz/lsan.supp}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# libFuzzer's timeout is wall-clock time: a run at a positive FUZZ_NICE on
# a busy machine waits for the CPU, and inputs of 0.1 to 1 s took more than
# 5 s beside two test runs (their replays in tests/fuzz/regress/*/slow-when-
# starved), so such a run allows 30 s
timeout=5
[ "${FUZZ_NICE:-0}" -gt 0 ] 2>/dev/null && timeout=30
opts="-timeout=$timeout -rss_limit_mb=1024 -dict=tests/fuzz/phonon.dict"
# The longest input: 4096 bytes for files (render, reload: up to 8 versions
# in them, lang) and for the others; a mini-notation string of 1024 and an
# expression of 2048 reach every construct many times over (the seeds are
# under 200), and longer ones only made each input slower.
max_len_for() {
  case $1 in
    mini) echo 1024 ;;
    expr) echo 2048 ;;
    *) echo 4096 ;;
  esac
}
if [ "${FUZZ_EACH:-0}" = 1 ] && [ -n "${FUZZ_RUNS:-}" ]; then
  echo "fuzz: $mode, $FUZZ_RUNS executions per target, $jobs at a time ($targets)"
else
  echo "fuzz: $mode, $share s per target, $jobs at a time ($targets)"
fi

# Open findings (tests/fuzz/open/<target>/: bugs found and not fixed yet)
# are replayed one by one and expected to fail; one that passes is reported,
# to be moved to regress/. A check that an open finding trips can be
# turned off for the fuzzing itself with FUZZ_ALLOW_OOM=1 (the parse arena
# bound of the mini target), so that it goes on finding other things; none
# needs it now.

# limits T: how long T fuzzes. make fuzz: FUZZ_SECONDS each, random seeds
# (exploring). make test: a fixed seed and a fixed number of inputs (about 5 s
# each here), so that the stage is the same on every run and a finding in CI
# is one on this machine too (libFuzzer's -seed and -runs; the time limit, 3x
# the share, only stops a machine much slower than this one). Env FUZZ_SEED.
limits() {
  if [ "${FUZZ_EACH:-0}" = 1 ]; then
    if [ -n "${FUZZ_RUNS:-}" ]; then echo "-runs=$FUZZ_RUNS"; else echo "-max_total_time=$share"; fi
    return
  fi
  case $1 in
    mini) n=40000 ;; expr) n=50000 ;; lang) n=150000 ;;
    render) n=15000 ;; sample) n=5000 ;; reload) n=4000 ;; osc) n=300000 ;; *) n=10000 ;;
  esac
  echo "-seed=${FUZZ_SEED:-1} -runs=$n -max_total_time=$((share * 3))"
}

# run_target T: replay, fuzz; the summary goes to $out/$run.summary, the
# status to $out/$run.status
run_target() {
  t=$1
  run=$t$inst        # the name of this run's files: T, or T<instance>
  bin=$out/fuzz_$t
  corpus=$out/corpus/$t
  if [ "${FUZZ_EACH:-0}" != 1 ]; then
    # the short run (make test): seeds and regressions only; the corpus that
    # make fuzz grows takes minutes just to load
    corpus=$out/corpus-short/$t
    rm -rf "$corpus"
  fi
  regress=tests/fuzz/regress/$t
  topts="$opts -max_len=$(max_len_for "$t")"
  mkdir -p "$corpus"
  rm -f "$out/artifacts/$run-"*
  failed=0
  ASAN_OPTIONS=$(asan_for "$t")
  export ASAN_OPTIONS
  {
    if [ -d "$regress" ] && [ -n "$(ls "$regress" 2>/dev/null)" ]; then
      # shellcheck disable=SC2086
      if ! "$bin" $opts -artifact_prefix="$out/artifacts/$run-" "$regress"/* > "$out/$run-regress.log" 2>&1; then
        echo "fuzz $t: a regression input fails again (log: $out/$run-regress.log)"
        grep -E "^Running:|ERROR|SUMMARY|runtime error|broken invariant|deadly signal" "$out/$run-regress.log" | head -n 10
        failed=1
      fi
    fi
    for f in tests/fuzz/open/$t/*; do
      [ -f "$f" ] || continue
      # shellcheck disable=SC2086
      if env -u FUZZ_ALLOW_OOM "$bin" $opts -artifact_prefix="$out/artifacts/open-" "$f" > "$out/$run-open.log" 2>&1; then
        echo "fuzz $t: open finding $f passes now: move it to tests/fuzz/regress/$t/"
      else
        echo "fuzz $t: open finding $f still fails (expected)"
      fi
    done
    # shellcheck disable=SC2086
    if nice -n "${FUZZ_NICE:-0}" "$bin" $topts $(limits "$t") -print_final_stats=1 \
         -artifact_prefix="$out/artifacts/$run-" "$corpus" "$out/seeds$inst/$t" > "$out/$run.log" 2>&1; then
      runs=$(sed -n -e 's/^stat::number_of_executed_units: *//p' \
                    -e 's/^fuzz driver: \([0-9]*\) mutated inputs.*/\1/p' "$out/$run.log" | tail -n 1)
      rate=$(sed -n -e 's/^stat::average_exec_per_sec: *//p' "$out/$run.log" | tail -n 1)
      [ -n "$rate" ] || rate=$(( ${runs:-0} / share ))
      echo "fuzz $t: ok (${runs:-?} runs, ${rate:-?}/s, corpus $(ls "$corpus" | wc -l) files)"
      if [ "${FUZZ_EACH:-0}" = 1 ]; then          # make fuzz: the ledger of executions with no finding
        echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $t ${runs:-0} ${rate:-0} $(git rev-parse --short HEAD 2>/dev/null)" >> "$out/ledger"
        echo "fuzz $t: $(awk -v t="$t" '$2 == t { n += $3 } END { print n + 0 }' "$out/ledger") executions with no finding in all runs of make fuzz here ($out/ledger)"
      fi
    else
      echo "fuzz $t: FAILED (log: $out/$run.log)"
      grep -E "ERROR|SUMMARY|runtime error|broken invariant|deadly signal|timeout|Test unit written|input saved" \
        "$out/$run.log" | head -n 20
      failed=1
    fi
    if [ "$failed" -ne 0 ]; then
      for a in "$out/artifacts/$run-"*; do
        [ -f "$a" ] || continue
        dest=$regress/$(basename "$a" | sed "s/^$run-//")
        [ -f "$dest" ] && continue                  # a regression input failing again
        mkdir -p "$regress"
        cp "$a" "$dest"
        echo "fuzz $t: input saved as $dest (commit it with the fix)"
      done
    fi
  } > "$out/$run.summary"
  echo "$failed" > "$out/$run.status"
}

status=0
set -- $targets
while [ $# -gt 0 ]; do
  batch=
  n=0
  while [ $# -gt 0 ] && [ "$n" -lt "$jobs" ]; do
    batch="$batch $1"
    run_target "$1" &
    shift
    n=$((n + 1))
  done
  wait
  for t in $batch; do
    cat "$out/$t$inst.summary"
    [ "$(cat "$out/$t$inst.status" 2>/dev/null)" = 0 ] || status=1
  done
done
total=$(for t in $targets; do cat "$out/$t$inst.summary"; done | sed -n 's/^fuzz [a-z]*: ok (\([0-9]*\) runs.*/\1/p' |
        awk '{ n += $1 } END { print n + 0 }')
echo "fuzz: $total executions in all"
exit $status
