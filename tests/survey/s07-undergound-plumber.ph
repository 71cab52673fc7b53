-- Strudel tune "Underground plumber" by Felix Roos (CC BY-NC-SA 4.0)
-- source: https://github.com/tidalcycles/strudel/blob/main/website/src/repl/tunes.mjs
-- our translation (echoWith's (x, n) function has no counterpart: one transpose of 12 per echo)
@h: transpose "<0@2 5 0 7 5 0 -5>/2"
out: stack [
  s "<<bd*2 bd> sn> hh" $ fast 2 # gain 0.7,
  note ("[c2 a1 bb1 ~] ~" $ echo 2 (1/16) 1 $ slow 2 $ layer [@h]) # s "square" # clip 0.4 # cutoff 400 # decay 0.12 # sustain 0,
  note ("[g2,[c3 eb3]]" $ iter 4 $ echoWith 4 (1/8) (transpose 12) $ layer [@h]) # clip 0.1
  ] $ fast (2/3)
