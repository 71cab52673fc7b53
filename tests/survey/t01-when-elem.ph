-- Tidal reference, conditions: when ((elem '4').show) (striate 4)
-- source: https://github.com/tidalcycles/tidal-doc/blob/main/docs/reference/conditions.md
d1 $ when ((elem '4').show) (striate 4) $ sound "hh hc"
