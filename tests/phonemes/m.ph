--o1: s "808bd(3,8)" # n 2
~x: saw # gain 0.3
o2: jux rev $ stut 8 0.125 0.1 $ s "~x(3,8,1)" # ar 0 1 # note "<c3'min7 c4'min7>" # lpf 200
-- "3 2 4 1 0.3" 

