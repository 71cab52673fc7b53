#!/bin/sh
# tests/cli/starter.sh -- `phonon new` writes a starter that compiles and
# plays at a tempo that sounds right (0.5 cycles a second: bpm 120 with four
# beats a cycle, a kick on each beat), and README says what `bpm:` means and
# its ten-line example compiles.
# Env: PHONON (the binary, default ./phonon).
set -u
phonon=${PHONON:-./phonon}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
count=0
fail() { echo "FAIL starter: $*"; fails=$((fails + 1)); }

count=$((count + 1))
"$phonon" new "$tmp/s.ph" 2> /dev/null || fail "phonon new failed"
count=$((count + 1))
"$phonon" check "$tmp/s.ph" || fail "the starter does not compile"
count=$((count + 1))
"$phonon" render --cycles 2 "$tmp/s.ph" "$tmp/s.wav" 2> "$tmp/err" || fail "the starter does not render"
grep -q "4.00 s (2.00 cycles at 0.5 cps)" "$tmp/err" || fail "the starter's tempo: $(cat "$tmp/err")"
count=$((count + 1))
grep -q '^bpm: 120 "4/4"' "$tmp/s.ph" || fail "the starter lacks bpm: 120 \"4/4\""
count=$((count + 1))
grep -q 'bd\*4' "$tmp/s.ph" || fail "the starter has no four kicks a cycle"
# README: what bpm: means, and the example compiles
readme=$(dirname "$0")/../../README.md
count=$((count + 1))
grep -q "is B/60 cycles a second" "$readme" || fail "README does not say what bpm: means"
count=$((count + 1))
awk '/^## The language in ten lines/ {on = 1; next} on && /^```$/ {n++; if (n == 2) exit; next} on && n == 1' \
  "$readme" > "$tmp/readme.ph"
[ -s "$tmp/readme.ph" ] || fail "README's example not found"
"$phonon" check "$tmp/readme.ph" 2> "$tmp/err" || fail "README's example does not compile: $(cat "$tmp/err")"

if [ "$fails" -ne 0 ]; then
  echo "cli starter: $fails of $count checks failed"
  exit 1
fi
echo "cli starter: $count checks passed"
