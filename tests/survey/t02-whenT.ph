-- Tidal reference, conditions: whenT
-- source: https://github.com/tidalcycles/tidal-doc/blob/main/docs/reference/conditions.md
d1 $ whenT ((< 0.5).(flip Data.Fixed.mod' 2)) (# speed 2) $ sound "hh(4,8) hc(3,8)"
