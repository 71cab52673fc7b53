#!/bin/sh
# tests/render/run.sh -- `phonon render` at the command line.
#
# Exit codes (CLI.md: 64 usage, 65 bad pattern or data, 66 missing input or
# sample root, 73 cannot create the output) with a message on stderr; bad
# sample folders (corrupt, empty, truncated files, no audio, nothing usable);
# every --format read back by libsndfile (tests/render/wavstat.c, built here
# into a temp dir); byte-identical output for the same input and options,
# whatever --threads; 10 000 buses (exit code, peak RSS); and the example
# patterns (patterns/*.ph: exit 0, nothing on stderr but the summary line,
# peak below 0 dBFS, not silent; patterns/bench/q.ph: exit 0).
# Audio is generated at run time in a temp dir; nothing is committed.
#
# Env: PHONON (the binary, default ./phonon). Run from the repository root
# (`make test-render` does). Prints FAIL lines, a few measurements, and a
# summary; exits 1 when a check failed.
set -u
phonon=${PHONON:-./phonon}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
count=0

fail() {
  echo "FAIL $*"
  fails=$((fails + 1))
}

# wavstat reads a file back: frames= rate= channels= format= peak_db= ...
cc -std=c11 -O2 -o "$tmp/wavstat" "$here/wavstat.c" $(pkg-config --cflags --libs sndfile 2>/dev/null || echo -lsndfile) -lm \
  || { echo "FAIL cannot build tests/render/wavstat.c"; exit 1; }
# stat FILE KEY: one value of wavstat's line ("" when the file is unreadable)
stat() {
  "$tmp/wavstat" "$1" 2>/dev/null | tr ' ' '\n' | sed -n "s/^$2=//p"
}
# below A B: A < B for decimal numbers ("-inf" is below everything)
below() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-inf") exit !(b != "-inf"); if (b == "-inf") exit 1; exit !(a + 0 < b + 0) }'
}

# render CODE ARGS...: run `phonon render ARGS`; the exit code must be CODE.
# stdout/stderr stay in $tmp/out, $tmp/err for further checks.
render() {
  code=$1
  shift
  count=$((count + 1))
  "$phonon" render "$@" > "$tmp/out" 2> "$tmp/err"
  rc=$?
  if [ "$rc" -ne "$code" ]; then
    fail "phonon render $*: exit $rc, want $code: $(head -n 3 "$tmp/err")"
    return 1
  fi
  return 0
}
# err_has TEXT WHAT: stderr of the last render must contain TEXT
err_has() {
  grep -qF -- "$1" "$tmp/err" || fail "$2: stderr lacks '$1': $(head -n 3 "$tmp/err")"
}

# ---- exit codes and messages --------------------------------------------------

printf 'out: s "bd*2 sn" # gain 0.5\n' > "$tmp/ok.ph"
render 66 "$tmp/nope.ph" "$tmp/o.wav" && err_has "nope.ph" "missing input"
render 66 "$tmp/ok.ph" "$tmp/o.wav" --samples "$tmp/no-such-root" && err_has "no-such-root" "missing --samples root"
render 73 "$tmp/ok.ph" "$tmp/no-dir/o.wav" && err_has "no-dir/o.wav" "output in a missing directory"
mkdir "$tmp/adir.wav"
render 73 "$tmp/ok.ph" "$tmp/adir.wav" && err_has "adir.wav" "output is a directory"
render 64 "$tmp/ok.ph" && err_has "OUT.wav" "one operand"
render 64 "$tmp/ok.ph" "$tmp/o.xyz" && err_has ".wav" "unknown extension"
render 64 "$tmp/ok.ph" "$tmp/o.wav" --format s8 && err_has "s8" "bad --format"
render 64 "$tmp/ok.ph" "$tmp/o.flac" --format f32 && err_has "FLAC" "flac f32"
printf 'bpm: 120\nout: s "bd*2 sn" #\n  # lpf 300\n' > "$tmp/syntax.ph"
render 65 "$tmp/syntax.ph" "$tmp/o.wav"
grep -qE "syntax\.ph:[0-9]+:[0-9]+: error" "$tmp/err" || fail "syntax error: no file:line:col: $(head -n 1 "$tmp/err")"
printf 'out: s "bd nosuch*2"\n' > "$tmp/unknown.ph"
render 65 "$tmp/unknown.ph" "$tmp/o.wav" && err_has "unknown.ph:1:12: error: unknown sample name 'nosuch'" "unknown sample"
if render 0 "$tmp/unknown.ph" "$tmp/o.wav" --allow-missing --format f32; then
  err_has "warning: unknown sample name 'nosuch'" "--allow-missing"
  below -40 "$(stat "$tmp/o.wav" peak_db)" || fail "--allow-missing: bd should still sound"
