-- polymeter.ph -- a polymeter study at 100 BPM, four beats a cycle.
-- Shows: `{a b c}%n` (a pattern of k steps played n steps a cycle, so it
-- drifts against the bar), `{a b c, d e}` (layers that share the step
-- length of the first), the `polymeter` function, and `<>` and `!` inside
-- them. A steady kick marks the bar; the bass repeats every 3 steps, the
-- arpy melody every 5, the hats every 7; toms in 3 against percs in 5 meet
-- every 15 steps (polymeter, slowed to 15 steps over four bars), and the
-- claps fall in threes against the four beats.
bpm: 100 "4/4"

~kick $ s "bd:0*4" # gain 0.45
~bass $ s "{bass:0 bass:0 bass:2}%8" # note "{0 0 -5, 12}%8" # gain 0.22 # lpf 800 # legato 0.5
~arp $ n "{0 2 4 7 9}%8" # s "arpy" # gain 0.14 # pan 0.35 # delay 0.45 0.4 0.25
~hats $ s "{hh hh:1 hh oh hh hh:1 hh!2}%16" # gain "{0.2 0.12 0.16}%16" # pan 0.6
~toms $ s (slow 4 $ polymeter ["lt ~ mt", "~ perc ~ perc:1 perc:2"]) # gain 0.16 # pan (slow 5 sine)
~clap $ s "{~ cp ~, ~ ~ ~ ~ cp:1}" # gain 0.2 # reverb 0.5 0.5 0.2

out: ~kick + ~bass + ~arp + ~hats + ~toms + ~clap
