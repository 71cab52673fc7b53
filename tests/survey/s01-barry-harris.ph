-- Strudel tune "barryHarris" (adapted from a Barry Harris exercise)
-- source: https://github.com/tidalcycles/strudel/blob/main/website/src/repl/tunes.mjs
-- our translation of the method chain to $; .piano() is a Strudel sound: s "piano"
-- .scale('C bebop major') is a plain JS string there (not mini-notation): in a phonon string its words join with ':'
out: note ("0,2,[7 6]" $ (+ "<0 1 2 3 4 5 7 8>") $ scale "C:bebop:major" $ transpose "<0 1 2 1>/8" $ slow 2) # s "piano"
