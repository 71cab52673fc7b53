#!/usr/bin/env python3
"""tests/cli/midi_dirt.py -- s "midi" from Tidal's OSC through `phonon dirt` (loopback only).

Usage: midi_dirt.py PHONON OUT_DIR

Starts `PHONON dirt --render OUT_DIR/d.wav --midi-file OUT_DIR/d.mid --port 0
--duration 1.5`, reads "port P epoch_ns E", and sends, 300 ms ahead, what
Tidal sends for d1 $ note "4" # s "midi" # midichan 1 # nudge 0.1: one
/dirt/play bundle whose time tag (0.5 s after frame 0) has the nudge in it
already, with delta 0.25. The MIDI file must hold the note-on 0x91 64 at the
frame the time tag names (floor((t - epoch) * rate + 0.5): the nudge not
applied twice) and its note-off 0.25 s later less SuperDirt's 1 ms fade.
Exit 0 when it holds, 1 otherwise, 77 when the bundle reached phonon late
(a loaded machine).
"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dirt_client import RATE, bundle, decoded_ns, osc_msg, timetag  # noqa: E402
import socket  # noqa: E402

phonon, out = sys.argv[1], sys.argv[2]
p = subprocess.Popen([phonon, "dirt", "--render", out + "/d.wav", "--midi-file", out + "/d.mid", "--port", "0",
                      "--duration", "1.5", "-q"], stdout=subprocess.PIPE, text=True)
line = p.stdout.readline().split()
port, epoch = int(line[1]), int(line[3])
tag = timetag(epoch + 500000000)
msg = osc_msg("/dirt/play", "s", "midi", "note", 4.0, "midichan", 1.0, "delta", 0.25, "cps", 0.5625,
              "cycle", 0.0, "nudge", 0.1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
while time.time_ns() < epoch + 200000000:
    time.sleep(0.01)
late = time.time_ns() > epoch + 450000000
s.sendto(bundle(tag, msg), ("127.0.0.1", port))
p.wait()
if late:
    print("midi_dirt: SKIP: the bundle was sent late (a loaded machine)")
    sys.exit(77)
b = open(out + "/d.mid", "rb").read()
i, t, ev = 22 + 7, 0, []            # after the header and the tempo event: channel messages, then the end
while True:
    d = 0
    while True:
        c = b[i]
        i += 1
        d = d << 7 | c & 127
        if c < 128:
            break
    t += d
    if b[i] == 0xFF:
        break
    ev.append((t, b[i:i + 3]))
    i += 3
on = (decoded_ns(tag) - epoch) * RATE
frame = (on * 2 + 1000000000) // 2000000000
want = [(frame, bytes([0x91, 64, 50])), (frame + round(0.25 * RATE - 0.001 * RATE), bytes([0x81, 64, 50])),
        (int(1.5 * RATE), bytes([0xB1, 123, 0]))]
if ev != want:
    print("midi_dirt: FAIL: the MIDI file holds %s, want %s" % (ev, want))
    sys.exit(1)
print("midi_dirt: the note-on on the frame of its time tag, the note-off 0.25 s later")
