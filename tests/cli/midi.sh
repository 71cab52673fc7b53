#!/bin/sh
# tests/cli/midi.sh -- MIDI out from the command line, without a device:
# `render --midi-file` writes a Standard MIDI File that a reader of its own
# (python3, below) parses: one tick per frame, the note-ons of
# `note "0 4 7 12" # s "midi" # midichan 2` on the frames the sample kit's
# bd of the same render starts at (its first loud frame), a note-off for
# each, the file ending with every note off; `--midi-file` with a rate a MIDI
# file cannot count is a usage error (64); `live --midi-out` and
# `--list-midi` say why there is no port (69) where ALSA's sequencer is
# absent (this machine has no /dev/snd), and s "midi" without --midi-file
# gets a note; Tidal's s "midi" over OSC reaches `dirt --midi-file` on the
# frame of its time tag (midi_dirt.py). Env: PHONON (the binary, default
# ./phonon).
set -u
phonon=${PHONON:-./phonon}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
count=0
fail() { echo "FAIL midi: $*"; fails=$((fails + 1)); }
command -v python3 > /dev/null 2>&1 || { echo "cli midi: SKIP: python3 is not installed"; exit 77; }

printf 'cps: 0.55\nd1: note "0 4 7 12" # s "midi" # midichan 2\nd2: s "bd*4" # end 0.03\n' > "$tmp/m.ph"
count=$((count + 1))
"$phonon" render -q --cycles 2 -r 48000 --format f32 "$tmp/m.ph" "$tmp/m.wav" --midi-file "$tmp/m.mid" ||
  fail "render --midi-file failed"
count=$((count + 1))
python3 - "$tmp/m.mid" "$tmp/m.wav" <<'PY' || fail "the MIDI file does not match the render (above)"
import struct, sys
b = open(sys.argv[1], "rb").read()
assert b[:4] == b"MThd" and struct.unpack(">IHHH", b[4:14])[:3] == (6, 0, 1), "not a format 0 file"
div = struct.unpack(">H", b[12:14])[0]
assert b[14:18] == b"MTrk"
end = 22 + struct.unpack(">I", b[18:22])[0]
i, t, ev, tempo = 22, 0, [], None
def vlq(i):
    x = 0
    while True:
        c = b[i]; i += 1; x = x << 7 | c & 127
        if c < 128: return x, i
while i < end:
    d, i = vlq(i); t += d
    if b[i] == 0xFF:
        ln, j = vlq(i + 2)
        if b[i + 1] == 0x51: tempo = int.from_bytes(b[j:j + ln], "big")
        i = j + ln
        continue
    n = 2 if b[i] & 0xF0 in (0xC0, 0xD0) else 3
    ev.append((t, bytes(b[i:i + n]))); i += n
assert tempo * 48000 == div * 1000000, "a tick is not a frame (tempo %d, division %d)" % (tempo, div)
ons = [(t, m[1]) for t, m in ev if m[0] == 0x92 and m[2] > 0]
assert [n for t, n in ons] == [60, 64, 67, 72] * 2, "note-ons %s" % ons
assert all(m[2] == 50 for t, m in ev if m[0] == 0x92), "velocity is not SuperDirt's 50"
assert sum(1 for t, m in ev if m[0] == 0x82) == 8, "not a note-off for each note"
# the bd's onsets: the first frame above 1e-3 after 1000 below (end 0.03 keeps them apart)
import array
raw = open(sys.argv[2], "rb").read()
k = raw.find(b"data")
x = array.array("f", raw[k + 8:])
left = x[0::2]
starts, quiet = [], 1000
for f, v in enumerate(left):
    if abs(v) > 1e-3 and quiet >= 1000: starts.append(f)
    quiet = 0 if abs(v) > 1e-3 else quiet + 1
assert [t for t, n in ons] == starts, "note-ons %s, audio onsets %s" % ([t for t, n in ons], starts)
PY
count=$((count + 1))
"$phonon" render -q -r 44101 "$tmp/m.ph" "$tmp/x.wav" --midi-file "$tmp/x.mid" 2> "$tmp/err"
rc=$?
[ $rc = 64 ] && grep -q "44101" "$tmp/err" || fail "--midi-file at 44101 Hz: exit $rc, $(cat "$tmp/err")"
count=$((count + 1))
"$phonon" render "$tmp/m.ph" "$tmp/y.wav" --cycles 1 2> "$tmp/err" || fail "render without --midi-file failed"
grep -q "midi-file" "$tmp/err" || fail "no note that s \"midi\" sends nothing without --midi-file"
# s "midi" from Tidal's OSC through phonon dirt --render --midi-file
count=$((count + 1))
python3 "$(dirname "$0")/midi_dirt.py" "$phonon" "$tmp"
rc=$?
[ $rc = 0 ] || [ $rc = 77 ] || fail "phonon dirt: s \"midi\" over OSC (above)"
if [ ! -e /dev/snd/seq ]; then
  count=$((count + 1))
  "$phonon" live --list-midi > /dev/null 2> "$tmp/err"
  rc=$?
  [ $rc = 69 ] && grep -q "sequencer\|no MIDI" "$tmp/err" || fail "live --list-midi without a sequencer: exit $rc, $(cat "$tmp/err")"
fi
if [ $fails = 0 ]; then
  echo "cli midi: $count checks passed"
  exit 0
fi
echo "cli midi: $fails of $count checks failed"
exit 1
