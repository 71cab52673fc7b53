#!/bin/sh
# tests/cli/live_signals.sh -- how `phonon live` ends (issue 9), without a
# sound card or a JACK server: ALSA's "null" device (a private $HOME with an
# .asoundrc that makes it the default) stands in for one.
#   1. SIGHUP (the terminal closed) stops live like SIGTERM: the fade,
#      --stats printed, status 0 (it died at once, no stats, status 129).
#   2. A reader of stderr that went away (`2>&1 | true`): live's first lines
#      (a new file's starter pattern) and a save's "loaded" line find no
#      reader; it plays on until SIGTERM, --stats printed, status 0 (SIGPIPE
#      killed it, status 141).
#   3. A reader of stdout that went away (`--stats | true`): status 0.
# Skipped (with a note) when ALSA's null device is not available.
# Env: PHONON (the binary, default ./phonon).
set -u
phonon=${PHONON:-./phonon}
case $phonon in /*) ;; *) phonon=$(pwd)/$phonon ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
count=0

fail() {
  echo "FAIL $*"
  fails=$((fails + 1))
}

mkdir "$tmp/home"
printf 'pcm.!default {\n  type null\n}\n' > "$tmp/home/.asoundrc"
export HOME="$tmp/home" JACK_NO_START_SERVER=1
dev="ALSA: default"
if ! "$phonon" live --list-devices 2>/dev/null | grep -qF "$dev"; then
  echo "cli live_signals: SKIP: no ALSA null device here"
  exit 0
fi
# wait_for FILE TEXT: until FILE contains TEXT (10 s at most)
wait_for() {
  for _ in $(seq 100); do grep -qF "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

# ---- 1. SIGHUP ------------------------------------------------------------------
printf 'out: sine 440 * 0.1\n' > "$tmp/a.ph"
count=$((count + 1))
"$phonon" live "$tmp/a.ph" --device "$dev" --stats > "$tmp/hup.txt" 2> "$tmp/hup.log" &
p=$!
wait_for "$tmp/hup.log" "loaded" || fail "SIGHUP: live did not start: $(head -n 2 "$tmp/hup.log")"
kill -HUP $p
for _ in $(seq 50); do kill -0 $p 2>/dev/null || break; sleep 0.1; done
kill -KILL $p 2>/dev/null && fail "SIGHUP: live still ran 5 s later"
wait $p
rc=$?
[ $rc -eq 0 ] || fail "SIGHUP: exit $rc, want 0"
grep -q '^xruns:' "$tmp/hup.txt" || fail "SIGHUP: no --stats printed"

# ---- 2. the reader of stderr goes away ---------------------------------------------
# It is gone before live starts (`| true`), so live's first lines (a new
# file's starter pattern, "playing ...") already find no reader; then a save.
# (the null device does not keep time: SIGTERM ends it, not --duration)
count=$((count + 1))
( sleep 0.3
  "$phonon" live "$tmp/new.ph" --device "$dev" --stats 2>&1 > "$tmp/err.txt" &
  echo $! > "$tmp/err.pid"
  wait $!
  echo $? > "$tmp/err.rc" ) | true &
sleep 1.5
printf 'out: sine 660 * 0.1\n' > "$tmp/new.ph"      # live says "loaded ..." on stderr
sleep 1
[ -s "$tmp/err.pid" ] && kill -TERM "$(cat "$tmp/err.pid")" 2>/dev/null
for _ in $(seq 100); do [ -s "$tmp/err.rc" ] && break; sleep 0.1; done
[ -s "$tmp/err.rc" ] || kill -KILL "$(cat "$tmp/err.pid")" 2>/dev/null
wait
[ "$(cat "$tmp/err.rc" 2>/dev/null)" = 0 ] || fail "stderr reader gone: exit $(cat "$tmp/err.rc" 2>/dev/null), want 0"
grep -q '^reloads: 2 loaded' "$tmp/err.txt" || fail "stderr reader gone: --stats: '$(head -n 1 "$tmp/err.txt")'"

# ---- 3. the reader of stdout goes away ---------------------------------------------
count=$((count + 1))
( "$phonon" live "$tmp/a.ph" --device "$dev" --stats --duration 0.5 2> "$tmp/out.log"
  echo $? > "$tmp/out.rc" ) | true
[ "$(cat "$tmp/out.rc" 2>/dev/null)" = 0 ] || fail "stdout reader gone: exit $(cat "$tmp/out.rc" 2>/dev/null), want 0"

if [ "$fails" -ne 0 ]; then
  echo "cli live_signals: $fails failures in $count checks"
  exit 1
fi
echo "cli live_signals: $count checks passed"
