-- Strudel tune "Caverave" by Felix Roos (CC BY-NC-SA 4.0), its drums
-- source: https://github.com/tidalcycles/strudel/blob/main/website/src/repl/tunes.mjs
out: stack [
  s "bd*2" $ mask "<x@7 ~>/8" # gain 0.8,
  s "~ <sd!7 [sd@3 ~]>" $ mask "<x@7 ~>/4" # gain 0.5,
  s "[~ hh]*2" # delay 0.3 # delayfeedback 0.5 # delaytime 0.125 # gain 0.4
  ] $ fast 2 $ slow 2
