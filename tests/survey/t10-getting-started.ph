-- Tidal documentation, first steps: a small set
-- source: https://github.com/tidalcycles/tidal-doc/blob/main/docs/getting-started/tutorial.md
setcps (130/60/4)
d1 $ sound "bd*2 [~ bd] [~ bd] bd" # speed (range 1 2 sine)
d2 $ jux (iter 4) $ sound "arpy arpy:1 arpy:2 arpy:3"
d3 $ every 3 (0.25 <~) $ sound "[~ sn]*2" # room 0.3 # size 0.8
d4 $ n "0 .. 7" # sound "arpy" # cut 1 # legato 1
