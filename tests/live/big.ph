-- big.ph -- a 100-line performance pattern for the live reload tests
-- (tests/live/reload.sh and soak.sh). A steady sine carries the test
-- signal; everything else plays quietly underneath it, the way a set does:
-- drums, bass, instruments, control buses and effects. The tests swap the
-- frequency on the ~tone line (440 Hz <-> 660 Hz) on every save.
bpm: 132

-- control buses
~lfo: sine 0.25
~lfo2: tri 0.1
~lfo3: saw 0.05
~slow: sine 0.03
~beat: sine 2.2 * 0.5 + 0.5
~sweep: ~lfo * 600 + 1200
~sweep2: ~lfo2 * 300 + 700
~sweep3: ~lfo3 * 2000 + 3000
~depth: ~slow * 0.2 + 0.3
~cut: "<800 1200 1600 2000>"
~res: "0.5 0.7"
~amp: "<0.8 0.6 0.9 0.7>"
~wide: "<0.3 0.7>"
~steps: "0.2 0.4 0.6 0.8"
~gate: "1 0 1 1 0 1 0 1"

-- drums
~kick: s "bd ~ ~ ~ bd ~ ~ ~" # gain 0.9
~snare: s "~ sn" # gain 0.7
~hats: s "hh(3,8)" # gain 0.4 # pan 0.4
~open: s "~ ~ ~ oh" # gain 0.3 # cut 1
~rim: s "<rim ~ rim ~>" # gain 0.35 # pan 0.3
~crash: s "<cr ~ ~ ~ ~ ~ ~ ~>" # gain 0.3
~fill: s "<~ ~ ~ [sn sn]>" # gain 0.4
~ghost: s "~ ~ ~ sn:1" # gain 0.2
~perc: s "~ perc ~ ~" # gain 0.3 # speed "<1 1.5>"
~drums: ~kick + ~snare + ~fill + ~ghost
~metal: ~hats + ~open + ~rim + ~crash + ~perc
~kit: (~drums + ~metal) # lpf 9000 0.7

-- bass and pitched samples
~bs: s "<bass:1 ~ bass:1 ~>" # note "<0 -2 -5 -7>" # gain 0.5
~arp: s "~ arpy ~ ~" # note "<0 3 7 10>" # gain 0.3
~low: ~bs # lpf 700 0.8
~arps: ~arp # delay 0.375 0.4 0.3

-- instruments (buses played as voices)
~pluck: saw # lpf 1400 0.6
~pad: tri # lpf 900 0.5
~pl: s "~pluck(3,8)" # note "<c3 eb3 g3 bb3>" # gain 0.25
~pd: s "<~pad ~>" # note "<c4'min7 f4'maj7>" # gain 0.12 # attack 0.2 # release 0.6
~keys: ~pl + ~pd
~wet: ~keys # reverb 0.7 0.4 0.3

-- synths
~sk: s "<superkick ~>" # gain 0.4
~sc: s "~ superchip" # note "<c5 e5>" # gain 0.08
~sy: ~sk + ~sc

-- drones and textures
~drone: saw 55 # lpf ~sweep 0.5
~drone2: saw 82.5 # lpf (~lfo * 200 + 600) 0.5
~drone3: tri 110 # lpf ~sweep2 0.5
~drone4: saw 27.5 # lpf ~cut ~res
~sub: sine 55 * 0.2
~deep: (~drone4 * 0.2 + ~sub) # lpf 300 0.7
~hum: (~drone + ~drone2 + ~drone3 + ~deep) * 0.1
~air: noise # hpf 6000 0.7
~breath: ~air * 0.02 * ~beat
~wobble: square 110 # lpf ~sweep3 0.6
~wob: ~wobble * 0.05 * ~gate
~bell: sine 880 * ~steps * 0.02
~shimmer: sine 1320 * ~depth * 0.01
~fifth: sine 165 * 0.03
~octave: sine 220 * 0.02 * ~amp
~high: (~bell + ~shimmer) # pan ~wide
~lowtones: ~fifth + ~octave
~chorused: (~hum + ~wob) # chorus 0.5 0.3 0.3
~crushed: ~metal # bitcrush 8 2
~squash: ~kit # compress -18 3 0.01 0.1 2
~driven: ~low # distort 2 0.3

-- buses summed
~bus1: ~squash * 0.5
~bus2: ~driven * 0.4
~bus3: ~arps * 0.5 # pan 0.3
~bus4: ~wet * 0.6 # pan 0.7
~bus5: ~sy * 0.3
~bus6: ~chorused * 0.4
~bus7: ~breath + ~high
~bus8: ~crushed * 0.1 + ~lowtones
~groupA: ~bus1 + ~bus2 + ~bus3
~groupB: ~bus4 + ~bus5 + ~bus6
~groupC: ~bus7 + ~bus8
~all: ~groupA + ~groupB + ~groupC
~room: ~all # reverb 0.5 0.5 0.15
~master: ~room # lpf 12000 0.7
~quiet: ~master * 0.04

-- the test tone and the output
~tone: sine 440 * 0.3
out: ~tone + ~quiet
