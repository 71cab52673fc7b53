-- Strudel tune "Wavy kalimba" by Felix Roos (CC BY-NC-SA 4.0)
-- source: https://github.com/tidalcycles/strudel/blob/main/website/src/repl/tunes.mjs
-- our translation; the kalimba sample becomes s "piano"; .velocity left out (a Strudel control)
out: note (stack [
  "[0 2 4 6 9 2 0 -2]*3" $ (+ "<0 2>/4") $ scale "<C:major C:mixolydian F:lydian [F:minor Db:major]>" $ struct "x*8" $ slow 2,
  "<c2 c2 f2 [[F2 C2] db2]>" $ scale "<C:major C:mixolydian F:lydian [F:minor Db:major]>" $ scaleTranspose "[0 <2 4>]*2" $ struct "x*4" $ slow 2
  ]) # clip "<.4 .8 1 1.2 1.4 1.6 1.8 2>/8" # s "piano" # delay 0.2
