-- Benchmark: q.ph with ten times the instrument events (about 720 voices).
bpm: 120
~x: saw 440 # lpf ("800 <300 500 200 999>" $ fast "<3 19 3 3 2 8 9>") 0.8
o1: s "~x(7,17)" $ fast 10 # note "c4'min7 f3'min7" # delay 0.334 0.3 0.3 # reverb 0.9 0.1 0.3 # gain 0.1
o2: s "bd(4,17)"
o3: s "lt(4,17,2)"
