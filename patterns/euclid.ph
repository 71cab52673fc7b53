-- euclid.ph -- Euclidean rhythms at 110 BPM, four beats a cycle.
-- Shows: a(k,n) and a(k,n,r) spread k hits over n steps (rotated left by
-- r), traditional timelines as Euclid patterns (tresillo 3,8; cinquillo
-- 5,8; 2 in 5 against the 4/4), arguments that are themselves patterns
-- (<2 3>, <0 2>), `euclidFull` to fill the off-steps with another sound,
-- a tom whose pitch and rotation walk each cycle, `iter` shifting a 5,16
-- woodblock line, and the SuperDirt-style superkick and superhat.
bpm: 110 "4/4"

~kick $ s "superkick(3,8)" # gain 0.45
~rim $ s "rim(5,8,2)" # gain 0.28 # pan 0.4
~clap $ s "cp(<2 3>,8,<0 2>)" # gain 0.3 # pan 0.6 # reverb 0.5 0.4 0.2
~hat $ euclidFull 7 16 (s "superhat" # gain 0.3) (s "hh:2" # gain 0.05)
~toms $ s "<lt mt ht mt>(3,8,<0 2 4 6>)" # gain 0.2 # pan (slow 3 sine)
~wood $ iter 4 $ s "perc(5,16,3)" # n "0 1 2" # gain 0.18 # delay 0.273 0.3 0.2
~bell $ s "cb(2,5)" # gain 0.1 # speed "<1 1.2>" # pan 0.8

out: ~kick + ~rim + ~clap + ~hat + ~toms + ~wood + ~bell
