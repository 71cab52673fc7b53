-- ambient.ph -- slow, wide and wet, at 20 BPM (one cycle every 3 s).
-- Shows: long pad chords from a bus instrument with a slow ADSR (each
-- chord note its own voice, voices overlapping through the release), a
-- chord progression in `<>` stretched with `slow`, wind from pink noise
-- through a band-pass swept by a slow LFO bus, sparse plucks from the arpy
-- samples that degrade at random, echo with `off`, the Dattorro plate,
-- and `perlin` noise moving the plucks across the stereo field.
bpm: 20

~pad: (saw + tri 523.26) * 0.5 # lpf 900 0.6 # adsr 1.5 1 0.7 3
~chords $ slow 2 (s "~pad" # note "<c3'maj9 a2'min9 f2'maj9'o g2'sus4>") # gain 0.1
  # plate 0.05 0.8 0.7 0.4 0.3 0.5

~lfo: sine 0.05
~wind: pink # bpf (~lfo * 500 + 900) 3 # gain 0.6 # pan 0.3

~plucks $ degradeBy 0.4 $ off 0.125 (|* gain 0.6)
  (s "arpy*8" # n (irand 8 $ segment 8) # gain 0.12 # pan perlin # speed 0.5)
  # delay 0.375 0.5 0.4 # reverb 0.8 0.3 0.5

out: ~chords + ~wind + ~plucks
