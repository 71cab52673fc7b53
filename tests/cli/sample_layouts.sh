#!/bin/sh
# tests/cli/sample_layouts.sh -- sample libraries in each layout phonon reads
# (fixtures from scripts/make-sample-fixtures.sh): the roots in order
# (--samples, $PHONON_SAMPLES, $XDG_DATA_HOME/phonon/samples, SuperDirt's
# Dirt-Samples, the kit); a flat folder (Sonic Pi) grouped by the name
# before the first '_' with a notice, the exact stem too; a Hydrogen kit
# mapped to Tidal names with layers by velocity and named by its slug; a
# folder of kits; `phonon samples` per root; `phonon samples play NAME:N -o`
# renders the sample; Debian's sonic-pi-samples and hydrogen-drumkits when
# installed.
# Env: PHONON (the binary, default ./phonon).
set -u
phonon=${PHONON:-./phonon}
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
count=0
fail() { echo "FAIL sample_layouts: $*"; fails=$((fails + 1)); }
# a hermetic environment: no roots of the user running the tests
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/xdg"
unset PHONON_SAMPLES
mkdir -p "$HOME"

sh "$top/scripts/make-sample-fixtures.sh" "$tmp/fx" || { echo "FAIL sample_layouts: fixtures"; exit 1; }
fx=$tmp/fx

# names NAME... of `phonon samples ARGS` (the names column), sorted
names() { "$phonon" samples "$@" 2> /dev/null | sed -n 's/^  \([^ ]*\) *[0-9]* files\{0,1\} .*/\1/p' | sort | tr '\n' ' '; }
# the files of NAME, in n order
files() { "$phonon" samples "$@" 2> /dev/null | sed -n 's/^ *[0-9][0-9]*  \([^ ]*\) .*/\1/p' | tr '\n' ' '; }

# flat
count=$((count + 1))
got=$(names --samples "$fx/flat" | tr ' ' '\n' | grep -E '^(ambi|bd|loop|sn)$' | tr '\n' ' ')
[ "$got" = "ambi bd loop sn " ] || fail "flat names: '$got'"
count=$((count + 1))
[ "$(files --samples "$fx/flat" bd)" = "bd_boom.wav bd_haus.wav " ] || fail "flat bd: '$(files --samples "$fx/flat" bd)'"
count=$((count + 1))
[ "$(files --samples "$fx/flat" bd_haus)" = "bd_haus.wav " ] || fail "flat bd_haus: '$(files --samples "$fx/flat" bd_haus)'"
count=$((count + 1))
"$phonon" samples --samples "$fx/flat" 2> "$tmp/err" > "$tmp/out"
grep -q "read flat" "$tmp/err" || fail "no notice for a flat folder: $(cat "$tmp/err")"
grep -qF "$fx/flat  (--samples; flat, 4 names)" "$tmp/out" || fail "the flat root line: $(head -n 2 "$tmp/out")"
count=$((count + 1))
printf 'tempo: 1\nout: s "bd:1 bd_haus sn"\n' > "$tmp/a.ph"
"$phonon" check --samples "$fx/flat" "$tmp/a.ph" 2> "$tmp/err" || fail "a flat name does not compile: $(cat "$tmp/err")"

# a Hydrogen kit as a root
count=$((count + 1))
got=$(names --samples "$fx/kit" | tr ' ' '\n' | grep -E '^(bd|sn|hh|oh|lt|tambourine|test-kit-one)$' | tr '\n' ' ')
[ "$got" = "bd hh lt oh sn tambourine test-kit-one " ] || fail "kit names: '$got'"
count=$((count + 1))
[ "$(files --samples "$fx/kit" bd)" = "kick_soft.wav kick_hard.wav " ] || fail "kit bd by velocity: '$(files --samples "$fx/kit" bd)'"
count=$((count + 1))
[ "$(files --samples "$fx/kit" test-kit-one)" = "kick_soft.wav snare.wav hat_closed.wav hat_open.wav tom_low.wav tamb.wav " ] ||
  fail "the whole kit: '$(files --samples "$fx/kit" test-kit-one)'"
count=$((count + 1))
"$phonon" samples --samples "$fx/kit" 2> "$tmp/err" | grep -qF "(--samples; Hydrogen kit, 7 names)" || fail "the kit root line"
[ ! -s "$tmp/err" ] || fail "a kit is not flat: $(cat "$tmp/err")"
# a folder of kits
count=$((count + 1))
got=$(names --samples "$fx/kits" | tr ' ' '\n' | grep my-kit | tr '\n' ' ')
[ "$got" = "my-kit-2 my-kit-2_bd my-kit-2_cp " ] || fail "kits names: '$got'"
count=$((count + 1))
printf 'tempo: 1\nout: s "my-kit-2_bd my-kit-2:1 my-kit-2_cp"\n' > "$tmp/k.ph"
"$phonon" check --samples "$fx/kits" "$tmp/k.ph" 2> "$tmp/err" || fail "kit names do not compile: $(cat "$tmp/err")"