fi
# stdin as input
if render 0 - "$tmp/o.wav" --cycles 1 < "$tmp/ok.ph"; then
  [ "$(stat "$tmp/o.wav" frames)" = 88200 ] || fail "render - (stdin): $(stat "$tmp/o.wav" frames) frames, want 88200"
fi

# ---- OUT replaced whole or not at all (issue 9) ------------------------------
# A render writes a temporary file beside OUT and renames it at the end: an
# existing OUT is untouched while it runs, after a stop signal (exit 128+N,
# the temporary file removed; SIGINT works in a background job too, where
# the shell ignores it) and after a write error (exit 74 with a message).

od=$tmp/outdir
mkdir "$od"
# parts: the temporary files left in $od
parts() {
  ls -A "$od" | grep -c '\.part$'
}
# wait_part: until a temporary file exists in $od (5 s at most)
wait_part() {
  i=0
  while [ "$(parts)" -eq 0 ] && [ $i -lt 100 ]; do
    sleep 0.05
    i=$((i + 1))
  done
}
# stop_test SIG CODE BG: a long render into $od/keep.wav stopped by SIG; BG=bg
# starts it as a script's background job (SIGINT ignored). The file size
# limit keeps a render that ignores the signal from filling the disk.
stop_test() {
  echo "old contents" > "$od/keep.wav"
  count=$((count + 1))
  (
    ulimit -f 400000
    if [ "$3" = bg ]; then
      "$phonon" render "$tmp/sine.ph" "$od/keep.wav" --duration 80000 2> "$tmp/err" &
    else
      # a foreground-like job: SIGINT and SIGTERM at their defaults
      sh -c 'trap - INT TERM HUP; exec "$@"' sh "$phonon" render "$tmp/sine.ph" "$od/keep.wav" --duration 80000 2> "$tmp/err" &
    fi
    pid=$!
    wait_part
    [ "$(cat "$od/keep.wav")" = "old contents" ] || echo "FAIL $1: OUT changed while the render ran" >&2
    kill -"$1" $pid
    wait $pid
    echo $? > "$tmp/rc"
  ) 2> "$tmp/stop.log"
  grep FAIL "$tmp/stop.log" && fails=$((fails + 1))
  rc=$(cat "$tmp/rc")
  [ "$rc" = "$2" ] || fail "render stopped by $1 ($3): exit $rc, want $2: $(head -n 2 "$tmp/err")"
  grep -q "stopped by SIG$1 after .*keep.wav not written" "$tmp/err" || fail "stopped by $1: stderr: $(head -n 2 "$tmp/err")"
  [ "$(cat "$od/keep.wav")" = "old contents" ] || fail "render stopped by $1: OUT was replaced or truncated"
  [ "$(parts)" -eq 0 ] || fail "render stopped by $1: a temporary file was left: $(ls -A "$od")"
}
printf 'out: sine 440 * 0.5\n' > "$tmp/sine.ph"
stop_test INT 130 bg
stop_test TERM 143 fg
stop_test HUP 129 fg
# a file size limit (EFBIG; the shell's SIGXFSZ left at its default: render ignores it)
echo "old contents" > "$od/keep.wav"
count=$((count + 1))
( ulimit -f 100; "$phonon" render "$tmp/sine.ph" "$od/keep.wav" --duration 10 ) > "$tmp/out" 2> "$tmp/err"
rc=$?
[ $rc -eq 74 ] || fail "render over ulimit -f: exit $rc, want 74: $(head -n 2 "$tmp/err")"
grep -q "writing .*keep.wav failed: File too large; .*keep.wav not written" "$tmp/err" \
  || fail "render over ulimit -f: stderr: $(head -n 2 "$tmp/err")"
