#!/bin/sh
# tests/cli/nested.sh -- nested instrument buses (issue 13) at the command line.
#
# 1. The user's s.ph (tests/nested/s.ph: the phonon family's phonemes/s.ph,
#    808bd played by the kit's bd) renders 4 cycles with sound (RMS above
#    -40 dBFS in render's summary), and checks without an error.
# 2. A flood through a nested bus (512 events of ~c a cycle gating 512 of
#    ~s, at 100 cycles a second) renders; what a block cannot start is
#    dropped with exactly one counted warning.
# 3. A cycle of buses playing each other is an error naming them (exit 65).
# Env: PHONON (the binary, default ./phonon).
set -u
phonon=${PHONON:-./phonon}
here=$(cd "$(dirname "$0")/../.." && pwd)
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

# ---- 1. s.ph renders with sound ------------------------------------------------
check 0 "check s.ph" "$phonon" check -s "$here/samples" "$here/tests/nested/s.ph"
grep -q "error" "$tmp/err" && fail "check s.ph: $(head -c 300 "$tmp/err")"
check 0 "render s.ph" "$phonon" render --cycles 4 -s "$here/samples" "$here/tests/nested/s.ph" "$tmp/s.wav"
rms=$(sed -n 's/.*RMS \(-\{0,1\}[0-9.]*\) dBFS.*/\1/p' "$tmp/err" | head -n 1)
count=$((count + 1))
if [ -z "$rms" ] || ! awk -v r="$rms" 'BEGIN { exit !(r > -40) }'; then
  fail "render s.ph: RMS '$rms' dBFS, want above -40: $(head -c 300 "$tmp/err")"
fi

# ---- 2. a flood through a nested bus: one counted warning -----------------------
printf 'cps: 100\n~s: sine 440\n~c: s "~s*512"\nout: s "~c*512"\n' > "$tmp/flood.ph"
check 0 "render a nested flood" "$phonon" render --voices 64 -d 0.5 "$tmp/flood.ph" "$tmp/f.wav"
count=$((count + 1))
[ "$(grep -c "onsets were dropped" "$tmp/err")" -eq 1 ] || fail "flood: want one dropped-onsets warning: $(cat "$tmp/err")"

# ---- 3. a cycle is an error naming the buses -------------------------------------
printf '~c: s "~s(3,8)"\n~s: s "~c" # note 3\nout: s "~c"\n' > "$tmp/cycle.ph"
check 65 "check a cycle" "$phonon" check "$tmp/cycle.ph"
grep -qF "a cycle of instrument buses: ~c plays ~s, which plays ~c" "$tmp/err" ||
  fail "cycle: $(head -c 300 "$tmp/err")"

if [ "$fails" -ne 0 ]; then
  echo "cli nested: $fails failures in $count checks"
  exit 1
fi
echo "cli nested: $count checks passed"
