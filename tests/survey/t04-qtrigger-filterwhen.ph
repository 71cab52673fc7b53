-- Tidal reference, performance: qtrigger with filterWhen
-- source: https://github.com/tidalcycles/tidal-doc/blob/main/docs/reference/performance.md
d1 $ qtrigger $ filterWhen (>= 0) $ s "bd hh hh hh"
