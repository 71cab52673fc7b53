-- "Tidal profile: polymorphic engine" (a performer's set, tidal-doc blog), the d1 part
-- source: https://github.com/tidalcycles/tidal-doc/blob/main/blog/tidal_profile_polymorphic_engine.md
-- our translation of the surface only; the lambdas \x -> ... are kept as written
setbpm 160
d1
  $ while "t(4,16)" (|+ krush 1)
  $ while "[0 | 1]*16" (superimpose (plyWith 4 (|* speed 1.25) . slow 2))
  $ s "[drum drum:1 [~ drum] drum:1, drum:3*[[8 | 16]*4]]"
  # krush 2
