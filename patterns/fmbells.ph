-- fmbells.ph -- FM bells over a drone, at 90 BPM, three beats a cycle.
-- Shows: two-operator FM as bus instruments: ~bell with an inharmonic
-- modulator ratio (2.8: a struck-metal spectrum) and a long perc decay,
-- ~tine with ratio 4 and a low index (an electric-piano tine); each note
-- its own voice, pitched by `note` with the modulator keeping its ratio.
-- A pentatonic melody as a 5-step polymeter over 6 steps, `shuffle`,
-- `degradeBy` for space, `jux` playing the melody a fifth up (|+ note 7)
-- on the right, a drone whose FM index breathes with an LFO bus, and the
-- Dattorro plate.
bpm: 90 "3/4"

~bell: fm 261.63 732.56 3.2 # perc 2.4
~tine: fm 261.63 1046.52 1.2 # perc 0.5

~melody $ jux (|+ note 7) $ degradeBy 0.3 $ s "~bell*6"
  # note "{c5 d5 e5 g5 a5}%6" # gain 0.1
  # plate 0.03 0.75 0.7 0.3 0.4 0.45

~keys $ shuffle 3 $ s "~tine*3" # note "<[c4'maj7] [a3'min7] [f3'maj7] [g3'sus4]>"
  # gain 0.05 # pan 0.4

~breath: sine 0.07 * 0.8 + 1.2
~drone: fm 65.41 98.1 ~breath # lpf 600 0.7 # gain 0.05

out: ~melody + ~keys + ~drone
