-- acid.ph -- acid techno at 132 BPM, four beats a cycle.
-- Shows: bus instruments (~acid, ~sq): every 16th starts its own voice
-- with its own moog ladder, decay envelope and drive; a shared LFO bus
-- (~cut) sweeping the cutoff of every voice; accents from a gain pattern;
-- the line an octave up every fourth bar (every with a |+ note section); a
-- square-wave counter-line of dyads that change each bar (<> of [ ]) into
-- a delay; bus arithmetic to mix (~line * 0.5); and chop on the open hat.
bpm: 132 "4/4"

~cut: sine 0.0625 * 0.5 + 0.5                -- 0..1, a sweep every 16 s
~acid: saw # moog (~cut * 2600 + 250) 0.85 # ad 0.003 0.18 # distort 3 0.35
~line $ every 4 (|+ note 12) (s "~acid*16"
  # note "c2 c2 c3 c2 eb2 c2 ~ bb1 c2 g2 c3 c2 f2 eb2 c3 g1"
  # gain "0.9 0.5 0.5 0.7" # legato 0.8)

~sq: square # lpf 1600 0.9 # perc 0.25
~counter $ s "~ ~sq ~ ~sq" # note "<[eb4 g4] [f4 c5] [g4 bb4] [c5 eb5]>" # gain 0.15
  # delay 0.341 0.45 0.35 # pan 0.65

~kick $ s "bd:0*4" # gain 0.5
~hats $ s "[~ hh]*4, ~ ~ ~ oh:0" # gain "0.25 0.18" # pan 0.45
~oh $ chop 2 $ s "~ oh ~ oh" # gain 0.12 # pan 0.6
~clap $ s "~ cp" # n 1 # gain 0.3 # reverb 0.3 0.6 0.15

out: ~line * 0.5 + ~counter + ~kick + ~hats + ~oh + ~clap
