#!/bin/sh
# tests/cli/buffer.sh -- the phonon family's `buffer: N` (issue 13) is the
# block of render and profile as it is live's: a render of a file with
# `buffer: 256` is the very same samples as the file without it rendered with
# --block 256, and differs from the default block's (the program below
# sounds different per block). So is dirt --file's. The
# command line's --block wins over the file. A value out of 16..4096 or not
# a whole number is an error naming the range.
# Env: PHONON (the binary, default ./phonon).
set -u
phonon=${PHONON:-./phonon}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
count=0
nl='
'
prog="~cut: sine 0.0625 * 0.5 + 0.5${nl}~acid: saw # moog (~cut * 2600 + 250) 0.85 # ad 0.003 0.18${nl}out \$ s \"~acid*8\" # note \"c2 c3 eb2 g2\"${nl}"

render() {      # render NAME TEXT [OPTIONS]: echo the hash of its render
  name=$1 text=$2
  shift 2
  printf '%s' "$text" > "$tmp/$name.ph"
  "$phonon" render -q --cycles 1 --format f32 "$@" "$tmp/$name.ph" "$tmp/$name.wav" 2> "$tmp/$name.err" ||
    { echo "error"; return; }
  sha256sum < "$tmp/$name.wav" | cut -c1-16
}

check() {       # check WHAT CONDITION-RESULT(0/1)
  count=$((count + 1))
  if [ "$2" != 0 ]; then
    echo "FAIL $1"
    fails=$((fails + 1))
  fi
}

plain=$(render plain "$prog")
b256=$(render b256 "$prog" --block 256)
file256=$(render file256 "buffer: 256${nl}$prog")
file100=$(render file100 "buffer: 100${nl}$prog")
b100=$(render b100 "$prog" --block 100)
over=$(render over "buffer: 256${nl}$prog" --block 512)
last=$(render last "buffer: 128${nl}${prog}buffer: 256${nl}")
[ "$plain" != error ] && [ "$plain" != "$b256" ]; check "--block 256 sounds different from the default block" $?
[ "$file256" = "$b256" ]; check "buffer: 256 renders what --block 256 does ($file256, $b256)" $?
[ "$file100" = "$b100" ] && [ "$b100" != error ]; check "buffer: 100 (not a power of two) renders what --block 100 does" $?
[ "$over" = "$plain" ]; check "--block 512 wins over the file's buffer: 256 ($over, $plain)" $?
[ "$last" = "$b256" ]; check "the last buffer: statement counts" $?

# profile reports the block it ran: the file's, or --block's
printf 'buffer: 256\n%s' "$prog" > "$tmp/p.ph"
"$phonon" profile --json --duration 0.2 "$tmp/p.ph" > "$tmp/p.json" 2> "$tmp/p.err"
grep -q '"block_frames":256,' "$tmp/p.json"; check "profile plays the file's buffer: 256" $?
"$phonon" profile --json --duration 0.2 --block 128 "$tmp/p.ph" > "$tmp/p.json" 2> "$tmp/p.err"
grep -q '"block_frames":128,' "$tmp/p.json"; check "profile: --block 128 wins over the file" $?

# dirt --file: the file's block too (it was always 512), --block wins; none
# without --file. dirt says the block it plays as it starts listening.
printf 'buffer: 128\nout: sine 440 * 0.1\n' > "$tmp/d.ph"
dirt_block() {  # dirt_block [OPTIONS]: the block dirt --render plays
  "$phonon" dirt --render "$tmp/d.wav" --duration 0.1 --port 0 "$@" 2>&1 >/dev/null |
    sed -n 's/.*listening on .* Hz, block \([0-9]*\)).*/\1/p'
}
[ "$(dirt_block --file "$tmp/d.ph")" = 128 ]; check "dirt --file plays the file's buffer: 128" $?
[ "$(dirt_block --file "$tmp/d.ph" --block 256)" = 256 ]; check "dirt: --block 256 wins over the file" $?
[ "$(dirt_block)" = 512 ]; check "dirt without --file plays the default block" $?

# values that are no block: an error at the value, naming the range
for v in 0 -256 8 8192 100.5 abc; do
  printf 'buffer: %s\nout $ 0\n' "$v" > "$tmp/e.ph"
  "$phonon" render -q "$tmp/e.ph" "$tmp/e.wav" 2> "$tmp/e.err"
  rc=$?
  [ $rc = 65 ] && grep -q "e.ph:1:9: error: expected a whole number of frames from 16 to 4096 after 'buffer:'" "$tmp/e.err"
  check "buffer: $v is an error (exit $rc: $(head -n 1 "$tmp/e.err"))" $?
done
"$phonon" render -q --block 0 "$tmp/plain.ph" "$tmp/e.wav" 2> "$tmp/e.err"
[ $? = 64 ] && grep -q -- "--block 16..4096" "$tmp/e.err"; check "--block 0 is an error, not 'none given'" $?
"$phonon" render --help | grep -q "default: the file's buffer: N, else 512"; check "render --help says where the block comes from" $?

echo "buffer: $((count - fails))/$count passed"
[ "$fails" = 0 ]
