-- Tidal reference: plyWith, euclid with patterned arguments, arp, chords
-- source: https://github.com/tidalcycles/tidal-doc/blob/main/docs/reference/
d1 $ plyWith "2 3" (# speed "1.2") $ s "bd ~ sn cp"
d2 $ euclid "<3 5>" "[8 16]/4" $ s "bd"
d3 $ arp "pinkyup" $ n "c'maj'4 e'min" # s "superpiano"
