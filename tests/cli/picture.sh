#!/bin/sh
# tests/cli/picture.sh -- `phonon render --png FILE` and `--svg FILE` draw the
# render: the PNG (decoded here with python3's zlib) is 1000 x 360, the
# cycle grid falls on the columns of the cycle boundaries, a red onset tick
# sits at each event (to the frame), both channels' waveforms are drawn
# where there is sound and the spectrogram strip is dark where there is
# none; the SVG parses as XML with the same cycle lines and onsets.
# Env: PHONON (the binary, default ./phonon).
set -u
phonon=${PHONON:-./phonon}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
count=2

# two cycles of one second: four short kicks (0.55 s), then two; silence from 1.8 s
printf 'tempo: 1\nout: s "<[bd:3*4] [bd:3 bd:3 ~ ~]>"\n' > "$tmp/a.ph"
if ! "$phonon" render -q --cycles 2 "$tmp/a.ph" "$tmp/a.wav" --png "$tmp/a.png" --svg "$tmp/a.svg" 2> "$tmp/err"; then
  echo "FAIL picture: render --png --svg: $(cat "$tmp/err")"
  exit 1
fi
cat > "$tmp/png.py" << 'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "signature"
at, idat, ihdr = 8, b"", None
while at < len(data):
    n, kind = struct.unpack(">I4s", data[at:at + 8])
    body = data[at + 8:at + 8 + n]
    assert zlib.crc32(kind + body) == struct.unpack(">I", data[at + 8 + n:at + 12 + n])[0], "crc " + kind.decode()
    if kind == b"IHDR": ihdr = struct.unpack(">IIBBBBB", body)
    if kind == b"IDAT": idat += body
    at += 12 + n
w, h = ihdr[0], ihdr[1]
assert (w, h, ihdr[2], ihdr[3]) == (1000, 360, 8, 2), ihdr
raw = zlib.decompress(idat)
row = 1 + 3 * w
px = lambda x, y: tuple(raw[y * row + 1 + 3 * x:y * row + 4 + 3 * x])
fails = []
def check(ok, what):
    if not ok: fails.append(what)
# the cycle grid: x = 0, 500 (1 s of 2) and the last column, grey in the spectrogram's top row
for x in (0, 500, 999):
    check(px(x, 262) == (170, 170, 170), "no grid line at x=%d: %s" % (x, px(x, 262)))
check(px(250, 262) != (170, 170, 170), "a grid line at x=250")
# onsets: red ticks in row 2 at 0, .25, .5, .75, 1, 1.25 s: columns 0 125 250 375 500 625, to the
# frame (most of them lie inside a 512-frame block: ticks at block starts would be up to 6 columns early)
red = [x for x in range(w) if px(x, 2) == (220, 30, 30)]
groups = []
for x in red:
    if not groups or x - groups[-1][-1] > 1: groups.append([x])
    else: groups[-1].append(x)
starts = [g[0] for g in groups]
want = [0, 125, 250, 375, 500, 625]
check(len(starts) == len(want) and all(a == b for a, b in zip(starts, want)), "onsets at %s, want %s" % (starts, want))
# waveforms: both channels drawn just after a kick, nothing in the silent tail
blue, green = (30, 90, 200), (30, 150, 60)
check(any(px(130, y) == blue for y in range(0, 130)), "no left waveform at x=130")
check(any(px(130, y) == green for y in range(130, 260)), "no right waveform at x=130")
check(not any(px(950, y) in (blue, green) for y in range(0, 260) if y not in (65, 195)), "a waveform in the silent tail")
# the spectrogram: bright low frequencies under a kick, black in the silence
lo = px(20, 355)
check(lo[0] > 100, "the spectrogram is dark under a kick: %s" % (lo,))
check(px(950, 355) == (0, 0, 0), "the spectrogram is not black in silence: %s" % (px(950, 355),))
print("\n".join(fails) if fails else "ok")
sys.exit(1 if fails else 0)
PY
python3 "$tmp/png.py" "$tmp/a.png" > "$tmp/out" 2>&1 || { echo "FAIL picture: png: $(cat "$tmp/out")"; fails=$((fails + 1)); }
cat > "$tmp/svg.py" << 'PY'
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = "{http://www.w3.org/2000/svg}"
assert root.get("width") == "1000" and root.get("height") == "360", root.attrib
lines = root.findall(ns + "line")
cycles = [l for l in lines if l.get("class") == "cycle"]
onsets = [l for l in lines if l.get("class") == "onset"]
assert len(cycles) == 3, len(cycles)
assert len(onsets) == 6, len(onsets)
assert len(root.findall(ns + "polygon")) == 2, "two waveforms"
print("ok")
PY
python3 "$tmp/svg.py" "$tmp/a.svg" > "$tmp/out" 2>&1 || { echo "FAIL picture: svg: $(tail -n 1 "$tmp/out")"; fails=$((fails + 1)); }

if [ "$fails" -ne 0 ]; then
  echo "cli picture: $fails of $count checks failed"
  exit 1
fi
echo "cli picture: $count checks passed"
