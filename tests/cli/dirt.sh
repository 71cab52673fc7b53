#!/bin/sh
# tests/cli/dirt.sh -- `phonon dirt`: SuperDirt's OSC from a Tidal-like client.
#
# The client (tests/cli/dirt_client.py, loopback only) checks the handshake,
# the onsets of a bar of /dirt/play bundles to the frame in --render mode
# (each bundle sent 100 ms before its time), the refusals (malformed packet,
# unknown and unsafe sound names, unknown controls) and that the port is
# bound to 127.0.0.1. Here: the usage errors and a port already taken.
# Env: PHONON (the binary, default ./phonon).
set -u
phonon=${PHONON:-./phonon}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0

# expect CODE FRAGMENT -- ARGS...: `phonon dirt ARGS` exits CODE, stderr has FRAGMENT.
expect() {
  code=$1 frag=$2
  shift 3
  "$phonon" dirt "$@" > "$tmp/out" 2> "$tmp/err"
  rc=$?
  if [ "$rc" -ne "$code" ] || ! grep -qF -- "$frag" "$tmp/err"; then
    echo "FAIL phonon dirt $*: exit $rc (want $code), stderr '$(cat "$tmp/err")' (want '$frag')"
    fails=$((fails + 1))
  fi
}

expect 64 "no operands expected" -- x.ph
expect 64 "--port 0..65535" -- --port 70000 --render "$tmp/x.wav" --duration 1
expect 64 "--render needs --duration" -- --render "$tmp/x.wav"
expect 64 "--listen nowhere.invalid" -- --listen nowhere.invalid --render "$tmp/x.wav" --duration 1

if ! command -v python3 >/dev/null 2>&1; then
  echo "SKIP: python3 is missing (the OSC client is a Python script)"
  exit 77
fi
# a port already taken: 69 with the reason
python3 -c 'import socket,sys,time
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(("127.0.0.1",0))
print(s.getsockname()[1], flush=True); time.sleep(5)' > "$tmp/port" &
holder=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
expect 69 "cannot listen on 127.0.0.1 port" -- --port "$(cat "$tmp/port")" --render "$tmp/x.wav" --duration 1
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null

python3 "$(dirname "$0")/dirt_client.py" "$phonon" "$tmp/samples" "$tmp"
rc=$?
[ $rc -eq 77 ] && [ $fails -eq 0 ] && exit 77
[ $rc -eq 0 ] || fails=$((fails + 1))
[ $fails -eq 0 ] && echo "dirt: ok" && exit 0
echo "dirt: $fails failed"
exit 1
