~pad: supersaw # note "c3'maj7'o" # lpf 800 :q 4 # hpf 80
~fx: ~pad # delay :time 0.25 :feedback 0.6 :mix 0.4 # reverb :room_size 0.9 :damping 0.2 :mix 0.5
~lead: fm 440 2 "<1 3>" # adsr :attack 0.01 :decay 0.1 :sustain 0.5 :release 1
~crushed: square "55 110" # bitcrush 8 4 # distort :drive 4 :mix 0.5 # chorus :rate 1 :depth 0.5 :mix 0.3
~bus: pulse 220 0.3 # moog (range 200 2000 sine) 0.7 # compress -20 4 # limit -1
out: ~fx + ~lead * 0.5 + ~crushed * (sine * 0.2 + 0.1) + ~bus
