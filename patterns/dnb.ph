-- dnb.ph -- drum and bass at 174 BPM, four beats a cycle.
-- Shows: a two-step break written in 16ths with rests, a snare fill every
-- fourth bar with `<>` and `!`, ghost snares that appear only half the time
-- (degradeBy), hats that sometimes jump up an octave (sometimesBy) and are
-- spread with jux rev, `every` doubling the ride, a Reese bass as a bus instrument (two detuned saws, the second
-- keeping its frequency ratio to the note) through a moog ladder, and a
-- sparse pad stab in a long reverb.
bpm: 174 "4/4"

~kick $ s "bd:2 ~ ~ ~ ~ ~ ~ ~ ~ ~ bd:2 ~ ~ ~ ~ ~" # gain 0.4
~snare $ s "<[~ ~ ~ ~ sn:1 ~ ~ ~ ~ ~ ~ ~ sn:1 ~ ~ ~]!3 [~ ~ ~ ~ sn:1 ~ ~ sn:1 ~ sn:1 ~ ~ sn:1 sn:1 sn:1 sn:1]>"
  # gain 0.45
~ghost $ degradeBy 0.5 $ s "~ ~ sn:0 ~ ~ ~ ~ sn:0 ~ ~ ~ ~ ~ ~ sn:0 ~" # gain 0.14
~hats $ jux rev $ sometimesBy 0.25 (# speed 2) $ s "hh*16" # gain "0.22 0.1 0.16 0.1"
~ride $ every 4 (fast 2) $ s "~ rd ~ rd" # gain 0.12

-- Reese: the note sets the first saw; the second stays 0.6% above it
~reese: (saw + saw 263.2) * 0.5 # moog 600 0.35 # ar 0.02 0.3
~bass $ s "~reese ~ ~ ~reese ~ ~ ~reese ~" # note "<e1 e1 g1 d1>" # legato 1 # gain 0.45

~pad: saw # lpf 1200 0.7 # adsr 0.01 0.3 0.4 1.5
~stab $ s "~ ~pad ~ ~" # note "<e3'min9 ~ c3'maj7 ~>" # gain 0.05 # reverb 0.85 0.5 0.5

out: ~kick + ~snare + ~ghost + ~hats + ~ride + ~bass + ~stab
