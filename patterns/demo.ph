-- demo.ph -- what `make demo` plays: a bright house loop at 122 BPM that is
-- all there from the first bar (a new variation every four bars).
-- Shows the basics in one screen: samples from the kit with `#` controls,
-- a chord instrument played from a bus (~keys: a saw whose pitch comes
-- from `note`, one voice per chord note), Euclid rhythms, an arpeggio from
-- the arpy samples with `off` and `jux`, a bass line built with note
-- arithmetic, and delay and reverb sends.
bpm: 122 "4/4"

~kick $ s "bd:0*4" # gain 0.45
~clap $ s "~ cp ~ cp" # gain 0.32 # reverb 0.4 0.5 0.2
~hats $ s "[~ oh:1]*4, hh*8" # gain "0.2 0.1" # pan 0.6
~perc $ s "rim(3,8,2)" # gain 0.14 # pan 0.35

~keys: saw # lpf 2200 0.9 # ar 0.005 0.35
~chords $ s "~keys(5,8)" # note "<c4'maj7 a3'min7 f3'maj7 g3'dom7'ii>" # gain 0.05
  # delay 0.369 0.35 0.25

~arp $ jux rev $ off 0.125 (|* gain 0.5) $ every 4 (fast 2)
  (s "arpy*8" # n "<[0 2 4 5] [5 4 2 0] [0 2 5 7] [7 5 4 2]>" # gain 0.07)

~sub: tri # lpf 700 0.8 # ar 0.004 0.2
~bass $ s "~sub*8" # note "<c2 a1 f1 g1>" + note "0 0 12 0 0 12 0 12" # gain 0.15

out: ~kick + ~clap + ~hats + ~perc + ~chords + ~arp + ~bass