[ "$(cat "$od/keep.wav")" = "old contents" ] || fail "render over ulimit -f: OUT was replaced or truncated"
[ "$(parts)" -eq 0 ] || fail "render over ulimit -f: a temporary file was left: $(ls -A "$od")"
# a full disk: a 1 MB tmpfs, when we may mount one (root)
mkdir "$tmp/small"
if mount -t tmpfs -o size=1m tmpfs "$tmp/small" 2> /dev/null; then
  echo "old contents" > "$tmp/small/keep.wav"
  count=$((count + 1))
  "$phonon" render "$tmp/sine.ph" "$tmp/small/keep.wav" --duration 10 > "$tmp/out" 2> "$tmp/err"
  rc=$?
  [ $rc -eq 74 ] || fail "render to a full disk: exit $rc, want 74: $(head -n 2 "$tmp/err")"
  grep -q "No space left on device" "$tmp/err" || fail "render to a full disk: stderr: $(head -n 2 "$tmp/err")"
  [ "$(cat "$tmp/small/keep.wav")" = "old contents" ] || fail "render to a full disk: OUT was replaced or truncated"
  [ "$(ls -A "$tmp/small")" = keep.wav ] || fail "render to a full disk: left $(ls -A "$tmp/small")"
  umount "$tmp/small"
else
  echo "note: cannot mount a tmpfs (not root?): the full-disk check is skipped (ulimit -f covers EFBIG)"
fi
# a good render replaces OUT, with the mode of a new file; a link OUT replaces its target
if render 0 "$tmp/sine.ph" "$od/keep.wav" --duration 0.1; then
  [ "$(stat "$od/keep.wav" frames)" = 4410 ] || fail "render over an existing OUT: $(stat "$od/keep.wav" frames) frames"
  touch "$od/fresh"
  [ "$(ls -l "$od/keep.wav" | cut -c1-10)" = "$(ls -l "$od/fresh" | cut -c1-10)" ] \
    || fail "render: OUT's mode $(ls -l "$od/keep.wav" | cut -c1-10), a new file's $(ls -l "$od/fresh" | cut -c1-10)"
  rm -f "$od/fresh"
fi
ln -s keep.wav "$od/link.wav"
if render 0 "$tmp/sine.ph" "$od/link.wav" --duration 0.2; then
  [ -L "$od/link.wav" ] && [ "$(stat "$od/keep.wav" frames)" = 8820 ] \
    || fail "render to a symbolic link: the link was replaced, or its target not written"
fi
[ "$(parts)" -eq 0 ] || fail "render: a temporary file was left: $(ls -A "$od")"

# An empty file: silence with a warning, the default 8 cycles at 0.5 cps.
: > "$tmp/empty.ph"
if render 0 "$tmp/empty.ph" "$tmp/empty.wav" --format f32; then
  err_has "warning: nothing to play" "empty file"
  [ "$(stat "$tmp/empty.wav" frames)" = 705600 ] || fail "empty file: want 705600 frames (16 s)"
  [ "$(stat "$tmp/empty.wav" peak_db)" = "-inf" ] || fail "empty file: not digital silence"
fi

# ---- pitches beyond Nyquist: bounded, warned, never a hang (`saw # note 2000` spun forever) ----
printf 'out: saw # note 2000\no2: s "~t ~q" # note 300\n~t: tri\n~q: pulse 1 0.3\n' > "$tmp/pitch.ph"
count=$((count + 1))
timeout 120 "$phonon" render "$tmp/pitch.ph" "$tmp/pitch.wav" --cycles 2 > "$tmp/out" 2> "$tmp/err"
rc=$?
if [ $rc -ne 0 ]; then
  fail "note 2000: exit $rc (124: it hung)"
else
  err_has "were limited" "note 2000"
  [ "$(stat "$tmp/pitch.wav" frames)" = 176400 ] || fail "note 2000: $(stat "$tmp/pitch.wav" frames) frames, want 176400"
fi

