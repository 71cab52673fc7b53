#!/bin/sh
# tests/live/hostile.sh -- programs that once took `live` down (make test-live),
# on a JACK dummy server:
#   1. `out: saw # note 2000` (and tri/square/pulse with note 300): a pitch
#      far above Nyquist made the band-limited edge loop spin forever; now
#      it is bounded as the voice starts. live keeps calling back, warns
#      that pitches were limited, and --duration ends it on time.
#   2. a program that takes several times the real-time budget (800 buses
#      of saw, filter and reverb): the watchdog replaces it by silence within
#      a few seconds and says so; the next save plays ("loaded ... playing"),
#      and SIGINT ends live with status 0.
# Env: PHONON (default ./phonon), BUILD (build).
# Exit 0 passed, 1 failed, 77 skipped (no JACK tools). Run it alone.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 1
PHONON=${PHONON:-./phonon}
case $PHONON in /*) ;; *) PHONON=$root/$PHONON ;; esac
say() { echo "hostile: $*" >&2; }
. "$here/lib.sh"

# ---- inside the JACK server: one run, results in $work ----------------------
if [ "${1:-}" = inner ]; then
  work=$2
  printf 'out: saw # note 2000\no2: s "~t ~q ~p" # note 300\n~t: tri\n~q: square\n~p: pulse 1 0.3\n' > "$work/pitch.ph"
  # stop on its own after 3 s; a hung audio callback made it ignore this
  "$PHONON" live "$work/pitch.ph" --duration 3 --stats >"$work/pitch.txt" 2>"$work/pitch.log" &
  p=$!
  for _ in $(seq 150); do kill -0 $p 2>/dev/null || break; sleep 0.1; done
  if kill -0 $p 2>/dev/null; then
    echo "still running 15 s into a 3 s --duration" > "$work/pitch.hung"; kill -KILL $p
  fi
  wait $p; echo $? > "$work/pitch.rc"

  # 800 buses of saw, filter and reverb: several times the budget of a block
  awk 'BEGIN { for (i = 0; i < 800; i++) printf "~b%d: saw %d # lpf 800 0.7 # reverb 0.5 0.5 0.2\n", i, 100 + i }' \
    > "$work/flood.ph"
  cp "$work/flood.ph" "$work/live.ph"
  "$PHONON" live "$work/live.ph" --stats >"$work/flood.txt" 2>"$work/live.log" &
  live=$!
  for _ in $(seq 150); do grep -q 'playing silence' "$work/live.log" && break; sleep 0.1; done
  printf 'out: s "bd*4"\n' > "$work/live.ph.tmp" && mv "$work/live.ph.tmp" "$work/live.ph"
  for _ in $(seq 50); do [ "$(grep -c 'loaded' "$work/live.log")" -ge 2 ] && break; sleep 0.1; done
  sleep 0.5
  stop_live $live || exit 1
  exit 0
fi

# ---- outside: run under a JACK dummy server, judge ----------------------------
need_jack_tools || exit 77
[ -x "$PHONON" ] || { say "$PHONON is not built"; exit 1; }

judge() {   # judge WORK: 0 passed, 1 failed
  w=$1; bad=0
  [ -f "$w/pitch.hung" ] && { say "FAIL: note 2000: $(cat "$w/pitch.hung")"; bad=1; }
  [ "$(cat "$w/pitch.rc" 2>/dev/null)" = 0 ] || { say "FAIL: note 2000: live exited $(cat "$w/pitch.rc")"; bad=1; }
  grep -q 'out of range.*limited' "$w/pitch.log" || { say "FAIL: note 2000: no warning that pitches were limited"; bad=1; }
  blocks=$(sed -n 's/.*callbacks [0-9]*, blocks \([0-9]*\).*/\1/p' "$w/pitch.txt")
  # 3 s at 44100 Hz in blocks of 512 is 258 blocks; a hung callback renders a handful
  [ "${blocks:-0}" -ge 200 ] || { say "FAIL: note 2000: only ${blocks:-no} blocks in 3 s"; bad=1; }
  grep -q 'playing silence until the next save' "$w/live.log" ||
    { say "FAIL: overload: the watchdog did not silence the program"; bad=1; }
  grep -q 'loaded .*playing' "$w/live.log" || { say "FAIL: overload: the next save did not play"; bad=1; }
  sed 's/^/  live: /' "$w/live.log" | grep -v '^  live: $' | head -6
  return $bad
}
run_judged hostile "$here/hostile.sh" "note 2000 and an overloading program under live"
