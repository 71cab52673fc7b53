#!/bin/sh
# tests/cli/statements.sh -- the session statements of issues 11 and 13, heard
# through `phonon render`: a file with solo/mute/hush/unhush/tempo statements
# must render the very same samples as the file written without them that
# plays what they leave (solo 1 of d1 and d2 = d1 alone; setbpm 120 = cps:
# 0.5). Silence is also checked not to be what both give.
# Env: PHONON (the binary, default ./phonon).
set -u
phonon=${PHONON:-./phonon}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
count=0
nl='
'
two="d1 \$ s \"bd*4\"${nl}out2: s \"hh*8\"${nl}"

render() {      # render NAME TEXT: $tmp/NAME.wav, echo its hash
  printf '%s' "$2" > "$tmp/$1.ph"
  "$phonon" render -q --cycles 2 "$tmp/$1.ph" "$tmp/$1.wav" 2> "$tmp/$1.err" || { echo "error"; return; }
  sha256sum < "$tmp/$1.wav" | cut -c1-16
}

# same WHAT A B: the renders of texts A and B are the same samples
same() {
  count=$((count + 1))
  a=$(render a "$2") b=$(render b "$3")
  if [ "$a" = error ] || [ "$a" != "$b" ]; then
    echo "FAIL $1: renders differ ($a, $b)"
    [ -s "$tmp/a.err" ] && head -n 3 "$tmp/a.err"
    fails=$((fails + 1))
  fi
}

