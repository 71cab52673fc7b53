-- synths.ph -- the SuperDirt-style synths, as a small trance loop at 138
-- BPM, four beats a cycle.
-- Shows: superkick, supersnare and superhat as the kit; supersaw chords
-- (note chords: one synth voice per note, inversions with 'ii); a
-- superpwm bass; a superchip arpeggio that `scramble`s its notes on
-- alternate bars; `whenmod` doubling the snare in the last two of every
-- eight bars; and the plate on the chords.
bpm: 138 "4/4"

~kick $ s "superkick*4" # gain 0.4
~snare $ s "~ supersnare" # gain 0.5 $ whenmod 8 6 (fast 2)
~hat $ s "[~ superhat]*4" # gain 0.4 # pan 0.6

~saws $ s "supersaw(3,8)" # note "<a3'min e3'min'ii f3'maj g3'maj'ii>"
  # gain 0.1 # legato 0.5 # plate 0.02 0.6 0.6 0.3 0.4 0.3
~bass $ s "superpwm*8" # note "<a1 e1 f1 g1>" # gain 0.1 # legato 0.4 # lpf 500
~chip $ every 2 (scramble 8)
  (s "superchip*8" # note "<[a4 c5 e5 a5]*2 [e4 g4 b4 e5]*2 [f4 a4 c5 f5]*2 [g4 b4 d5 g5]*2>")
  # gain 0.08 # pan 0.3 # delay 0.326 0.4 0.3

out: ~kick + ~snare + ~hat + ~saws + ~bass + ~chip
