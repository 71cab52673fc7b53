#!/usr/bin/env bash
# with-jack-dummy.sh CMD [ARGS...] -- run CMD beside a JACK server on the
# "dummy" driver (no sound card needed: process cycles are paced by a timer, as
# with a real card), then stop the server. The exit status is CMD's, or 69
# when no server could be started (jackd missing, or it did not come up).
#
# Environment:
#   JACK_RATE    sample rate (default 44100)
#   JACK_PERIOD  frames per period (default 512)
#   JACK_RT=0    run jackd with --no-realtime (where SCHED_FIFO is refused)
#   JACK_LOG     file for jackd's output (default: a new /tmp/jackd.*.log)
#
# Refuses to run (exit 70) when a JACK server is already running: tests must
# not play into someone's session. Clients started by CMD must never autostart
# a second server, hence JACK_NO_START_SERVER.
set -u

rate=${JACK_RATE:-44100}
period=${JACK_PERIOD:-512}
log=${JACK_LOG:-$(mktemp /tmp/jackd.XXXXXX.log)}
export JACK_NO_START_SERVER=1
export JACK_NO_AUDIO_RESERVATION=1      # no D-Bus device reservation

say() { echo "with-jack-dummy: $*" >&2; }

for tool in jackd jack_wait; do
  command -v "$tool" >/dev/null 2>&1 || { say "$tool not found (install jackd2: make deps DEPS_FLAGS=--with-jack)"; exit 69; }
done
running() { [ "$(jack_wait -c 2>/dev/null)" = running ]; }
if running; then say "a JACK server is already running; not starting another"; exit 70; fi

rt=(); [ "${JACK_RT:-1}" = 0 ] && rt=(--no-realtime)
jackd "${rt[@]}" -d dummy -r "$rate" -p "$period" >"$log" 2>&1 &
jpid=$!

stop_jack() {
  kill -TERM "$jpid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$jpid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$jpid" 2>/dev/null
  wait "$jpid" 2>/dev/null
}
trap 'stop_jack; exit 130' INT TERM

# jack_wait -w polls only once a second; ask every 0.1 s for up to 10 s.
up=0
for _ in $(seq 100); do
  running && { up=1; break; }
  kill -0 "$jpid" 2>/dev/null || break
  sleep 0.1
done
if [ $up != 1 ]; then
  say "jackd did not come up (rate $rate, period $period); its log:"
  cat "$log" >&2
  stop_jack
  exit 69
fi

"$@"
rc=$?
stop_jack
trap - INT TERM
xruns=$(grep -c XRun "$log" 2>/dev/null)
say "jackd log $log (${xruns:-0} xrun lines)"
exit $rc
