#!/bin/sh
# tests/cli/help.sh -- `phonon help COMMAND` prints that command's help (the
# same text as COMMAND --help, exit 0); misspelt commands and options get a
# "did you mean" with exit 64; an unknown word with nothing near gets the
# plain message.
# Env: PHONON (the binary, default ./phonon).
set -u
phonon=${PHONON:-./phonon}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
count=0

# expect CODE STDERR_FRAGMENT ARGS...: exit CODE, stderr contains the fragment
expect() {
  code=$1 err=$2
  shift 2
  count=$((count + 1))
  "$phonon" "$@" > "$tmp/out" 2> "$tmp/err"
  rc=$?
  if [ "$rc" -ne "$code" ]; then
    echo "FAIL phonon $*: exit $rc, want $code"
    fails=$((fails + 1))
  elif [ -n "$err" ] && ! grep -qF -- "$err" "$tmp/err"; then
    echo "FAIL phonon $*: stderr '$(cat "$tmp/err")' lacks '$err'"
    fails=$((fails + 1))
  fi
}

for c in live render profile query check samples new; do
  count=$((count + 1))
  "$phonon" help "$c" > "$tmp/a" 2>&1
  "$phonon" "$c" --help > "$tmp/b" 2>&1
  if ! grep -q "^usage: phonon $c " "$tmp/a" || ! cmp -s "$tmp/a" "$tmp/b"; then
    echo "FAIL phonon help $c: not the text of '$c --help': $(head -n 1 "$tmp/a")"
    fails=$((fails + 1))
  fi
done
expect 0 "" help
grep -q "^  render " "$tmp/out" || { echo "FAIL phonon help: no command list"; fails=$((fails + 1)); }
expect 0 "" help help
expect 64 "unknown command 'rendr'; did you mean 'render'?" rendr x y
expect 64 "unknown command 'chek'; did you mean 'check'?" help chek
expect 64 "unknown command 'xyzzy' (try 'phonon --help')" xyzzy
expect 64 "unknown option '--cylces'; did you mean '--cycles'?" render --cylces 2 a.ph b.wav
expect 64 "unknown option '--jsno'; did you mean '--json'?" check --jsno a.ph
expect 64 "unknown option '--sampels=x'; did you mean '--samples'?" samples --sampels=x
expect 64 "unknown option '--hlep'; did you mean '--help'?" query --hlep
expect 64 "unknown option '--zzzzzz' (try 'phonon new --help')" new --zzzzzz f.ph

if [ "$fails" -ne 0 ]; then
  echo "cli help: $fails of $count checks failed"
  exit 1
fi
echo "cli help: $count checks passed"