# the order of the roots: --samples, $PHONON_SAMPLES, user, SuperDirt, kit
mkdir -p "$XDG_DATA_HOME/phonon/samples/mine" "$XDG_DATA_HOME/SuperCollider/downloaded-quarks/Dirt-Samples/bd"
cp "$top/samples/bd/bd_0.wav" "$XDG_DATA_HOME/phonon/samples/mine/"
cp "$top/samples/bd/bd_0.wav" "$XDG_DATA_HOME/SuperCollider/downloaded-quarks/Dirt-Samples/bd/"
count=$((count + 1))
got=$(PHONON_SAMPLES="$fx/kit" "$phonon" samples --samples "$fx/flat" 2> /dev/null | sed -n 's/^  [0-9]\. .*  (\([^;]*\);.*/\1/p' | tr '\n' ' ')
[ "$got" = "--samples \$PHONON_SAMPLES user SuperDirt kit " ] || fail "root order: '$got'"
count=$((count + 1))
"$phonon" samples mine > /dev/null 2>&1 || fail "the user's folder is not searched"

# samples play -o: the sample, rendered
count=$((count + 1))
"$phonon" samples play --samples "$fx/kit" bd:1 -o "$tmp/p.wav" 2> "$tmp/err" || fail "play -o: $(cat "$tmp/err")"
frames=$(python3 -c 'import sys, wave; print(wave.open(sys.argv[1]).getnframes())' "$tmp/p.wav" 2>&1)
[ "$frames" = 70560 ] || fail "play -o rendered $frames frames, want kick_hard's 70560"
count=$((count + 1))
"$phonon" samples play nope -o "$tmp/x.wav" 2> /dev/null; rc=$?
[ $rc -eq 66 ] || fail "play of an unknown name: exit $rc, want 66"
count=$((count + 1))
"$phonon" samples play 'bd:x' -o "$tmp/x.wav" 2> /dev/null; rc=$?
[ $rc -eq 64 ] || fail "play bd:x: exit $rc, want 64"

# Debian's packages, where installed: the names, and a pattern of them
# rendered with sound (peak of the 16-bit render above -40 dBFS)
peak() { python3 -c 'import sys, wave, array
w = wave.open(sys.argv[1]); a = array.array("h", w.readframes(w.getnframes()))
print(max(abs(x) for x in a) if a else 0)' "$1" 2>&1; }
plays() { # ROOT PATTERN: renders 1 cycle of PATTERN from ROOT with sound
  printf 'tempo: 1\nout: s "%s"\n' "$2" > "$tmp/lib.ph"
  "$phonon" render -q --cycles 1 --samples "$1" "$tmp/lib.ph" "$tmp/lib.wav" 2> "$tmp/err" ||
    { fail "$2 from $1 does not render: $(cat "$tmp/err")"; return; }
  p=$(peak "$tmp/lib.wav")
  [ "$p" -gt 327 ] 2> /dev/null || fail "$2 from $1 is silent (peak $p)"
}
if [ -d /usr/share/sonic-pi/samples ]; then
  count=$((count + 2))
  names --samples /usr/share/sonic-pi/samples | grep -qw bd || fail "sonic-pi-samples gives no bd"
  plays /usr/share/sonic-pi/samples "bd:0 bd_haus sn:1 ~"
else
  echo "cli sample_layouts: sonic-pi-samples not installed; its checks skipped"
fi
if [ -d /usr/share/hydrogen/data/drumkits ]; then
  count=$((count + 2))
  names --samples /usr/share/hydrogen/data/drumkits | grep -q '_bd ' || fail "hydrogen-drumkits gives no SLUG_bd"
  kit=$(names --samples /usr/share/hydrogen/data/drumkits | tr ' ' '\n' | sed -n 's/_bd$//p' | head -n 1)
  plays /usr/share/hydrogen/data/drumkits "${kit}_bd ${kit}_sn ${kit}_hh ${kit}:1"
else
  echo "cli sample_layouts: hydrogen-drumkits not installed; its checks skipped"
fi

if [ "$fails" -ne 0 ]; then
  echo "cli sample_layouts: $fails of $count checks failed"
  exit 1
fi
echo "cli sample_layouts: $count checks passed"
