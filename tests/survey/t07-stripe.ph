-- Tidal reference: stripe
-- source: https://github.com/tidalcycles/tidal-doc/blob/main/docs/reference/time.md
d1 $ stripe 3 $ sound "bd sd ~ [mt ht]"
