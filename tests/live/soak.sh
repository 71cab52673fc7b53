#!/bin/sh
# tests/live/soak.sh -- `make soak-live`: `phonon live` plays tests/live/big.ph
# on a JACK dummy server for SOAK_SECONDS (default 600) while livecheck saves
# it every 100 ms (440 Hz <-> 660 Hz tone), sampling phonon's resident memory
# (VmRSS) every 2 s. Passes when
#   - no xrun (live --stats and JACK's log) and every save was loaded;
#   - resident memory is flat once warm: after the first minute, the mean of
#     the last third of the samples is at most RSS_SLACK_KB (default 4096)
#     above the mean of the first third. Means, because the level moves by a
#     program's size (megabytes: delay lines) as voices started under older
#     programs end and let them go; a leak shows as a trend. The heap takes
#     about a minute to reach its high-water mark (more programs alive at
#     once than ever before, now and then), so a run shorter than 3 minutes
#     (CI's) only checks that memory does not run away: the last sample is
#     at most 25% above the one at half time. tests/test_live.c checks
#     exactly, on the allocator's count, that reloads free their programs;
#   - SIGINT ends live with status 0.
# CI runs a 60 s version (tests/live/run.sh with CI=true). As in reload.sh,
# a run that fails with xruns or under hypervisor steal is tried once more;
# xruns on both tries, no more than the host stalled the CPUs (hostlat,
# beside the run) and phonon's callback far from its budget, are a counted
# skip (lib.sh, xruns_host), every other check having held.
# Exit 0 passed, 1 failed, 77 skipped (no JACK tools). Run it alone.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 1
PHONON=${PHONON:-./phonon}
case $PHONON in /*) ;; *) PHONON=$root/$PHONON ;; esac
seconds=${SOAK_SECONDS:-600}
slack=${RSS_SLACK_KB:-4096}
say() { echo "soak: $*" >&2; }
. "$here/lib.sh"

if [ "${1:-}" = inner ]; then
  work=$2
  sed 's/~tone: sine 440/~tone: sine 660/' "$here/big.ph" > "$work/b.ph"
  cp "$here/big.ph" "$work/a.ph"
  cp "$work/a.ph" "$work/live.ph"
  "$PHONON" live "$work/live.ph" --stats >"$work/stats.txt" 2>"$work/live.log" &
  live=$!
  wait_ports || { say "phonon live did not show up in JACK"; cat "$work/live.log" >&2; kill -KILL $live; exit 1; }
  "$LIVECHECK" write "$work/live.ph" "$work/saves.log" "$seconds" 100 "$work/a.ph" "$work/b.ph" &
  writer=$!
  t=0
  while kill -0 $writer 2>/dev/null; do
    rss=$(awk '/^VmRSS:/ {r = $2} /^RssAnon:/ {a = $2} END {if (r) print r, a}' /proc/$live/status 2>/dev/null)
    [ -n "$rss" ] && echo "$t $rss" >> "$work/rss.log"
    sleep 2; t=$((t + 2))
  done
  wait $writer || exit 1
  stop_live $live || exit 1
  exit 0
fi

need_jack_tools || exit 77
[ -x "$PHONON" ] || { say "$PHONON is not built"; exit 1; }
build_livecheck || exit 1
[ -r /proc/self/status ] || { say "SKIP: no /proc to read resident memory from"; exit 77; }

judge() {   # 0 passed, 1 failed, 2 failed with xruns
  w=$1; bad=0; short=0
  sed 's/^/  live --stats: /' "$w/stats.txt"
  saves=$(wc -l < "$w/saves.log")
  loaded=$(sed -n 's/^reloads: \([0-9]*\) loaded.*/\1/p' "$w/stats.txt")
  # the first load is the file as it was at start; two saves read as one
  # (the watcher stalled for a save's 100 ms) count as the host's, with xruns
  [ "${loaded:-0}" -gt "$saves" ] ||
    { say "FAIL: $saves saves but ${loaded:-0} programs loaded (want $((saves + 1)): the file at start, then each save)"; short=1; }
  warm=60; long=1; [ "$seconds" -lt 180 ] && { warm=$((seconds / 2)); long=0; }
  awk -v warm="$warm" -v slack="$slack" -v long="$long" '
    $1 >= warm { r[n++] = $2 }
    NR == 1 { start = $2 }
    { last = $2; anon = $3; top = $2 > top ? $2 : top }
    END {
      k = int(n / 3)
      if (k < 2) { print "  FAIL: too few samples after the warm-up"; exit 1 }
      printf "  resident memory (kB): %d at start, %d at %d s, %d at the end (anonymous %d), largest %d\n", start, r[0], warm, last, anon, top
      if (!long) {
        printf "  short run: the end is %+.1f%% from %d s (allowed: +25%%)\n", 100 * (last - r[0]) / r[0], warm
        if (last > 1.25 * r[0]) { print "  FAIL: resident memory runs away"; exit 1 }
        exit 0
      }
      for (i = 0; i < k; i++) { a += r[i]; b += r[n - 1 - i] }
      a /= k; b /= k
      printf "  after the warm-up: mean of the first third %.0f, of the last third %.0f (%+.0f, slack %d)\n", a, b, b - a, slack
      if (b - a > slack) { print "  FAIL: resident memory grows"; exit 1 }
    }' "$w/rss.log" || bad=1
  xr_jack=$(grep -c XRun "$w/jackd.log" 2>/dev/null); xr_jack=${xr_jack:-0}
  xr_pa=$(stat_xruns "$w/stats.txt")
  if [ "${xr_pa:-1}" != 0 ] || [ "$xr_jack" != 0 ]; then
    say "xruns: PortAudio ${xr_pa:-?}, JACK log $xr_jack"
    [ $bad = 0 ] && return 2
  fi
  [ $short = 0 ] || bad=1
  return $bad
}

run_judged soak "$here/soak.sh" "playing and saving every 100 ms for $seconds s"
