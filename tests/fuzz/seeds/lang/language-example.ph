-- a comment runs to the end of the line; `//` also starts a comment
bpm: 120                     -- 2 cycles per second (one beat per cycle); or  tempo: 2  /  cps: 2
~lfo: sine 0.25              -- a bus: a named signal (an oscillator at 0.25 Hz, -1..1)
~bass: saw "55 82.5 110" # lpf (~lfo * 1000 + 1500) 0.8
~drums $ s "[bd*4, hh*8, ~ sn ~ sn]" # gain 0.9
out: ~drums + ~bass * 0.3    -- what is heard
