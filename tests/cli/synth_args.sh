#!/bin/sh
# tests/cli/synth_args.sh -- SuperDirt's per-synth arguments at the command
# line (issue 12, h-synthctl): an argument a synth played does not take is a
# warning naming the synth and the argument, and so is a synth-only argument
# where no synth plays; those a synth takes pass without one; the SuperDirt
# arguments phonon's synths cannot play (pitch3 ...) are errors that say why;
# fm after # with one argument is Strudel's fm (fmi), with three it is the
# oscillator, and `# fm 2 3` on a pattern is an error that says so.
# Env: PHONON (the binary, default ./phonon).
set -u
phonon=${PHONON:-./phonon}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
count=0
fail() { echo "FAIL synth_args: $*"; fails=$((fails + 1)); }

# check SRC WANT-RC GREP: `phonon check` of SRC exits WANT-RC, stderr holds GREP ("" : no warning at all)
check() {
  count=$((count + 1))
  printf '%s\n' "$1" > "$tmp/a.ph"
  "$phonon" check "$tmp/a.ph" > /dev/null 2> "$tmp/err"
  rc=$?
  [ "$rc" -eq "$2" ] || { fail "'$1': exit $rc, want $2: $(cat "$tmp/err")"; return; }
  if [ -z "$3" ]; then
    ! grep -q "warning" "$tmp/err" || fail "'$1': unexpected warning: $(cat "$tmp/err")"
  else
    grep -q "$3" "$tmp/err" || fail "'$1': no '$3' in: $(cat "$tmp/err")"
  fi
}

check 'out: s "superpiano" # pitch1 2' 0 "warning: superpiano does not take pitch1"
check 'out: s "supersaw superpwm" # lfo 3' 0 "warning: superpwm does not take lfo"
check 'out: s "superfm" # accelerate 1' 0 "warning: superfm does not take accelerate"
check 'out: s "bd" # voice 2' 0 "warning: voice is an argument of SuperDirt's synths"
check 'out: s "supersaw" # voice 1 # semitone 7 # pitch1 2 # lfo 3 # resonance 0.5 # decay 0.3 # speed 2 # accelerate 1' 0 ""
check 'out: s "superpiano" # resonance 0.5 # cutoff 800' 0 ""
check 'out: s "supervibe" # modamp 1 # modfreq 5 # decay 1 # detune 1' 0 ""
check 'out: s "bd" # accelerate 1 # speed 2 # decay 0.1' 0 ""
check 'out: s "superkick" # pitch1 2 # decay 3 # speed 2 # accelerate -1' 0 ""
check 'out: s "superhat" # speed 2 # accelerate -1' 0 ""
check 'out: s "superhat" # decay 2' 0 "warning: superhat does not take decay"
check 'out: s "superkick" # resonance 0.5' 0 "warning: superkick does not take resonance"
check 'out: s "superchip" # pitch3 2' 65 "pitch3.*third oscillator"
check 'out: s "superhammond" # percf 3' 65 "percf.*percussion"
check 'out: note "0 7" # s "superpwm" # fm 2 # fmh 2' 0 ""
check 'out: note "0 7" # s "superpwm" # fm 2 3' 65 "fm with two or more arguments is the oscillator"
check '~bell: fm 261.63 732.56 3.2 # perc 2.4
out: note "0 7" # s "~bell"' 0 ""

if [ "$fails" -ne 0 ]; then
  echo "cli synth_args: $fails of $count checks failed"
  exit 1
fi
echo "cli synth_args: $count checks passed"
