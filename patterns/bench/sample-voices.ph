-- Benchmark: sample playback, many voices at once. Varied speeds (0.5-1.9),
-- pan, gain and an attack/release envelope on every voice, dense enough that
-- thousands of voices overlap (phonon profile --capacity scales it further).
bpm: 120
o1: s "[arpy*32, bass*16, cr*8, rd*16, perc*32]" # speed (range 0.5 1.9 rand) # pan rand # gain 0.05 # attack 0.005 # release 0.4
