-- Strudel tune "Good times" by Felix Roos (CC BY-NC-SA 4.0)
-- source: https://github.com/tidalcycles/strudel/blob/main/website/src/repl/tunes.mjs
out: stack [
  n ("<0 1 2 3>(3,8,2)" $ off 0.25 (+ "2,4")) # s "piano",
  n "<0 4>(5,8,-1)" # s "piano"
  ] $ slow 2
