-- Benchmark: a bus instrument (saw -> low-pass -> ADSR) triggered densely
-- with chords; every event starts one voice per chord note.
bpm: 120
~v: saw # lpf 2400 0.8 # adsr 0.01 0.2 0.6 0.3
o1: s "~v*32" # note "<c3'maj7 f3'min7 g3'dom7 e3'min7>" # gain 0.02
