#!/bin/sh
# midi_virmidi.sh -- MIDI out for real: `phonon live --midi-out` through ALSA's
# sequencer into a virtual MIDI port of the snd-virmidi kernel module, on a
# JACK dummy server, its raw MIDI device read back beside it.
#
# Plays `note "0 4 7 12" # s "midi" # midichan 2` at 1 cps for 3 s and checks
# what arrives on the virmidi card's raw MIDI device: the note-ons in order on
# channel 3 (0x92), a note-off for each, no note left on at the end and CC 123
# (all notes off) when live stops. It prints the spacing of the note-ons as
# they arrived (mean and largest deviation from 250 ms: the MIDI thread's and
# the kernel's jitter, for the notes; no wall-clock threshold is asserted).
#
# Exit 0 when it passed, 1 on a failure, 77 (with "SKIP: <reason>") where it
# cannot run: no /dev/snd/seq (no ALSA sequencer, e.g. a VM without sound:
# modprobe snd-seq), no snd-virmidi ports (sudo modprobe snd-virmidi), no
# JACK tools, no python3, or a build without ALSA.
# Real-time test: run it alone, not beside a build.
set -u
cd "$(dirname "$0")/../.." || exit 1
phonon=${PHONON:-./phonon}
say() { echo "midi_virmidi: $*" >&2; }

[ -e /dev/snd/seq ] || { say "SKIP: /dev/snd/seq is absent (no ALSA sequencer here: modprobe snd-seq snd-virmidi)"; exit 77; }
for tool in jackd jack_wait python3; do
  command -v "$tool" >/dev/null 2>&1 || { say "SKIP: $tool not installed"; exit 77; }
done
ports=$("$phonon" live --list-midi 2>&1) || { say "SKIP: $ports"; exit 77; }
line=$(printf '%s\n' "$ports" | grep 'VirMIDI' | head -n 1)
[ -n "$line" ] || { say "SKIP: no snd-virmidi port (sudo modprobe snd-virmidi)"; exit 77; }
idx=$(printf '%s\n' "$line" | cut -f1)
# "VirMIDI 1-0": card 1, device 0, whose raw MIDI device gets what the port is sent
cd_=$(printf '%s\n' "$line" | sed -n 's/.*VirMIDI \([0-9]*\)-\([0-9]*\).*/\1 \2/p')
set -- $cd_
raw=/dev/snd/midiC${1:-x}D${2:-x}
[ -r "$raw" ] || { say "SKIP: cannot read $raw (the virmidi card's raw MIDI device)"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
printf 'cps: 1\nd1: note "0 4 7 12" # s "midi" # midichan 2\n' > "$tmp/m.ph"

# the reader: raw bytes with their arrival time, for 6 s
python3 - "$raw" "$tmp/bytes" <<'EOF' &
import os, select, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
out = open(sys.argv[2], "w")
end = time.monotonic() + 6
while time.monotonic() < end:
    r, _, _ = select.select([fd], [], [], 0.05)
    if r:
        t = time.monotonic()
        for b in os.read(fd, 4096):
            out.write("%.6f %d\n" % (t, b))
out.close()
EOF
reader=$!
sleep 0.5
scripts/with-jack-dummy.sh "$phonon" live -q --midi-out "$idx" -d 3 "$tmp/m.ph"
rc=$?
wait "$reader"
[ $rc = 0 ] || { say "FAILED: phonon live --midi-out exited $rc"; exit 1; }

python3 - "$tmp/bytes" <<'EOF'
import sys
msgs, status, data, t0 = [], None, [], None
for line in open(sys.argv[1]):
    t, b = line.split(); t = float(t); b = int(b)
    if b >= 0xF8:
        continue
    if b & 0x80:
        status, data = b, []
        continue
    if status is None:
        continue
    data.append(b)
    need = 1 if status & 0xF0 in (0xC0, 0xD0) else 2
    if len(data) == need:
        msgs.append((t, status, data)); data = []
ons = [(t, d[0]) for t, s, d in msgs if s == 0x92 and d[1] > 0]
offs = [d[0] for t, s, d in msgs if s == 0x82 or (s == 0x92 and d[1] == 0)]
fail = []
if len(ons) < 8:
    fail.append("only %d note-ons arrived" % len(ons))
want = [60, 64, 67, 72]
first = want.index(ons[0][1]) if ons and ons[0][1] in want else 0
if [n for t, n in ons] != [want[(first + i) % 4] for i in range(len(ons))]:
    fail.append("note-ons out of order: %s" % [n for t, n in ons])
left = {}
for t, s, d in msgs:
    if s == 0x92 and d[1] > 0: left[d[0]] = left.get(d[0], 0) + 1
    elif s == 0x82 or (s == 0x92 and d[1] == 0): left[d[0]] = left.get(d[0], 0) - 1
if any(v > 0 for v in left.values()):
    fail.append("notes left on: %s" % left)
if not any(s == 0xB2 and d == [123, 0] for t, s, d in msgs):
    fail.append("no all-notes-off (CC 123) on channel 3 at the end")
gaps = [b[0] - a[0] for a, b in zip(ons, ons[1:])]
if gaps:
    dev = [abs(g - 0.25) * 1000 for g in gaps]
    print("midi_virmidi: %d note-ons, spacing mean %.3f ms, largest deviation from 250 ms %.3f ms"
          % (len(ons), 1000 * sum(gaps) / len(gaps), max(dev)), file=sys.stderr)
for f in fail:
    print("midi_virmidi: FAILED: " + f, file=sys.stderr)
sys.exit(1 if fail else 0)
EOF
rc=$?
[ $rc = 0 ] && say "passed"
exit $rc
