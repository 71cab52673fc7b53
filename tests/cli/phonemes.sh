#!/bin/sh
# tests/cli/phonemes.sh -- the user's fourteen single-letter files (issue 13's
# acceptance): tests/phonemes/*.ph are the phonon family's phonemes/ folder as
# its author wrote them (ekg/phonon). Each must check and render 4 cycles
# with sound (peak above -40 dBFS). The Dirt-Samples names they use that the
# kit lacks are played by kit folders of the same kind (808bd by bd, ...),
# through a sample root of links made here; nothing else is changed.
# Env: PHONON (the binary, default ./phonon).
set -u
phonon=${PHONON:-./phonon}
here=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
count=0
mkdir "$tmp/kit"
for stand in 808bd:bd 808ht:ht alphabet:arpy bassdm:bass birds:perc casio:arpy em2:perc gtr:arpy; do
  ln -s "$here/samples/${stand#*:}" "$tmp/kit/${stand%%:*}"
done
for f in "$here"/tests/phonemes/*.ph; do
  name=$(basename "$f")
  count=$((count + 1))
  if ! "$phonon" check -s "$tmp/kit" "$f" > "$tmp/out" 2>&1; then
    echo "FAIL phonemes $name: check: $(grep -m1 error "$tmp/out")"
    fails=$((fails + 1))
    continue
  fi
  count=$((count + 1))
  if ! "$phonon" render -s "$tmp/kit" --cycles 4 "$f" "$tmp/o.wav" > "$tmp/out" 2>&1; then
    echo "FAIL phonemes $name: render: $(grep -m1 error "$tmp/out")"
    fails=$((fails + 1))
    continue
  fi
  peak=$(sed -n 's/.*peak \(-\{0,1\}[0-9.inf]*\) dBFS.*/\1/p' "$tmp/out" | head -n 1)
  case "$peak" in
    ''|-inf) ok=0 ;;
    *) ok=$(awk -v p="$peak" 'BEGIN { print (p > -40) ? 1 : 0 }') ;;
  esac
  if [ "$ok" != 1 ]; then
    echo "FAIL phonemes $name: peak '$peak' dBFS, want above -40"
    fails=$((fails + 1))
  fi
done
if [ "$fails" -ne 0 ]; then
  echo "cli phonemes: $fails of $count checks failed"
  exit 1
fi
echo "cli phonemes: $count checks passed (14 files)"
