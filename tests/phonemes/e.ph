bpm: 120
~s: sine 440 # gain 0.3
o1: s "~s" # note "c4'maj7"
