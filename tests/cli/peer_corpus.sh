#!/bin/sh
# tests/cli/peer_corpus.sh -- issue 13's acceptance count: the phonon family's
# own test programs (../shared/corpora/phonon-programs/*.ph, 300 of them, read
# in place) are checked with `phonon check`, and the number accepted must not
# fall below the bar reached (BAR). The files that fail are listed (the first
# line of each error) so a drop names what broke. When the corpus is not
# there (a checkout without ../shared) the test is skipped.
# Env: PHONON (the binary, default ./phonon), PEER_CORPUS (the folder).
set -u
phonon=${PHONON:-./phonon}
dir=${PEER_CORPUS:-../shared/corpora/phonon-programs}
BAR=292
if ! ls "$dir"/*.ph > /dev/null 2>&1; then
  echo "peer_corpus: skipped (no corpus at $dir)"
  exit 0
fi
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT INT TERM
ok=0 total=0 failed=""
for f in "$dir"/*.ph; do
  total=$((total + 1))
  if "$phonon" check "$f" > /dev/null 2> "$tmp"; then
    ok=$((ok + 1))
  else
    failed="$failed
  $(basename "$f"): $(head -n 1 "$tmp" | sed 's/^[^ ]*: //')"
  fi
done
echo "peer_corpus: $ok of $total accepted (bar $BAR)"
if [ "$ok" -lt "$BAR" ]; then
  echo "FAIL peer_corpus: $ok accepted, below the bar of $BAR; failing:$failed"
  exit 1
fi
exit 0
