-- Strudel tune "sampleDrums"
-- source: https://github.com/tidalcycles/strudel/blob/main/website/src/repl/tunes.mjs
out: s (stack ["<bd!3 bd(3,4,3)>", "hh*4", "~ <sn!3 sn(3,4,2)>"])
