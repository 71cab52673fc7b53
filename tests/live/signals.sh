#!/bin/sh
# tests/live/signals.sh -- how `live` ends (make test-live), on a JACK dummy
# server (issue 9):
#   1. SIGHUP (the terminal closed) stops it like SIGTERM: the fade, --stats
#      printed, status 0 (it died at once, no fade, no stats).
#   2. Under a soft open-file limit of 16 (hard limit higher) it raises the
#      limit and plays (it crashed in the JACK library, or played silence).
# (SIGPIPE: tests/cli/live_signals.sh, on ALSA's null device.)
# Env: PHONON (default ./phonon), BUILD (build).
# Exit 0 passed, 1 failed, 77 skipped (no JACK tools). Run it alone.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 1
PHONON=${PHONON:-./phonon}
case $PHONON in /*) ;; *) PHONON=$root/$PHONON ;; esac
say() { echo "signals: $*" >&2; }
. "$here/lib.sh"

# wait_gone PID SECONDS: until PID has exited (0) or SECONDS passed (1, killed)
wait_gone() {
  for _ in $(seq $(($2 * 10))); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null
  return 1
}

# ---- inside the JACK server: one run, results in $work ----------------------
if [ "${1:-}" = inner ]; then
  work=$2
  printf 'out: sine 440 * 0.1\n' > "$work/hup.ph"
  "$PHONON" live "$work/hup.ph" --stats >"$work/hup.txt" 2>"$work/hup.log" &
  p=$!
  wait_ports || { say "phonon live did not show up in JACK"; cat "$work/hup.log" >&2; kill -KILL $p; exit 1; }
  sleep 0.5
  kill -HUP $p
  wait_gone $p 5 || echo "still running 5 s after SIGHUP" > "$work/hup.hung"
  wait $p; echo $? > "$work/hup.rc"

  printf 'out: sine 440 * 0.1\n' > "$work/out.ph"
  hard=$(ulimit -H -n)
  if [ "$hard" = unlimited ] || [ "$hard" -ge 100 ]; then
    ( ulimit -S -n 16 && exec "$PHONON" live "$work/out.ph" --stats --duration 1 ) >"$work/fd.txt" 2>"$work/fd.log"
    echo $? > "$work/fd.rc"
  else
    echo "hard limit $hard" > "$work/fd.skip"
  fi
  exit 0
fi

# ---- outside: run under a JACK dummy server, judge ----------------------------
need_jack_tools || exit 77
[ -x "$PHONON" ] || { say "$PHONON is not built"; exit 1; }

judge() {   # judge WORK: 0 passed, 1 failed
  w=$1; bad=0
  [ -f "$w/hup.hung" ] && { say "FAIL: SIGHUP: $(cat "$w/hup.hung")"; bad=1; }
  [ "$(cat "$w/hup.rc" 2>/dev/null)" = 0 ] || { say "FAIL: SIGHUP: live exited $(cat "$w/hup.rc")"; bad=1; }
  grep -q '^xruns:' "$w/hup.txt" || { say "FAIL: SIGHUP: no --stats printed"; bad=1; }
  if [ -f "$w/fd.skip" ]; then
    say "note: the soft open-file limit check is skipped ($(cat "$w/fd.skip"))"
  else
    [ "$(cat "$w/fd.rc")" = 0 ] || { say "FAIL: soft ulimit -n 16: live exited $(cat "$w/fd.rc"): $(head -n 2 "$w/fd.log")"; bad=1; }
    grep -q '^reloads: 1 loaded' "$w/fd.txt" || { say "FAIL: soft ulimit -n 16: --stats: $(head -n 1 "$w/fd.txt")"; bad=1; }
  fi
  return $bad
}
run_judged signals "$here/signals.sh" "SIGHUP and a low soft open-file limit under live"
