-- Strudel tune "Hyperpop" by Felix Roos (CC BY-NC-SA 4.0), its drums and first synth
-- source: https://github.com/tidalcycles/strudel/blob/main/website/src/repl/tunes.mjs
out: stack [
  note ("-7 0 -7 7" $ struct "x(5,8,1)" $ fast 2 $ (- 7) $ scale "<D3:major G3:major>/8") # s "sawtooth" # gain 0.3 # attack 0.01 # decay 0.1 # sustain 0.5 # cutoff (slow 16 $ range 300 3000 sine),
  s (stack ["bd <~@7 [~ bd]>" $ fast 2, "~ sn", "[~ hh]*2"]) $ fast 2 # gain 0.7
  ] $ slow 2