# ---- a flood of onsets: a block starts at most 2 voices per frame, the rest dropped and counted ----
printf 'out: s "bd*300000"\n' > "$tmp/flood.ph"
if render 0 "$tmp/flood.ph" "$tmp/flood.wav" --cycles 1; then
  err_has "onsets were dropped: a block starts at most 1024 voices" "bd*300000"
fi

# ---- warnings: at most 20 are printed, then how many more there were ----
awk 'BEGIN { for (i = 0; i < 30; i++) printf "~b%d: saw %d\n", i, 100 + i; print "out: ~b0" }' > "$tmp/warns.ph"
count=$((count + 1))
"$phonon" check "$tmp/warns.ph" 2> "$tmp/err"
[ "$(grep -c ': warning: ' "$tmp/err")" = 20 ] || fail "check printed $(grep -c ': warning: ' "$tmp/err") warnings, want 20"
err_has "warns.ph: 9 more warnings not shown" "warning cap"

# ---- bad sample folders ---------------------------------------------------------

kit=$tmp/kit
mkdir -p "$kit/good" "$kit/none" "$kit/allbad"
printf 'out: sine 440 * 0.5\n' > "$tmp/sine.ph"
"$phonon" render "$tmp/sine.ph" "$kit/good/a.wav" --duration 0.5 --quiet || fail "cannot make a test sample"
printf 'RIFF and then no WAVE header at all' > "$kit/good/b.wav"     # corrupt
: > "$kit/good/c.wav"                                                # empty
head -c 20000 "$kit/good/a.wav" > "$kit/good/d.wav"                  # truncated
cp "$kit/good/b.wav" "$kit/allbad/x.wav"
echo "no audio here" > "$kit/none/readme.txt"
printf 'out: s "good:0 good:1 good:2 good:3"\n' > "$tmp/good.ph"
if render 0 "$tmp/good.ph" "$tmp/o.wav" --samples "$kit"; then
  err_has "good/b.wav" "corrupt sample"
  err_has "good/c.wav" "empty sample"
  err_has "good/d.wav: truncated" "truncated sample"
  below -20 "$(stat "$tmp/o.wav" peak_db)" || fail "bad sample folder: the good files should sound"
fi
printf 'out: s "allbad"\n' > "$tmp/allbad.ph"
render 65 "$tmp/allbad.ph" "$tmp/o.wav" --samples "$kit" && err_has "allbad/x.wav" "folder of corrupt files"
printf 'out: s "none"\n' > "$tmp/none.ph"
if render 65 "$tmp/none.ph" "$tmp/o.wav" --samples "$kit"; then
  # the folder exists but holds no audio file: the message names it (it
  # once said "unknown sample name 'none' (did you mean 'none'?)")
  if grep -q "did you mean 'none'" "$tmp/err" || ! grep -qF "$kit/none" "$tmp/err"; then
    fail "folder with no audio: '$(head -n 1 "$tmp/err")' (should name $kit/none and say it holds no audio file)"
  fi
fi

# ---- formats, read back -------------------------------------------------------------

for f in s16 s24 f32; do
  if render 0 "$tmp/sine.ph" "$tmp/fmt.wav" --duration 1 --format $f; then
    [ "$(stat "$tmp/fmt.wav" format)" = "wav/$f" ] || fail "--format $f: file is $(stat "$tmp/fmt.wav" format)"
    [ "$(stat "$tmp/fmt.wav" frames)" = 44100 ] || fail "--format $f: $(stat "$tmp/fmt.wav" frames) frames, want 44100"
    [ "$(stat "$tmp/fmt.wav" channels)" = 2 ] || fail "--format $f: not stereo"
    p=$(stat "$tmp/fmt.wav" peak_db)
    below -6.5 "$p" && below "$p" -5.5 || fail "--format $f: peak $p dBFS, want -6 (a sine at 0.5)"
  fi
done
if render 0 "$tmp/sine.ph" "$tmp/fmt.flac" --duration 1 --format s24 --sample-rate 48000; then
  [ "$(stat "$tmp/fmt.flac" format)" = flac/s24 ] && [ "$(stat "$tmp/fmt.flac" frames)" = 48000 ] \
    || fail "flac s24 at 48 kHz: $("$tmp/wavstat" "$tmp/fmt.flac" 2>&1)"
