-- house.ph -- deep house at 124 BPM, four beats a cycle.
-- Shows: a four-on-the-floor kit from the sample kit with offbeat open hats
-- and a swung clap; a chord stab played as a bus instrument (~stab: each
-- event starts its own saw voice with its own filter and envelope; the
-- note chords give four voices per stab); a Euclidean stab rhythm; a bass
-- line from the bass samples transposed with note; a dotted-eighth delay
-- and a small room on the clap.
bpm: 124 "4/4"

~kick $ s "bd:3*4" # gain 0.5
~hats $ s "[~ oh:1]*4, hh*16" # gain "0.26 0.12 0.2 0.12" # pan (range 0.35 0.65 (slow 2 sine))
~clap $ s "~ cp ~ cp" # gain 0.45 # reverb 0.4 0.5 0.25

-- the chord voice: a saw through a resonant low-pass, plucked
~stab: saw # lpf 2400 1.2 # ar 0.004 0.2
~chords $ s "~stab(3,8,2)" # note "<a3'min7 d3'min7'ii g3'dom7'ii c4'maj7>" # gain 0.06
  # delay 0.375 0.35 0.3

-- offbeat bass: bass:0 is an A, note moves it with the chords
~bass $ s "[~ bass]*4" # note "<0 5 -2 3>" # gain 0.35 # lpf 900

out: ~kick + ~hats + ~clap + ~chords + ~bass
