#!/bin/sh
# The survey of issue 11: public Tidal and Strudel patterns, their d1 $ /
# method-chain surface translated (each file names its source). For each:
# does `phonon check` accept it (sample names missing from the local kit
# allowed), and does a 4-cycle render have sound (peak above -60 dBFS)?
# Env: PHONON (default ./phonon). Prints one line per file and a total.
set -u
here=$(cd "$(dirname "$0")" && pwd)
phonon=${PHONON:-./phonon}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
ok=0 sound=0 total=0
for f in "$here"/*.ph; do
  total=$((total + 1))
  name=$(basename "$f")
  if ! "$phonon" check --allow-missing "$f" > "$tmp/check" 2>&1; then
    printf '%-32s error  %s\n' "$name" "$(grep -m1 'error' "$tmp/check" | sed 's/^[^ ]* //')"
    continue
  fi
  ok=$((ok + 1))
  "$phonon" render -q --allow-missing --cycles 4 --format f32 "$f" "$tmp/out.wav" 2> "$tmp/render"
  peak=$(python3 -c '
import struct, sys, math
d = open(sys.argv[1], "rb").read()
i = d.find(b"data") + 8
xs = struct.unpack("<%df" % ((len(d) - i) // 4), d[i:i + (len(d) - i) // 4 * 4])
p = max((abs(x) for x in xs), default=0)
print("%.1f" % (20 * math.log10(p)) if p > 0 else "-inf")' "$tmp/out.wav")
  missing=$(grep -o "unknown sample name '[^']*'" "$tmp/check" | sed "s/unknown sample name //" | sort -u | tr '\n' ' ')
  if [ "$peak" != "-inf" ] && [ "$(python3 -c "print(int($peak > -60))")" = 1 ]; then
    sound=$((sound + 1)); verdict=sound
  else
    verdict=silent
  fi
  printf '%-32s %-6s peak %s dBFS%s\n' "$name" "$verdict" "$peak" "${missing:+  (samples not in the kit: $missing)}"
done
echo "survey: $total patterns, $ok compile, $sound render with sound"
