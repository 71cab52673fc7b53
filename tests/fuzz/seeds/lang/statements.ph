bpm: 140 "3/4"
cps: 0.5
tempo: 2
~t: fast 2
~x: saw # gain 0.3 # ar 0.01 0.2
~keys $ s "~x(3,8)" # note "c4'min7 e'maj'ii"
o1 $ stack [s "bd*2", s "hh*8" # gain 0.6]
  # reverb 0.9 0.2 0.5
d2: s "sn" $ every 4 rev // a comment
hush3
hush
panic
out: ~keys + ~t $ s "cp"
