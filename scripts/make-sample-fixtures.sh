#!/bin/sh
# make-sample-fixtures.sh -- small sample libraries in each layout phonon
# reads (src/sample.c, "Layouts"), for tests/cli/sample_layouts.sh.
#
#   sh scripts/make-sample-fixtures.sh OUTDIR
#
# The sounds are files of the project's kit (samples/, `make samples`),
# copied under the names each layout uses:
#   OUTDIR/flat/          Sonic Pi: bd_boom.wav bd_haus.wav sn_dub.wav loop_amen.wav ambi.wav
#   OUTDIR/kit/           a Hydrogen kit as a root ("Test Kit One"): Kick (two
#                         velocity layers, listed loud first), Snare, Closed
#                         HiHat, Open HiHat, Tom Low, Tambourine
#   OUTDIR/kits/My Kit 2/ a folder of kits: "My Kit #2", an old kit (a
#                         <filename> per instrument, no <layer>)
set -eu
out=$1
top=$(cd "$(dirname "$0")/.." && pwd)
kit=$top/samples
[ -f "$kit/bd/bd_0.wav" ] || { echo "make-sample-fixtures: no kit in $kit (run make samples)" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out/flat" "$out/kit" "$out/kits/My Kit 2"

cp "$kit/bd/bd_0.wav" "$out/flat/bd_boom.wav"
cp "$kit/bd/bd_1.wav" "$out/flat/bd_haus.wav"
cp "$kit/sn/sn_0.wav" "$out/flat/sn_dub.wav"
cp "$kit/hh/hh_0.wav" "$out/flat/loop_amen.wav"
cp "$kit/cp/cp_0.wav" "$out/flat/ambi.wav"

cp "$kit/bd/bd_0.wav" "$out/kit/kick_soft.wav"
cp "$kit/bd/bd_1.wav" "$out/kit/kick_hard.wav"
cp "$kit/sn/sn_0.wav" "$out/kit/snare.wav"
cp "$kit/hh/hh_0.wav" "$out/kit/hat_closed.wav"
cp "$kit/oh/oh_0.wav" "$out/kit/hat_open.wav"
cp "$kit/lt/lt_0.wav" "$out/kit/tom_low.wav"
cp "$kit/perc/perc_0.wav" "$out/kit/tamb.wav"
layer() { printf '   <layer><min>%s</min><max>%s</max><gain>1</gain><filename>%s</filename></layer>\n' "$1" "$2" "$3"; }
inst() { printf '  <instrument>\n   <id>%s</id>\n   <name>%s</name>\n' "$1" "$2"; }
{
  echo '<?xml version="1.0" encoding="UTF-8"?>'
  echo '<drumkit_info>'
  echo ' <name>Test Kit One</name>'
  echo ' <author>phonon tests</author>'
  echo ' <instrumentList>'
  inst 0 Kick; echo '   <instrumentComponent>'
  layer 0.5 1 kick_hard.wav; layer 0 0.5 kick_soft.wav
  echo '   </instrumentComponent>'; echo '  </instrument>'
  inst 1 Snare; layer 0 1 snare.wav; echo '  </instrument>'
  inst 2 'Closed HiHat'; layer 0 1 hat_closed.wav; echo '  </instrument>'
  inst 3 'Open HiHat'; layer 0 1 hat_open.wav; echo '  </instrument>'
  inst 4 'Tom Low'; layer 0 1 tom_low.wav; echo '  </instrument>'
  inst 5 'Tambourine'; layer 0 1 tamb.wav; echo '  </instrument>'
  echo ' </instrumentList>'
  echo '</drumkit_info>'
} > "$out/kit/drumkit.xml"

cp "$kit/bd/bd_2.wav" "$out/kits/My Kit 2/k.wav"
cp "$kit/cp/cp_0.wav" "$out/kits/My Kit 2/c.wav"
cat > "$out/kits/My Kit 2/drumkit.xml" << 'XML'
<?xml version="1.0" encoding="UTF-8"?>
<drumkit_info>
 <name>My Kit #2</name>
 <instrumentList>
  <instrument><id>0</id><name>Kick</name><filename>k.wav</filename></instrument>
  <instrument><id>1</id><name>Hand Clap</name><filename>c.wav</filename></instrument>
 </instrumentList>
</drumkit_info>
XML
