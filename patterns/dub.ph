-- dub.ph -- a one-drop dub riddim at 146 BPM, four beats a cycle (it feels
-- half that: the drop lands on beat 3).
-- Shows: a dub delay SEND: the skank and the rim are mixed into a bus
-- (~send) that is only echo (delay mix 1, feedback 0.6, a dotted eighth),
-- band-limited before and after like a tape echo, and added back beside
-- the dry sounds; a skank chord instrument on the offbeats, a sub bass
-- instrument with a line in `<>`, `sometimesBy` throwing a rim into the
-- echo, `off` for a ghost hat, and a spring-ish reverb on the snare.
bpm: 146 "4/4"

~kick $ s "~ ~ bd:1 ~" # gain 0.4
~rim $ s "~ ~ rim ~" # gain 0.2 $ sometimesBy 0.3 (off 0.375 (|* gain 0.7))
~snare $ s "~ ~ ~ <~ sn:2>" # gain 0.25 # reverb 0.6 0.3 0.35
~hat $ off 0.0625 (|* gain 0.5) $ s "hh*4" # gain 0.14 # pan 0.6

~skank: square # lpf 2800 0.8 # hpf 400 0.7 # ar 0.002 0.11
~chop $ s "[~ ~skank]*4" # note "<g3'min g3'min c4'min d4'min>" # gain 0.04

~sub: sine # lpf 300 0.7 # adsr 0.005 0.2 0.8 0.15
~bass $ s "~sub ~ ~sub ~sub ~ ~sub ~ ~" # note "<[g1 ~ g1 bb1 ~ d2] [g1 ~ g1 f1 ~ d1] [c2 ~ c2 eb2 ~ g1] [d2 ~ d2 c2 ~ a1]>"
  # gain 0.22 # legato 1

~send: (~chop + ~rim * 0.5) # hpf 500 0.7 # delay 0.308 0.6 1 # lpf 2500 0.7

out: ~kick + ~rim + ~snare + ~hat + ~chop + ~bass + ~send * 0.8
