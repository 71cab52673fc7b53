-- Tidal reference: spread ($)
-- source: https://github.com/tidalcycles/tidal-doc/blob/main/docs/reference/accumulation.md
d1 $ spread ($) [density 2, rev, slow 2, striate 3, (# speed "0.8")] $ sound "[bd*2 [~ bd]] [sn future]*2 cp jvbass*4"