fi
if render 0 "$tmp/sine.ph" "$tmp/fmt.aiff" --duration 1 --format f32; then
  [ "$(stat "$tmp/fmt.aiff" format)" = aiff/f32 ] || fail "aiff f32: $("$tmp/wavstat" "$tmp/fmt.aiff" 2>&1)"
fi

# ---- determinism ----------------------------------------------------------------------

# same_bytes NAME FILE ARGS...: render FILE with each ARGS set (separated by
# ';') and compare the results with the first: the audio (wavstat's hash)
# and the whole file byte for byte.
same_bytes() {
  name=$1 in=$2
  shift 2
  i=0
  echo "$*" | tr ';' '\n' | while read -r opts; do
    i=$((i + 1))
    # shellcheck disable=SC2086
    "$phonon" render "$in" "$tmp/det$i.wav" --quiet $opts || echo "FAIL $name: exit $? with $opts"
    [ $i -eq 1 ] && continue
    if [ "$(stat "$tmp/det1.wav" hash)" != "$(stat "$tmp/det$i.wav" hash)" ]; then
      echo "FAIL $name: the audio of '$opts' differs from the first run"
    elif ! cmp -s "$tmp/det1.wav" "$tmp/det$i.wav"; then
      echo "FAIL $name: same audio, but the file of '$opts' differs from the first run at byte $(cmp "$tmp/det1.wav" "$tmp/det$i.wav" | sed 's/.*byte \([0-9]*\).*/\1/')"
    fi
  done > "$tmp/det.log"
  count=$((count + 1))
  if [ -s "$tmp/det.log" ]; then
    cat "$tmp/det.log"
    fails=$((fails + 1))
  fi
}
q=$top/patterns/bench/q.ph
same_bytes "bench q.ph, --threads 1/2/8" "$q" "--cycles 4 --threads 1;--cycles 4 --threads 2;--cycles 4 --threads 8;--cycles 4 --threads 2"
same_bytes "demo.ph s24, --threads 1/8" "$top/patterns/demo.ph" "--cycles 2 --format s24 --threads 1;--cycles 2 --format s24 --threads 8"
same_bytes "polymeter.ph f32, --threads 1/2/8" "$top/patterns/polymeter.ph" \
  "--cycles 2 --format f32 --threads 1;--cycles 2 --format f32 --threads 2;--cycles 2 --format f32 --threads 8"
# BUG: float WAV files carry libsndfile's PEAK chunk, whose timestamp is the
# time of writing: two renders a second apart differ in bytes 61-64
# (cli_render.c could turn it off: sf_command(sf, SFC_SET_ADD_PEAK_CHUNK,
# NULL, SF_FALSE)).
"$phonon" render "$tmp/sine.ph" "$tmp/peak1.wav" --duration 0.1 --format f32 --quiet
sleep 1.1
"$phonon" render "$tmp/sine.ph" "$tmp/peak2.wav" --duration 0.1 --format f32 --quiet
count=$((count + 1))
cmp -s "$tmp/peak1.wav" "$tmp/peak2.wav" \
  || fail "f32 renders a second apart differ: $(cmp "$tmp/peak1.wav" "$tmp/peak2.wav") (BUG: PEAK chunk timestamp)"
# Noise generators are seeded from their node's key, so noise is the same
# from run to run.
printf '~n: noise # gain 0.2\n~p: pink # gain 0.3 # pan 0.2\n~b: brown # gain 0.3\nout: ~n + ~p + ~b\n' > "$tmp/noise.ph"
same_bytes "noise, run twice" "$tmp/noise.ph" "--cycles 1 --threads 1;--cycles 1 --threads 1"
# --seed changes the s16 dither
"$phonon" render "$tmp/sine.ph" "$tmp/seed1.wav" --duration 0.2 --seed 1 --quiet
"$phonon" render "$tmp/sine.ph" "$tmp/seed2.wav" --duration 0.2 --seed 2 --quiet
count=$((count + 1))
cmp -s "$tmp/seed1.wav" "$tmp/seed2.wav" && fail "--seed 1 and --seed 2 give the same s16 dither"

