#!/bin/sh
# tests/cli/render_out.sh -- `phonon render` writes anywhere libsndfile can:
# `-` as OUT is stdout (WAV, or --type), the bytes equal those of the same
# render to a file; every type by extension or --type (flac, ogg, opus, mp3,
# caf, w64, au, aiff), the same bytes twice (Ogg serials fixed); readable by
# `sox --i` where sox has the type's handler (else python3's wave module
# for WAV); bad types are usage errors (64) that name the choices.
# Env: PHONON (the binary, default ./phonon).
set -u
phonon=${PHONON:-./phonon}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
count=0
fail() { echo "FAIL render_out: $*"; fails=$((fails + 1)); }
printf 'tempo: 1\nout: saw "110 220" * 0.3\n' > "$tmp/a.ph"

# stdout: the same bytes as a file
count=$((count + 1))
"$phonon" render -q --cycles 1 "$tmp/a.ph" "$tmp/file.wav" || fail "render to a file failed"
"$phonon" render -q --cycles 1 "$tmp/a.ph" - > "$tmp/out.wav" || fail "render to stdout failed"
cmp -s "$tmp/file.wav" "$tmp/out.wav" || fail "stdout's WAV differs from the file's"
count=$((count + 1))
"$phonon" render -q --cycles 1 "$tmp/a.ph" - | cat > "$tmp/pipe.wav"
cmp -s "$tmp/file.wav" "$tmp/pipe.wav" || fail "a piped WAV differs from the file's"
count=$((count + 1))
frames=$(python3 -c 'import sys, wave; w = wave.open(sys.argv[1]); print(w.getnframes(), w.getnchannels(), w.getframerate())' "$tmp/pipe.wav")
[ "$frames" = "44100 2 44100" ] || fail "the piped WAV reads as '$frames', want 44100 frames, 2 ch, 44100 Hz"
if command -v sox > /dev/null 2>&1; then
  count=$((count + 1))
  d=$("$phonon" render -q --cycles 1 "$tmp/a.ph" - | sox --i -D - 2> "$tmp/err")
  [ "$d" = "1.000000" ] || fail "sox --i reads the stdout WAV as '$d' s: $(cat "$tmp/err")"
  count=$((count + 1))
  d=$("$phonon" render -q --cycles 1 --type flac "$tmp/a.ph" - | sox --i -D - 2> "$tmp/err")
  [ "$d" = "1.000000" ] || fail "sox --i reads the stdout FLAC as '$d' s: $(cat "$tmp/err")"
fi

# every type, twice the same bytes; sox reads the ones it has a handler for
# (mp3 needs Debian's libsox-fmt-mp3; without it the header checks below stand)
sox_formats=$(sox -h 2> /dev/null | sed -n 's/^AUDIO FILE FORMATS: //p')
sox_reads() {
  case " $sox_formats " in *" $1 "*) return 0 ;; esac
  command -v sox > /dev/null 2>&1 && echo "note: render_out: sox here reads no .$1; header checks only"
  return 1
}
for t in wav flac aiff ogg mp3 caf w64 au rf64 opus; do
  count=$((count + 1))
  rate=44100
  [ "$t" = opus ] && rate=48000
  "$phonon" render -q --cycles 1 -r $rate "$tmp/a.ph" "$tmp/x.$t" 2> "$tmp/err" || { fail "$t: $(cat "$tmp/err")"; continue; }
  "$phonon" render -q --cycles 1 -r $rate --type $t "$tmp/a.ph" - > "$tmp/y.$t" 2> "$tmp/err" || fail "--type $t -: $(cat "$tmp/err")"
  cmp -s "$tmp/x.$t" "$tmp/y.$t" || fail "$t: the file and stdout differ (not reproducible)"
  [ -s "$tmp/x.$t" ] || fail "$t: empty"
  case $t in opus|rf64) continue ;; esac
  if sox_reads $t; then
    d=$(sox --i -D "$tmp/x.$t" 2> "$tmp/err")
    case $d in 0.9*|1.0*) ;; *) fail "$t: sox --i says '$d': $(cat "$tmp/err")" ;; esac
  fi
done
count=$((count + 1))
head -c 4 "$tmp/x.opus" | grep -q OggS || fail "opus is not an Ogg stream"
grep -q OpusHead "$tmp/x.opus" || fail "opus has no OpusHead"
count=$((count + 1))
head -c 3 "$tmp/x.mp3" | grep -q ID3 || [ "$(od -An -tx1 -N1 "$tmp/x.mp3" | tr -d ' ')" = ff ] || fail "mp3 has neither ID3 nor a frame sync"

# usage errors
count=$((count + 1))
"$phonon" render -q "$tmp/a.ph" "$tmp/x.xyz" 2> "$tmp/err"; rc=$?
[ $rc -eq 64 ] && grep -q "\.opus, \.mp3" "$tmp/err" || fail "an unknown extension: exit $rc, $(cat "$tmp/err")"
count=$((count + 1))
"$phonon" render -q --type nope "$tmp/a.ph" - > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 64 ] && grep -q "\-\-type nope" "$tmp/err" || fail "--type nope: exit $rc, $(cat "$tmp/err")"
count=$((count + 1))
"$phonon" render -q "$tmp/a.ph" "$tmp/x.opus" 2> "$tmp/err"; rc=$?
[ $rc -eq 64 ] && grep -q "48000" "$tmp/err" || fail "opus at 44100: exit $rc, $(cat "$tmp/err")"
count=$((count + 1))
[ ! -e ./- ] && [ ! -e "$tmp/-" ] || fail "a file named - was created"

if [ "$fails" -ne 0 ]; then
  echo "cli render_out: $fails of $count checks failed"
  exit 1
fi
echo "cli render_out: $count checks passed"
