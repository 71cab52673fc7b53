# tests/live/lib.sh -- what reload.sh and soak.sh share (sourced, needs
# $root, $here, $PHONON and a say function).

BUILD=${BUILD:-build}
LIVECHECK=$root/$BUILD/livecheck
HOSTLAT=$root/$BUILD/hostlat

need_jack_tools() {
  for tool in jackd jack_wait jack_lsp jack_rec; do
    command -v "$tool" >/dev/null 2>&1 || { say "SKIP: $tool not installed (make deps DEPS_FLAGS=--with-jack)"; return 1; }
  done
}

# build_tool BIN SOURCE [LIBS...]: BIN made from SOURCE when older than it
build_tool() {
  bin=$1 src=$2
  shift 2
  [ "$bin" -nt "$src" ] && return 0
  mkdir -p "$root/$BUILD"
  ${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -o "$bin" "$src" "$@" || { say "cannot build $bin"; return 1; }
}

build_livecheck() {
  build_tool "$LIVECHECK" "$here/livecheck.c" $(pkg-config --cflags --libs sndfile 2>/dev/null || echo -lsndfile) -lm
}

# The JACK server's settings (scripts/with-jack-dummy.sh's defaults).
jack_rate() { echo "${JACK_RATE:-44100}"; }
block_ms() { awk -v r="$(jack_rate)" -v p="${JACK_PERIOD:-512}" 'BEGIN { printf "%.3f", 1000 * p / r }'; }

# CPU time the hypervisor took from this VM so far (ticks); empty if unknown.
steal() { awk '/^cpu /{print $9}' /proc/stat 2>/dev/null; }

# The 1-minute load average; the number of CPUs; busy: the load is above
# the CPU count (other processes compete with the watcher and the checker,
# which run at normal priority).
loadavg() { awk '{ print $1 }' /proc/loadavg 2>/dev/null; }
ncpus() { getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1; }
busy() { awk -v l="$(loadavg)" -v n="$(ncpus)" 'BEGIN { exit !(l != "" && l + 0 > n + 0) }'; }

# Wait (up to 10 s) for phonon's JACK ports.
wait_ports() {
  for _ in $(seq 100); do
    jack_lsp 2>/dev/null | grep -q '^phonon:out_1$' && return 0
    sleep 0.1
  done
  return 1
}

# stop_live PID: SIGINT (the way a script stops a background job), then
# expect exit status 0 within 5 s.
stop_live() {
  kill -INT "$1"
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$1" 2>/dev/null; then
    say "FAIL: phonon live is still running 5 s after SIGINT"; kill -KILL "$1"; return 1
  fi
  wait "$1"; rc=$?
  [ $rc = 0 ] || { say "FAIL: phonon live exited with status $rc after SIGINT"; return 1; }
}

# Values from live --stats.
stat_xruns() { sed -n 's/^xruns: \([0-9]*\).*/\1/p' "$1"; }
stat_field() {  # stat_field FILE LINE-PREFIX FIELD (p50|p99|max)
  sed -n "s/^$2: .*$3 \\([0-9.]*\\).*/\\1/p" "$1"
}

# The reload latency and swap cost targets.
check_stats() {
  lat99=$(stat_field "$1" 'reload latency' p99)
  n=$(sed -n 's/^reload latency: .*(\([0-9]*\) samples).*/\1/p' "$1")
  cost99=$(stat_field "$1" 'swap cost' p99)
  cost50=$(stat_field "$1" 'swap cost' p50)
  limit=$(awk -v b="$(block_ms)" 'BEGIN { printf "%.3f", b + 5 }')
  ok=0
  [ -n "$lat99" ] && [ "${n:-0}" -gt 0 ] || { say "FAIL: live --stats printed no reload latency"; return 1; }
  # the swap's own cost (its median) must be small; its P99 is a target, as
  # the latency's: on this VM a pause of the audio thread during two of 200
  # swaps lifts it to 25-50 us (seen with a median of 3 us)
  awk -v v="$cost50" 'BEGIN { exit !(v < 20) }' ||
    { say "FAIL: swap cost P50 $cost50 us >= 20 us"; ok=1; }
  awk -v v="$cost99" 'BEGIN { exit !(v < 20) }' ||
    { say "swap cost P99 $cost99 us >= 20 us: the swap target missed"; [ $ok = 0 ] && ok=3; }
  awk -v v="$lat99" -v l="$limit" 'BEGIN { exit !(v <= l) }' ||
    { say "reload latency P99 $lat99 ms > one block + 5 ms ($limit ms): the latency target missed"; [ $ok = 0 ] && ok=3; }
  return $ok
}

# xruns_host STATS HOST [any]: the xruns of a run came from the host, not
# from phonon's work: no more of them than the host stalled the CPUs for
# half a block or longer (HOST: hostlat's line, measured during the run by
# a probe above every thread of phonon and JACK), while phonon's callback
# stayed within half its budget in 99 blocks of 100 (live --stats'
# "callback load" P99). A VM here stalls both CPUs for 10-30 ms a few times
# a minute, phonon running or not (hostlat, 180 s with nothing else
# running: 11 stalls over 5 ms, the worst 21.6 ms); such a stall inside a
# callback also lifts that block's load. On a quiet machine there is no
# stall, so every xrun counts against phonon; a program near its budget or
# an audio path that blocks shows in the P99 or in more xruns than stalls.
# test_rt and make rtsan prove the audio path never blocks. With "any" (the
# machine was busy: load average above the CPU count) the count is not
# bounded: a callback far from its budget whose blocks still came late was
# not run on time, which other load explains however often.
xruns_host() {
  awk -v any="${3:-}" '
    FILENAME == host { if ($1 == "host" && $2 == "stalls:") n = $3 + 0; next }
    /^xruns: / { x = $2 }
    /^callback load: / { for (i = 1; i <= NF; i++) if ($i == "p99") p = $(i + 1) + 0 }
    END {
      if (x == "" || p == "") exit 1
      allow = any == "any" ? x : n
      printf "  %d xruns; %s: at most %d; callback load P99 %.1f%% (at most 50%%)\n", x,
             any == "any" ? "a busy machine" : "host stalls of half a block or more", allow, p
      exit !(x <= allow && p <= 50)
    }' host="$2" "$2" "$1"
}

# run_judged NAME SCRIPT [MESSAGE]: run "SCRIPT inner WORK" under a JACK dummy
# server in a fresh /tmp/phonon-NAME.XXXXXX, then the caller's judge WORK
# (0 passed, 1 failed, 2 failed with xruns, 3 only a latency target missed).
# One retry when the failure came with xruns, while the hypervisor stole CPU
# time, or while the machine was busy (load average above the CPU count); the
# steal and the load are reported. A latency target alone (3) is a
# measurement, not a defect (issue 9: latency targets live in the live tests'
# retry-and-report logic and in make bench): it is tried three times, and a
# machine that misses it every time makes the test a counted skip (exit 77)
# saying so, every other check having held. Xruns on both tries that
# xruns_host calls the host's (judge returns 2 only when nothing else
# failed) are a counted skip too, with the figures; on a busy machine, any
# number of them (xruns_host any). Each try runs hostlat beside it. The
# assertions stay the same.
run_judged() {
  build_tool "$HOSTLAT" "$here/hostlat.c" -lpthread || return 1
  status=1
  for try in 1 2 3; do
    work=$(mktemp -d "/tmp/phonon-$1.XXXXXX")
    [ -n "${3:-}" ] && say "$3"
    s0=$(steal)
    "$HOSTLAT" "$(awk -v b="$(block_ms)" 'BEGIN { print b / 2 }')" > "$work/host.txt" 2>&1 &
    hostlat=$!
    JACK_LOG=$work/jackd.log "$root/scripts/with-jack-dummy.sh" sh "$2" inner "$work" 2>>"$work/outer.log"
    rc=$?
    kill -TERM $hostlat 2>/dev/null; wait $hostlat 2>/dev/null
    s1=$(steal)
    say "$(cat "$work/host.txt")"
    if [ $rc != 0 ]; then
      say "FAIL: the run itself failed (status $rc)"; cat "$work/outer.log" >&2; tail -5 "$work/live.log" >&2
      break
    fi
    judge "$work"; status=$?
    stolen=
    [ -n "$s0" ] && [ -n "$s1" ] && { stolen=$((s1 - s0)); say "CPU time stolen by the hypervisor during the run: $stolen ticks"; }
    load=$(loadavg)
    say "load average at the end of the run: $load on $(ncpus) CPUs"
    [ $status = 3 ] && [ $try -lt 3 ] && { say "only a latency target missed: trying again"; continue; }
    if [ $status != 0 ] && [ $status != 3 ] && [ $try = 1 ]; then
      [ $status = 2 ] && { say "xruns (machine load?): trying once more"; continue; }
      [ "${stolen:-0}" -gt 10 ] && { say "failed while the hypervisor took CPU time from this VM: trying once more"; continue; }
      busy && { say "failed while other processes kept the CPUs busy (load $load): trying once more"; continue; }
    fi
    break
  done
  if [ $status = 0 ]; then
    say "passed"; rm -rf "$work"
  elif [ $status = 2 ] && xruns_host "$work/stats.txt" "$work/host.txt" "$(busy && echo any)"; then
    say "SKIP: xruns on both tries, no more than the host's stalls, while phonon's callback stayed within half its budget (load $(loadavg) on $(ncpus) CPUs): the host's scheduling (files in $work); every other check held"
    exit 77
  elif [ $status = 3 ]; then
    say "SKIP: this machine missed a latency target (reload latency or swap cost P99) in three tries (files in $work); every other check held"
    exit 77
  else
    say "FAILED (files in $work)"
  fi
  [ $status = 0 ]
}