# ---- 10 000 buses -------------------------------------------------------------------------

# Each bus a quiet sine; no output statement, so every bus is played.
awk 'BEGIN { for (i = 1; i <= 10000; i++) printf "~b%d: sine %d * 0.00005\n", i, 100 + i }' > "$tmp/buses.ph"
timer=
/usr/bin/time -v true > /dev/null 2>&1 && timer="/usr/bin/time -v -o $tmp/time.txt"
count=$((count + 1))
t0=$(date +%s.%N)
$timer "$phonon" render "$tmp/buses.ph" "$tmp/buses.wav" --duration 0.05 > "$tmp/out" 2> "$tmp/err"
rc=$?
t1=$(date +%s.%N)
rss=$( [ -n "$timer" ] && sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time.txt")
echo "note: 10000 buses: exit $rc, $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s," \
     "peak RSS ${rss:-?} kB; $(grep -o 'compile [0-9.]* ms' "$tmp/err")"
if [ "$rc" -eq 0 ]; then
  below -80 "$(stat "$tmp/buses.wav" peak_db)" || fail "10000 buses: silent"
elif [ "$rc" -ne 65 ] || [ ! -s "$tmp/err" ]; then
  fail "10000 buses: exit $rc: $(head -n 2 "$tmp/err")"
fi
[ -n "$rss" ] && [ "$rss" -gt 1048576 ] && fail "10000 buses: peak RSS $rss kB (over 1 GB)"
# A chain of 10 000 buses, each filtering the one before: an error with a
# position, or a render; never a crash.
awk 'BEGIN { print "~b0: sine 220 * 0.3"; for (i = 1; i <= 10000; i++) printf "~b%d: ~b%d # lpf 8000\n", i, i - 1; print "out: ~b10000" }' > "$tmp/chain.ph"
count=$((count + 1))
"$phonon" render "$tmp/chain.ph" "$tmp/chain.wav" --duration 0.05 > "$tmp/out" 2> "$tmp/err"
rc=$?
echo "note: a chain of 10000 buses: exit $rc: $(grep -m 1 -E 'error|warning' "$tmp/err" || echo ok)"
if [ "$rc" -ne 0 ] && { [ "$rc" -ne 65 ] || ! grep -qE "chain\.ph:[0-9]+:[0-9]+: error" "$tmp/err"; }; then
  fail "chain of 10000 buses: exit $rc: $(head -n 2 "$tmp/err")"
fi

# ---- the master: DC after a hard-driven clipper ------------------------------------------------

# The clipper's servo used to settle in seconds where it is driven hard (a
# rectified sine 40 dB over full scale: 0.094 of full scale of DC after
# 3 s). Every signal here repeats every 20 ms, so the mean of the last half
# second (wavstat's dc_tail) is its DC: under 0.001 after one second.
i=0
for prog in 'max (sine 50 * 100) 0' 'sine 50 * 100 + 10' '(saw 50 + saw 100 + saw 200 + saw 400) * 8' \
            '(saw 50 + saw 150 + pulse 100 0.1 + pulse 200 0.3 + saw 250 + saw 350) * 6' \
            'pulse 50 0.05 * 60' '0.9 + sine 4 * 0.1'; do
  i=$((i + 1))
  printf 'out: %s\n' "$prog" > "$tmp/dc$i.ph"
  if render 0 "$tmp/dc$i.ph" "$tmp/dc.wav" --duration 1.5 --format f32 --quiet; then
    dc=$(stat "$tmp/dc.wav" dc_tail)
    awk -v d="$dc" 'BEGIN { exit !(d != "" && d + 0 < 0.001) }' || fail "DC after the master: out: $prog: $dc (want < 0.001)"
  fi
done

# ---- the master: nothing but finite samples within [-1, 1] reaches the file ---------------------

# A hostile corpus, rendered as 32-bit float (which could hold anything):
# NaN-making arithmetic, huge gains, infinite ones, a stack of loud saws,
# 1000 buses summed at gain 1e6. Every sample must be finite and within
# +-1.0, and the summary says how much the master limited.
i=0
for prog in 'sine 1 / 0' '0 / 0' '(sine 440 - sine 440) / 0' 'saw 100 * 1e30 * 1e30' 'saw 100 * 1e39' \
            '(saw 50 + saw 100 + saw 200 + saw 400) * 1e20' 'sine 440 # lpf 1e30 1e30 # gain 1e30' \
            's "~s*8" # note "0 12 7 19" # gain 1e6\n~s: saw'; do
  i=$((i + 1))
  printf "out: $prog\n" > "$tmp/hostile$i.ph"
  if render 0 "$tmp/hostile$i.ph" "$tmp/hostile.wav" --duration 1 --format f32; then
    [ "$(stat "$tmp/hostile.wav" nonfinite)" = 0 ] && [ "$(stat "$tmp/hostile.wav" over)" = 0 ] \
      || fail "hostile out: $prog: $("$tmp/wavstat" "$tmp/hostile.wav")"
    grep -qE "limited [0-9.]+ s \([0-9.]+ dB at most\)" "$tmp/err" || fail "hostile out: $prog: no 'limited' in the summary"
  fi
done
awk 'BEGIN { for (i = 1; i <= 1000; i++) printf "~b%d: sine %d * 1e6\n", i, 100 + i }' > "$tmp/loud.ph"
if render 0 "$tmp/loud.ph" "$tmp/loud.wav" --duration 2 --format f32; then
  [ "$(stat "$tmp/loud.wav" nonfinite)" = 0 ] && [ "$(stat "$tmp/loud.wav" over)" = 0 ] \
    || fail "1000 buses at gain 1e6: $("$tmp/wavstat" "$tmp/loud.wav")"
  below "$(stat "$tmp/loud.wav" rms_db)" -1 && fail "1000 buses at gain 1e6: not held at full scale (no reset, no dropout)"
  grep -q "resets after NaN" "$tmp/err" && fail "1000 buses at gain 1e6: $(grep resets "$tmp/err")"
  # limited the whole time, by far more than 100 dB
  grep -qE "limited (1\.9|2\.)[0-9]* s \(1[0-9][0-9]\.[0-9] dB at most\)" "$tmp/err" \
    || fail "1000 buses at gain 1e6: summary: $(grep -F "$tmp/loud.wav" "$tmp/err")"
fi

# ---- the example patterns --------------------------------------------------------------------

npat=0
for f in "$top"/patterns/*.ph; do
  name=${f#"$top"/}
  npat=$((npat + 1))
  render 0 "$f" "$tmp/pat.wav" --cycles 4 || continue
  # stderr: only the summary line ("OUT: 7.74 s (4.00 cycles ...), peak ...")
  others=$(grep -v "^$tmp/pat.wav: " "$tmp/err")
  [ -z "$others" ] && count=$((count + 1)) || fail "$name: stderr: $(echo "$others" | head -n 3)"
  p=$(stat "$tmp/pat.wav" peak_db) r=$(stat "$tmp/pat.wav" rms_db)
  below "$p" 0 || fail "$name: peak $p dBFS, want below 0"
  below -45 "$r" || fail "$name: RMS $r dBFS: (nearly) silent"
  [ "$(stat "$tmp/pat.wav" nonfinite)" = 0 ] || fail "$name: NaN or Inf in the file"
  printf 'note: %-22s peak %6s dBFS, RMS %6s dBFS, %s\n' "$name" "$p" "$r" \
    "$(sed -n 's/.*\(voices peak [0-9]*\).*/\1/p' "$tmp/err")"
done
[ "$npat" -ge 9 ] || fail "patterns/: $npat files, want at least 9 (8 examples and demo.ph)"
[ -f "$top/patterns/demo.ph" ] || fail "patterns/demo.ph is missing"
if render 0 "$q" "$tmp/q.wav" --cycles 4; then
  below -45 "$(stat "$tmp/q.wav" rms_db)" || fail "bench/q.ph: silent"
fi

if [ "$fails" -ne 0 ]; then
  echo "render: $fails of $count checks failed"
  exit 1
fi
echo "render: $count checks passed"
