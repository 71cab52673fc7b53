~drums $ s "[bd*4, hh*8, ~ sn ~ sn" # gain 0.9
# the bass
out: lpf(800, 0.3)
