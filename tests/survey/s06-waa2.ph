-- Strudel tune "Waa2" by Felix Roos (CC BY-NC-SA 4.0)
-- source: https://github.com/tidalcycles/strudel/blob/main/website/src/repl/tunes.mjs
out: n ("a4 [a3 c3] a3 c3" - slow 2 "<7 12 5 12>" $ off 0.25 (+ 7) $ off 0.125 (+ 12)) $ slow 2
  # clip (slow 28 $ range 0.3 2 sine) # s (fast 2 "sawtooth square")
  # cutoff (slow 16 $ range 500 4000 cosine) # gain 0.5 # room 0.5
