#!/bin/sh
# tests/fuzz/run.sh -- build the fuzz targets and run each for its share of
# FUZZ_SECONDS (make test: 20 s in all, make fuzz: 600 s).
#
# Targets (tests/fuzz/fuzz_*.c): lang (the .ph parser), mini (mini-notation
# parser + queries), expr (expression evaluator + queries). They are built
# with clang -fsanitize=fuzzer,address,undefined into build/fuzz/ (objects of
# the engine's sources are cached there); a compiler without libFuzzer gets
# tests/fuzz/driver.c instead (replay + random mutations, same options).
#
# Each target first replays tests/fuzz/regress/<target>/ (inputs that once
# failed; failing again fails the run, and fuzzing goes on), then fuzzes from
# its corpus in build/fuzz/corpus/<target>/ (it grows from run to run) and
# seeds generated from tests/conformance/*.cases and tests/fuzz/seeds/. Any
# crash, sanitizer report, leak, input slower than 5 s or RSS above 1 GB
# fails the run; the input is copied to tests/fuzz/regress/<target>/ (commit
# it with the fix).
#
# Env: FUZZ_SECONDS (default 20), FUZZ_CC (compiler; default clang-22 or
# clang, else cc), FUZZ_TARGETS (default "mini expr lang"), PHONON (unused:
# the targets link the engine's sources directly).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
secs=${FUZZ_SECONDS:-20}
targets=${FUZZ_TARGETS:-mini expr lang}
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
objs=
for src in src/arena.c src/phonon.c src/lang_*.c src/pat_*.c; do
  obj=$objdir/$(basename "$src" .c).o
  objs="$objs $obj"
  if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$newest_h" -nt "$obj" ]; then
    # shellcheck disable=SC2086
    "$cc" $cflags $san_obj -c "$src" -o "$obj" || { echo "fuzz: cannot compile $src" >&2; exit 1; }
  fi
done
for t in $targets; do
  # shellcheck disable=SC2086
  "$cc" $cflags $san_link -o "$out/fuzz_$t" "tests/fuzz/fuzz_$t.c" $driver $objs -lm ||
    { echo "fuzz: cannot build fuzz_$t" >&2; exit 1; }
done

# ---- seeds ------------------------------------------------------------------------
rm -rf "$out/seeds"
mkdir -p "$out/seeds/mini" "$out/seeds/expr" "$out/seeds/lang"
cat tests/conformance/*.cases | awk -v dir="$out/seeds" '
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
cp tests/fuzz/seeds/lang/*.ph "$out/seeds/lang/"

# ---- run ----------------------------------------------------------------------------
ntargets=$(echo $targets | wc -w)
share=$((secs / ntargets))
[ "$share" -ge 1 ] || share=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
opts="-timeout=5 -rss_limit_mb=1024 -max_len=4096 -dict=tests/fuzz/phonon.dict"
status=0
echo "fuzz: $mode, $share s per target ($targets)"
for t in $targets; do
  bin=$out/fuzz_$t
  corpus=$out/corpus/$t
  regress=tests/fuzz/regress/$t
  mkdir -p "$corpus"
  rm -f "$out/artifacts/$t-"*
  failed=0
  if [ -d "$regress" ] && [ -n "$(ls "$regress" 2>/dev/null)" ]; then
    # shellcheck disable=SC2086
    if ! "$bin" $opts -artifact_prefix="$out/artifacts/$t-" "$regress"/* > "$out/$t-regress.log" 2>&1; then
      echo "fuzz $t: a regression input fails again (log: $out/$t-regress.log)"
      grep -E "^Running:|ERROR|SUMMARY|runtime error|broken invariant|deadly signal" "$out/$t-regress.log" | head -n 10
      failed=1
    fi
  fi
  # shellcheck disable=SC2086
  if "$bin" $opts -max_total_time="$share" -print_final_stats=1 -artifact_prefix="$out/artifacts/$t-" \
       "$corpus" "$out/seeds/$t" > "$out/$t.log" 2>&1; then
    runs=$(sed -n -e 's/^stat::number_of_executed_units: *//p' \
                  -e 's/^fuzz driver: \([0-9]*\) mutated inputs.*/\1/p' "$out/$t.log" | tail -n 1)
    echo "fuzz $t: ok (${runs:-?} runs, corpus $(ls "$corpus" | wc -l) files)"
  else
    echo "fuzz $t: FAILED (log: $out/$t.log)"
    grep -E "ERROR|SUMMARY|runtime error|broken invariant|deadly signal|timeout|Test unit written|input saved" \
      "$out/$t.log" | head -n 20
    failed=1
  fi
  if [ "$failed" -ne 0 ]; then
    status=1
    for a in "$out/artifacts/$t-"*; do
      [ -f "$a" ] || continue
      dest=$regress/$(basename "$a" | sed "s/^$t-//")
      [ -f "$dest" ] && continue                  # a regression input failing again
      mkdir -p "$regress"
      cp "$a" "$dest"
      echo "fuzz $t: input saved as $dest (commit it with the fix)"
    done
  fi
done
exit $status
