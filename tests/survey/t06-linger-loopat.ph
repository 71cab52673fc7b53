-- Tidal reference: linger with loopAt and chop
-- source: https://github.com/tidalcycles/tidal-doc/blob/main/docs/reference/time.md
d1 $ every 2 (linger 0.25) $ loopAt 2 $ chop 8 $ sound "breaks125"
