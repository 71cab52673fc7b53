~a: s "bd*2 [sn cp]" $ every 2 (fast 2) $ jux rev $ off 0.125 (# speed 2)
~b: n "0 .. 7" # s "arpy" $ sometimesBy 0.3 (# speed "-1") $ chunk 4 (hurry 2)
~c: note "c e g b" |+ note "<0 12>" # s "superpiano" $ iter 4 $ palindrome
~d: s "bd(<3 5>,8,<0 2>)" # gain (range 0.8 1 rand) # pan perlin
~e: 0.25 <~ s "{hh hh hh}%4" # cut 1 $ degradeBy 0.2 $ seed 3
out: stack [~a, ~b, ~c, ~d, ~e] # orbit 0
