#!/bin/sh
# scripts/demo.sh PHONON -- `make demo`: render patterns/demo.ph to demo.wav,
# then, when an audio device answers, play it live for a few cycles.
set -u
phonon=${1:-./phonon}
cd "$(dirname "$0")/.." || exit 1
echo "demo: rendering patterns/demo.ph to demo.wav"
"$phonon" render patterns/demo.ph demo.wav --cycles 16 || exit $?
if "$phonon" live --help >/dev/null 2>&1 && "$phonon" live --list-devices >/dev/null 2>&1; then
  echo "demo: playing patterns/demo.ph (Ctrl-C stops; edit the file while it plays)"
  "$phonon" live patterns/demo.ph --cycles 16
else
  echo "demo: no audio device here; listen to demo.wav"
fi
