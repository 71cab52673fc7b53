#!/bin/sh
# tests/live/link.sh -- Ableton Link for real (make test-live, issue 14): two
# `phonon live --link` processes on one JACK dummy server play together for
# LINK_SECONDS (60). A third of the way in A's file is saved with tempo 0.6,
# two thirds in B's with tempo 0.45. Each writes --link-log: per block, the
# moment it is heard (Link's host clock, the same in both processes) and the
# cycle span it plays. Passes when
#   - once both are in the session and agree, B's cycle at every block start
#     of A (B's block holding that moment, its span spread evenly over its
#     frames, as the engine plays it), modulo whole cycles (each process
#     counts its own), is within one block of A's, to the end: through both
#     tempo changes;
#   - they agreed within the first third (before the first change);
#   - both played 144 bpm (0.6 cps at 4 beats a cycle) after A's save and
#     108 bpm (0.45) at the end: each one's save reached the other;
#   - both ended with status 0 on SIGINT.
# It prints the phase difference's P50, P99 and largest value, in ms.
# Retries and counted skips as the other live tests (lib.sh, run_judged).
#
# Env: PHONON (default ./phonon), LINK_SECONDS (default 60), BUILD (build).
# Exit 0 passed, 1 failed, 77 skipped (no JACK tools, or a build without
# Link). Run it alone.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 1
PHONON=${PHONON:-./phonon}
case $PHONON in /*) ;; *) PHONON=$root/$PHONON ;; esac
seconds=${LINK_SECONDS:-60}
say() { echo "link: $*" >&2; }
. "$here/lib.sh"

# prog TEMPO HZ: a pattern file's text
prog() { printf 'tempo: %s\n~x: sine %s # ar 0.001 0.03\nout: s "~x*4" # gain 0.2\n' "$1" "$2"; }

# ---- inside the JACK server: one run, results in $work ----------------------
if [ "${1:-}" = inner ]; then
  work=$2
  prog 0.5 440 > "$work/a.ph"
  prog 0.5 660 > "$work/b.ph"
  "$PHONON" live "$work/a.ph" --link --link-log "$work/a.log" --stats >"$work/stats.txt" 2>"$work/live.log" &
  a=$!
  wait_ports || { say "phonon live (A) did not show up in JACK"; cat "$work/live.log" >&2; kill -KILL $a; exit 1; }
  "$PHONON" live "$work/b.ph" --link --link-log "$work/b.log" --stats >"$work/stats_b.txt" 2>"$work/live_b.log" &
  b=$!
  up=0
  for _ in $(seq 100); do
    [ "$(jack_lsp 2>/dev/null | grep -c 'out_1$')" -ge 2 ] && { up=1; break; }
    sleep 0.1
  done
  [ $up = 1 ] || { say "phonon live (B) did not show up in JACK"; cat "$work/live_b.log" >&2; kill -KILL $a $b; exit 1; }
  third=$((seconds / 3))
  sleep "$third"
  prog 0.6 440 > "$work/a.ph"
  date +%s > "$work/save_a"
  sleep "$third"
  prog 0.45 660 > "$work/b.ph"
  sleep $((seconds - 2 * third))
  stop_live $a || exit 1
  stop_live $b || exit 1
  exit 0
fi

# ---- outside: run under a JACK dummy server, judge ----------------------------
need_jack_tools || exit 77
[ -x "$PHONON" ] || { say "$PHONON is not built"; exit 1; }
if "$PHONON" live --link --quiet /nonexistent/x.ph 2>&1 | grep -q 'no Ableton Link'; then
  say "SKIP: this phonon was built without Ableton Link (install ableton-link-dev and rebuild)"; exit 77
fi

# compare A.log B.log BLOCK_S THIRD_S: the phase differences, judged; prints
# one line of figures, exits 0 when they hold.
compare() {
  awk -v block="$3" -v third="$4" '
    function floor_(x) { return x < int(x) ? int(x) - 1 : int(x) }
    function wrap(d) { return d - floor_(d + 0.5) }
    FNR == 1 { file++ }
    /^#/ { next }
    file == 1 { n++; t0[n] = $1; t1[n] = $2; c0[n] = $3; c1[n] = $4; bpm[n] = $5; peers[n] = $6; next }
    file == 2 {
      if (!first_a) first_a = $1
      while (j < n && t1[j + 1] <= $1) j++
      if (j >= n || t0[j + 1] > $1 || $6 == 0 || peers[j + 1] == 0) next
      cb = c0[j + 1] + (c1[j + 1] - c0[j + 1]) * ($1 - t0[j + 1]) / (t1[j + 1] - t0[j + 1])
      e = wrap($3 - cb); if (e < 0) e = -e
      e = e / ($5 / 240)
      if (!joined && e < block) { joined = 1; joined_at = ($1 - first_a) / 1e6 }
      if (!joined) next
      m++; err[m] = e
      if (e >= block) bad++
      if ($5 > 143.99 && $5 < 144.01) a144 = 1
      last_a = $5
    }
    END {
      for (i = 1; i <= n; i++) if (bpm[i] > 143.99 && bpm[i] < 144.01) b144 = 1
      last_b = bpm[n]
      if (!m) { print "no block compared (did they ever play in one session?)"; exit 1 }
      # sort the errors (insertion sort is too slow for 5000: a histogram of 1 us bins)
      for (i = 1; i <= m; i++) { b = int(err[i] * 1e6); h[b]++; if (b > top) top = b }
      c = 0
      for (b = 0; b <= top; b++) { c += h[b]; if (!p50 && c >= 0.5 * m) p50 = b + 1; if (!p99 && c >= 0.99 * m) p99 = b + 1 }
      printf "%d blocks compared from %.1f s on; phase difference P50 %.3f P99 %.3f max %.3f ms (a block: %.3f ms); ", m, joined_at, p50 / 1e3, p99 / 1e3, (top + 1) / 1e3, block * 1e3
      printf "bpm: A %s 144, B %s 144; at the end A %.3f, B %.3f\n", a144 ? "played" : "never played", b144 ? "played" : "never played", last_a, last_b
      ok = !bad && joined_at < third && a144 && b144 && last_a > 107.99 && last_a < 108.01 && last_b > 107.99 && last_b < 108.01
      if (bad) printf "  %d blocks more than one block apart\n", bad
      if (joined_at >= third) printf "  they agreed only %.1f s in\n", joined_at
      exit !ok
    }' "$2" "$1"
}

judge() {   # judge WORK: 0 passed, 1 failed, 2 failed with xruns
  w=$1; bad=0
  for f in stats.txt stats_b.txt; do sed 's/^/  live --stats: /' "$w/$f"; done
  [ -s "$w/a.log" ] && [ -s "$w/b.log" ] || { say "FAIL: a --link-log is missing or empty"; return 1; }
  block_s=$(awk -v r="$(jack_rate)" -v p="${JACK_PERIOD:-512}" 'BEGIN { printf "%.6f", p / r }')
  figures=$(compare "$w/a.log" "$w/b.log" "$block_s" $((seconds / 3)))
  rc=$?
  say "$figures"
  [ $rc = 0 ] || { say "FAIL: the two processes did not stay within one block (or a tempo did not travel)"; bad=1; }
  xr=$(( $(stat_xruns "$w/stats.txt") + $(stat_xruns "$w/stats_b.txt") ))
  if [ "$xr" != 0 ] && [ $bad = 1 ]; then
    say "xruns: $xr"
    return 2
  fi
  return $bad
}

run_judged link "$here/link.sh"