silence=$(render s 'out: 0')
same "solo 1" "${two}solo 1${nl}" "d1 \$ s \"bd*4\"${nl}"
same "solo 2 (an outN output)" "${two}solo 2${nl}" "out2: s \"hh*8\"${nl}"
same "mute 1" "${two}mute 1${nl}" "out2: s \"hh*8\"${nl}"
same "solo then unsolo, mute then unmute" "${two}solo 1${nl}unsolo${nl}mute 2${nl}unmute 2${nl}" "$two"
same "hush then unhush" "${two}hush${nl}unhush${nl}" "$two"
same "hush2 then unhush" "${two}hush2${nl}unhush${nl}" "$two"
same "hush1, hush2 then unhush 2" "${two}hush1${nl}hush2${nl}unhush 2${nl}" "out2: s \"hh*8\"${nl}"
same "solo silences the main output" "out: s \"cp\"${nl}${two}solo 1${nl}" "d1 \$ s \"bd*4\"${nl}"
same "setcps with arithmetic" "setcps (120/60/4)${nl}d1 \$ s \"bd sn\"${nl}" "cps: 0.5${nl}d1 \$ s \"bd sn\"${nl}"
same "setbpm" "setbpm 120${nl}d1 \$ s \"bd sn\"${nl}" "cps: 0.5${nl}d1 \$ s \"bd sn\"${nl}"
same "setcpm" "setcpm 45${nl}d1 \$ s \"bd sn\"${nl}" "cps: 0.75${nl}d1 \$ s \"bd sn\"${nl}"
same "once plays the first cycle once" "once \$ s \"bd sn\"${nl}" "d1 \$ s \"<[bd sn] ~>\"${nl}"
same "once: beside an output" "d1 \$ s \"hh*4\"${nl}once: s \"<bd sn>\"${nl}" "d1 \$ s \"hh*4\"${nl}d2 \$ s \"<bd ~>\"${nl}"
same "setCycle N" "setCycle 1${nl}d1 \$ s \"<bd hh>\"${nl}" "d1 \$ s \"<hh bd>\"${nl}"
same "resetCycles (a render starts at 0)" "resetCycles${nl}d1 \$ s \"<bd hh>\"${nl}" "d1 \$ s \"<bd hh>\"${nl}"
same "trigger and qtrigger (a render: from cycle 0)" "d1 \$ trigger \$ s \"<bd hh>\"${nl}d2 \$ qtrigger \$ s \"<sn cp>\"${nl}" "d1 \$ s \"<bd hh>\"${nl}d2 \$ s \"<sn cp>\"${nl}"
same "nudge (seconds: 0.5 s at 0.5 cps is a quarter cycle)" "nudge 0.5${nl}cps: 0.5${nl}d1 \$ s \"bd sn\"${nl}" "cps: 0.5${nl}d1 \$ 0.25 ~> s \"bd sn\"${nl}"
same "@template and %reference" "@swing: every 2 (0.125 ~>)${nl}%speed: \"1 2\"${nl}d1 \$ s \"bd sn\" \$ fast %speed \$ @swing${nl}" "d1 \$ s \"bd sn\" \$ fast \"1 2\" \$ every 2 (0.125 ~>)${nl}"
same "modifier buses" "~fx # lpf 800 0.7 # delay 0.25 0.5${nl}~sp # speed \"1 2\"${nl}d1 \$ s \"bd sn\" # ~fx${nl}d2 \$ s \"hh*4\" # ~sp # gain 0.8${nl}" "d1 \$ s \"bd sn\" # lpf 800 0.7 # delay 0.25 0.5${nl}d2 \$ s \"hh*4\" # speed \"1 2\" # gain 0.8${nl}"
same "a control after \$ (the phonon family's \"bd\" \$ legato 2)" "d1 \$ s \"bd*4\" \$ legato 0.5 # speed 2${nl}" "d1 \$ s \"bd*4\" # legato 0.5 # speed 2${nl}"
same "a transform after \$ is still one" "d1 \$ fast 2 \$ s \"bd sn\"${nl}" "d1 \$ s \"[bd sn]*2\"${nl}"
# issue 11 (h-tidal2): all, cpm against the file's tempo, clip as legato
same "all (# speed 2) on every pattern output" "${two}all (# speed 2)${nl}" "d1 \$ s \"bd*4\" # speed 2${nl}out2: s \"hh*8\" # speed 2${nl}"
same "the last all counts, before or after the outputs" "all (fast 2)${nl}${two}all (# speed 0.5)${nl}" "d1 \$ s \"bd*4\" # speed 0.5${nl}out2: s \"hh*8\" # speed 0.5${nl}"
same "all id undoes it" "all (# speed 2)${nl}${two}all id${nl}" "$two"
same "all leaves an audio output alone" "out: saw 55 * 0.1${nl}${two}all (# speed 2)${nl}" "out: saw 55 * 0.1${nl}d1 \$ s \"bd*4\" # speed 2${nl}out2: s \"hh*8\" # speed 2${nl}"
same "cpm against setcps" "setcps 1${nl}d1 \$ s \"bd sn\" \$ cpm 120${nl}" "setcps 1${nl}d1 \$ s \"bd sn\" \$ fast 2${nl}"
same "clip is legato after #" "d1 \$ s \"bd*4\" # clip 0.25${nl}" "d1 \$ s \"bd*4\" # legato 0.25${nl}"
count=$((count + 1))
if [ "$(render a "${two}all (# speed 2)${nl}")" = "$(render b "$two")" ]; then
  echo "FAIL all: the render is the same without it"
  fails=$((fails + 1))
fi
count=$((count + 1))
if [ "$(render a "${two}solo 1${nl}")" = "$silence" ] || [ "$(render b "${two}mute 1${nl}")" = "$silence" ]; then
  echo "FAIL solo/mute: the render is silent"
  fails=$((fails + 1))
fi

# bad statements: exit 65 and the message
bad() {
  count=$((count + 1))
  printf '%s\n' "$1" > "$tmp/bad.ph"
  "$phonon" check "$tmp/bad.ph" > /dev/null 2> "$tmp/err"
  rc=$?
  if [ "$rc" -ne 65 ] || ! grep -qF -- "$2" "$tmp/err"; then
    echo "FAIL '$1': exit $rc, want 65 with '$2'; stderr: $(head -n 1 "$tmp/err")"
    fails=$((fails + 1))
  fi
}
bad 'solo' "expected an output number after 'solo'"
bad 'mute 17' "expected an output number after 'mute'"
bad 'solo 1.5' "expected an output number after 'solo'"
bad 'unhush 2 3' "expected an output number after 'unhush'"
bad 'setcps' "expected an expression after 'setcps'"
bad 'setcps fast 2' "expected a number of cycles per second after 'setcps'"
bad 'setcpm 0' "tempo out of range"
bad 'out17: s "bd"' "unknown output 'out17'"
bad 'nudge 2' "expected a number of seconds from -1 to 1 after 'nudge'"
bad 'setCycle 1.5' "expected a whole number of cycles after 'setCycle'"
bad 'resetCycles 2' "expected the end of the line after 'resetCycles'"
bad 'once $' "expected an expression after 'once\$'"
bad 'all' "expected a transform after 'all'"

if [ "$fails" -ne 0 ]; then
  echo "cli statements: $fails of $count checks failed"
  exit 1
fi
echo "cli statements: $count checks passed"
