#!/bin/sh
# tests/cli/query.sh -- `phonon query` exit codes, streams and messages.
#
# 0 with the events on stdout; 64 (usage) for missing or extra operands, a bad
# FROM/TO or an unknown option; 65 for an expression that does not parse or
# evaluate (a positioned message with the source line and a caret on stderr)
# and for a span with too many events; 0 and no events when a value goes
# wrong only through a pattern argument (SEMANTICS.md section 9), with a
# warning on stderr saying why.
# Env: PHONON (the binary, default ./phonon).
set -u
phonon=${PHONON:-./phonon}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
count=0

# expect CODE STDOUT STDERR_FRAGMENT -- ARGS...: run `phonon query ARGS`; the
# exit code must be CODE, stdout exactly STDOUT ("*" = anything), and stderr
# contain STDERR_FRAGMENT ("" = stderr must be empty).
expect() {
  code=$1 out=$2 err=$3
  shift 4
  count=$((count + 1))
  "$phonon" query "$@" > "$tmp/out" 2> "$tmp/err"
  rc=$?
  why=
  if [ "$rc" -ne "$code" ]; then
    why="exit $rc, want $code"
  elif [ "$out" != "*" ] && [ "$(cat "$tmp/out")" != "$out" ]; then
    why="stdout '$(cat "$tmp/out")', want '$out'"
  elif [ -z "$err" ] && [ -s "$tmp/err" ]; then
    why="unexpected stderr '$(head -n 1 "$tmp/err")'"
  elif [ -n "$err" ] && ! grep -qF -- "$err" "$tmp/err"; then
    why="stderr '$(cat "$tmp/err")' lacks '$err'"
  fi
  if [ -n "$why" ]; then
    echo "FAIL phonon query $*: $why"
    fails=$((fails + 1))
  fi
}

nl='
'
# success
expect 0 "0 1/2 0 1/2 a${nl}1/2 1 1/2 1 b" "" -- '"a b"' 0 1
expect 0 "-1/2 0 -1/2 0 b" "" -- '"a b"' -1/2 0
expect 0 "0 1/4 0 1/4 a" "" -- '"a b" $ fast 2' 0 0.25
expect 0 "0 1 0 1 a" "" -- -- '"a"' 0 1
expect 0 "*" "" -- --help
grep -q "usage: phonon query" "$tmp/out" || { echo "FAIL phonon query --help: no usage on stdout"; fails=$((fails + 1)); }
# usage errors: 64, stdout empty
expect 64 "" "expected 'EXPR' FROM TO" --
expect 64 "" "expected 'EXPR' FROM TO" -- '"a"'
expect 64 "" "expected 'EXPR' FROM TO" -- '"a"' 0
expect 64 "" "expected 'EXPR' FROM TO" -- '"a"' 0 1 2
expect 64 "" "x is not a time" -- '"a"' x 1
expect 64 "" "1/0 is not a time" -- '"a"' 1/0 1
expect 64 "" "is not a time" -- '"a"' 0 1e400
expect 64 "" "unknown option" -- --bogus '"a"' 0 1
# bad expressions: 65 with file:line:col, the source line and a caret
expect 65 "" "<expr>:1:1: error: unterminated string" -- '"a b' 0 1
expect 65 "" "<expr>:1:6: error: expected ']' to close '[' opened at 1:2" -- '"[a b"' 0 1
expect 65 "" "<expr>:1:9: error: unknown function 'fsat'; did you mean 'fast'?" -- '"a b" $ fsat 2' 0 1
expect 65 "" "<expr>:1:2: error: euclid: more pulses than steps" -- '"a(9,8)"' 0 1
expect 65 "" "<expr>:1:2: error:" -- '""' 0 1
expect 65 "" "  ^" -- '"a(9,8)"' 0 1
expect 65 "" "every" -- '"a" $ every 0 rev' 0 1
expect 65 "" "number out of range" -- '"a" $ fast 1e400' 0 1
expect 65 "" "UTF-8" -- "$(printf '"a \377 b"')" 0 1
# resource errors: 65
expect 65 "" "more than 100000 events" -- '"a*100000000"' 0 1
expect 65 "" "overflow" -- '"a b"' 9223372036854775806 9223372036854775807
# value errors through pattern arguments: 0, no events (SEMANTICS.md 9), why on stderr
expect 0 "" "plays silent: euclid" -- '"x(<3 9>,8)"' 0 2
expect 0 "" "plays silent: every" -- '"a" $ every "<1 0>" rev' 1 2
expect 0 "" "plays silent: jux needs control maps" -- '"a b" $ jux rev' 0 1
expect 0 "" "plays silent: cannot use \"x\" as a number" -- '"1" + "x"' 0 1
# zero factors are silence, not errors
expect 0 "" "" -- '"a b" $ fast 0' 0 1
expect 0 "" "" -- '"a*0 a(0,8)"' 0 1

if [ "$fails" -ne 0 ]; then
  echo "cli query: $fails of $count checks failed"
  exit 1
fi
echo "cli query: $count checks passed"
