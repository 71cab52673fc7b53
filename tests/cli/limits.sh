#!/bin/sh
# tests/cli/limits.sh -- small defects of issue 9, at the command line.
#
# 1. The input size limit (CLI_MAX_INPUT_BYTES, 16 MiB) is exact: a file of
#    16 MiB is read, one of 16 MiB + 1 byte is refused with exit 65 and a
#    message quoting the limit (render, check, and render from stdin). It
#    once accepted up to 32 MiB while the message said 16.
# 2. `phonon samples NAME` for a folder that exists but holds no audio file
#    (only a subfolder) names the folder and never suggests NAME itself
#    ("did you mean 'onlydir'?"); a real neighbour is still suggested. A
#    file that plays it fails to compile with the folder's message and what
#    to do, --allow-missing or not; an unknown name is said to be unknown.
# 3. `phonon live` under `ulimit -n 16` (soft and hard) says the open-file
#    limit is too low and exits 69 before it opens the audio system (it
#    crashed inside the JACK library, said "no JACK server", or played
#    silence failing every reload); with only the soft limit low, it raises
#    it and goes on (here: to the audio device, whatever there is).
# Env: PHONON (the binary, default ./phonon).
set -u
phonon=${PHONON:-./phonon}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
count=0

fail() {
  echo "FAIL $*"
  fails=$((fails + 1))
}

# check CODE WHAT CMD...: run CMD (stderr in $tmp/err); its exit code must be CODE
check() {
  code=$1 what=$2
  shift 2
  count=$((count + 1))
  "$@" > "$tmp/out" 2> "$tmp/err"
  rc=$?
  [ "$rc" -eq "$code" ] || fail "$what: exit $rc, want $code: $(head -c 300 "$tmp/err")"
}

# ---- 1. the input size limit, exactly 16 MiB ----------------------------------
limit=16777216
# a comment line padded with spaces to exactly N bytes
pad() {
  { printf '%s\n' '-- padding'; head -c $(($1 - 11)) /dev/zero | tr '\0' ' '; } > "$2"
}
pad $limit "$tmp/at.ph"
pad $((limit + 1)) "$tmp/over.ph"
[ "$(wc -c < "$tmp/at.ph")" -eq $limit ] || fail "the test file is not 16 MiB"
check 0 "check of a 16 MiB file" "$phonon" check "$tmp/at.ph"
check 65 "check of 16 MiB + 1 byte" "$phonon" check "$tmp/over.ph"
grep -qF "over.ph is larger than 16 MiB (16777216 bytes)" "$tmp/err" || fail "check over the limit: $(head -c 300 "$tmp/err")"
check 65 "render of 16 MiB + 1 byte" "$phonon" render "$tmp/over.ph" "$tmp/o.wav"
grep -qF "larger than 16 MiB (16777216 bytes)" "$tmp/err" || fail "render over the limit: $(head -c 300 "$tmp/err")"
count=$((count + 1))
"$phonon" render - "$tmp/o.wav" < "$tmp/over.ph" > /dev/null 2> "$tmp/err"
rc=$?
[ $rc -eq 65 ] || fail "render - of 16 MiB + 1 byte: exit $rc, want 65"
[ -e "$tmp/o.wav" ] && fail "render over the limit wrote its output"

# ---- 2. samples: never "did you mean" the name asked for -----------------------
kit=$tmp/kit
mkdir -p "$kit/onlydir/sub"
printf 'out: sine 440 * 0.5\n' > "$tmp/sine.ph"
"$phonon" render "$tmp/sine.ph" "$kit/onlydir/sub/a.wav" --duration 0.05 --quiet || fail "cannot make a sample"
check 66 "samples onlydir" "$phonon" samples onlydir --samples "$kit"
grep -qF "onlydir has no audio files" "$tmp/err" || fail "samples onlydir: $(cat "$tmp/err")"
grep -qF "did you mean 'onlydir'" "$tmp/err" && fail "samples onlydir suggests itself: $(cat "$tmp/err")"
printf 'out: s "onlydir"\n' > "$tmp/onlydir.ph"
for allow in "" --allow-missing; do
  # shellcheck disable=SC2086
  check 65 "check s \"onlydir\" $allow" "$phonon" check $allow --samples "$kit" "$tmp/onlydir.ph"
  grep -qF "onlydir has no audio files" "$tmp/err" && grep -qF "put audio files in that folder" "$tmp/err" ||
    fail "check s \"onlydir\" $allow: $(cat "$tmp/err")"
done
printf 'out: s "nowhere"\n' > "$tmp/nowhere.ph"
check 65 "check s \"nowhere\"" "$phonon" check --samples "$kit" "$tmp/nowhere.ph"
grep -qF "unknown sample name 'nowhere'" "$tmp/err" || fail "check s \"nowhere\": $(cat "$tmp/err")"
mkdir "$kit/onlydi"
cp "$kit/onlydir/sub/a.wav" "$kit/onlydi/"
check 66 "samples onlydir (beside onlydi)" "$phonon" samples onlydir --samples "$kit"
grep -qF "did you mean 'onlydi'?" "$tmp/err" || fail "samples onlydir beside onlydi: $(cat "$tmp/err")"

# ---- 3. live: the open-file budget, checked before the audio system -----------
printf 'out: sine 440 * 0.1\n' > "$tmp/live.ph"
count=$((count + 1))
( ulimit -n 16 && exec "$phonon" live "$tmp/live.ph" --duration 0.2 ) > "$tmp/out" 2> "$tmp/err"
rc=$?
[ $rc -eq 69 ] || fail "live under ulimit -n 16: exit $rc, want 69: $(head -c 300 "$tmp/err")"
grep -q "too few open files allowed: the limit is 16.*ulimit -n" "$tmp/err" \
  || fail "live under ulimit -n 16: stderr: $(head -c 300 "$tmp/err")"
count=$((count + 1))
if ( ulimit -S -n 16 ) 2> /dev/null; then
  ( ulimit -S -n 16 && exec timeout 20 "$phonon" live "$tmp/live.ph" --duration 0.2 -q ) > "$tmp/out" 2> "$tmp/err"
  grep -q "open files" "$tmp/err" && fail "live under a soft ulimit -n 16 did not raise it: $(head -c 300 "$tmp/err")"
fi

if [ "$fails" -ne 0 ]; then
  echo "cli limits: $fails failures in $count checks"
  exit 1
fi
echo "cli limits: $count checks passed"
