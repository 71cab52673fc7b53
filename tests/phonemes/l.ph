--o1 $ s "v east*8" # reverb 0.9 0.0012
o2 $ s "birds(3,8)" # n "3 7 2 1" # note "<b3 a2 c3>" # speed 0.25 # delay 0.8 0.6
o3 $ saw # note "c2'maj" # ar 2 0.2 # lpf 300
--o3 $ s "bend" # n "<0 1 2 3 4 5 6 7 8 9>" 