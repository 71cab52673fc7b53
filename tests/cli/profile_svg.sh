#!/bin/sh
# tests/cli/profile_svg.sh -- `phonon profile --svg FILE` draws three panels
# with axes (tick labels that count up from 0, axis titles): the block-time
# histogram on a log count scale, so that a bin holding a single slow block
# still has a visible bar, with the budget and P50/P95/P99/P99.9 lines; the
# block time over the run with one point per block; the voices over the run.
# Env: PHONON (the binary, default ./phonon).
set -u
phonon=${PHONON:-./phonon}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
printf 'tempo: 1\nout: s "bd*4 sn" # gain 0.8\n' > "$tmp/a.ph"
if ! "$phonon" profile -q --threads 1 --duration 2 --json --svg "$tmp/p.svg" "$tmp/a.ph" > "$tmp/p.json" 2> "$tmp/err"; then
  echo "FAIL profile_svg: $(cat "$tmp/err")"
  exit 1
fi
cat > "$tmp/v.py" << 'PY'
import json, sys
import xml.etree.ElementTree as ET
stats = json.load(open(sys.argv[2]))
root = ET.parse(sys.argv[1]).getroot()
ns = "{http://www.w3.org/2000/svg}"
fails = []
def check(ok, what):
    if not ok: fails.append(what)
axes = [g for g in root.iter(ns + "g") if g.get("class") == "axis"]
check(len(axes) == 3, "%d panels with axes, want 3" % len(axes))
for i, g in enumerate(axes):
    xt = [float(t.text) for t in g.iter(ns + "text") if t.get("class") == "xtick"]
    yt = [float(t.text) for t in g.iter(ns + "text") if t.get("class") == "ytick"]
    check(len(xt) >= 3 and xt[0] == 0 and xt == sorted(xt), "panel %d x ticks %s" % (i, xt))
    check(len(yt) >= 2 and yt == sorted(yt), "panel %d y ticks %s" % (i, yt))
    titles = [t.text for t in g.iter(ns + "text") if t.get("class") is None]
    check(any("(ms)" in (t or "") or "(s)" in (t or "") for t in titles), "panel %d has no axis title" % i)
pct = [l.get("data-name") for l in root.iter(ns + "line") if l.get("class") == "pct"]
for name in ("budget", "P50", "P95", "P99", "P99.9"):
    check(pct.count(name) == 2, "%s drawn %d times, want 2 (histogram and time)" % (name, pct.count(name)))
poly = {p.get("class"): p.get("points").split() for p in root.iter(ns + "polyline")}
check(len(poly.get("blocktime", [])) == stats["blocks"], "block time: %d points for %d blocks" % (len(poly.get("blocktime", [])), stats["blocks"]))
check(len(poly.get("voices", [])) == stats["blocks"], "voices: one point per block")
bars = [float(r.get("height")) for r in root.iter(ns + "rect") if r.get("class") == "bar"]
check(len(bars) == 60, "%d histogram bars" % len(bars))
# log counts: a bin of one block is at least a tenth as tall as the fullest
nonzero = [b for b in bars if b > 0]
check(nonzero and min(nonzero) >= max(bars) / 12, "a one-block bin is hidden: %s" % (sorted(nonzero)[:3],))
# the bar of the slowest block: the last nonzero bin is drawn
check(bars and bars[max(i for i, b in enumerate(bars) if b > 0)] > 0, "the slowest block's bin")
print("\n".join(fails) if fails else "ok")
sys.exit(1 if fails else 0)
PY
if ! python3 "$tmp/v.py" "$tmp/p.svg" "$tmp/p.json" > "$tmp/out" 2>&1; then
  echo "FAIL profile_svg: $(cat "$tmp/out")"
  echo "cli profile_svg: 1 of 1 checks failed"
  exit 1
fi
echo "cli profile_svg: 1 checks passed"
