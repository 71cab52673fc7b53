-- Strudel tune "Echo piano" by Felix Roos (CC BY-NC-SA 4.0)
-- source: https://github.com/tidalcycles/strudel/blob/main/website/src/repl/tunes.mjs
out: n ("<0 2 [4 6](3,4,2) 3*2>" $ off 0.25 (+ 2) $ off 0.5 (+ 6) $ scale "D:minor" $ echo 4 0.125 0.5) # clip 0.5 # s "piano"
