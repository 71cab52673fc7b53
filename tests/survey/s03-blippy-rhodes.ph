-- Strudel tune "Blippy Rhodes" by Felix Roos (CC BY-NC-SA 4.0)
-- source: https://github.com/tidalcycles/strudel/blob/main/website/src/repl/tunes.mjs
-- our translation; the rhodes sample set becomes s "piano"
out: stack [
  s "<bd sn> <hh hh*2 hh*3>",
  note ("<g4 c5 a4 [ab4 <eb5 f5>]>" $ scale "<C:major C:mixolydian F:lydian [F:minor <Db:major Db:mixolydian>]>" $ struct "x*8" $ scaleTranspose "0 [-5,-2] -7 [-9,-2]" $ slow 2) # clip 0.3 # s "piano" # room 0.5 # delay 0.3 # delayfeedback 0.4 # delaytime (1/12) # gain 0.5,
  note ("<c2 c3 f2 [[F2 C2] db2]>/2" + "0,.02") # gain 0.3 # clip "<1@3 [.3 1]>/2" # s "sawtooth" # cutoff 600
  ] $ fast (3/2)
