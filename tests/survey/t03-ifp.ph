-- Tidal reference, conditions: ifp
-- source: https://github.com/tidalcycles/tidal-doc/blob/main/docs/reference/conditions.md
d1 $ ifp ((== 0).(flip mod 2))
  (striate 4)
  (# coarse "24 48") $
  sound "hh hc"
