#!/bin/sh
# tests/cli/check.sh -- `phonon check` reports every error of a file (parse
# and compile errors, in file order, as file:line:col:), at most 20 then a
# count of the rest; render says the same; `check --json` is valid JSON
# (python3's json module reads it) whatever bytes the path and the
# messages hold, and lists the warnings.
# Env: PHONON (the binary, default ./phonon).
set -u
phonon=${PHONON:-./phonon}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
count=0
fail() { echo "FAIL check: $*"; fails=$((fails + 1)); }

cat > "$tmp/many.ph" << 'PH'
tempo: 1
~a: s "bd" # fsat 2
~b: s "[sn"
  # gain 0.5
out: ~a + ~b + ~c
~c: s "hh*4" # pan (
o2: saw 100 # lfp 300
PH
count=$((count + 1))
"$phonon" check "$tmp/many.ph" 2> "$tmp/err"; rc=$?
[ $rc -eq 65 ] || fail "exit $rc for a file with errors, want 65"
got=$(grep -o '^[^ ]*many.ph:[0-9]*:[0-9]*: error' "$tmp/err" | sed 's/.*many.ph://' | tr '\n' ' ')
count=$((count + 1))
[ "$got" = "2:14: error 3:11: error 6:21: error 7:15: error " ] || fail "errors found: '$got'; stderr: $(cat "$tmp/err")"
count=$((count + 1))
grep -q "did you mean 'fast'" "$tmp/err" || fail "the first error lost its hint"
count=$((count + 1))
"$phonon" render -q "$tmp/many.ph" "$tmp/x.wav" 2> "$tmp/err2"; rc=$?
[ $rc -eq 65 ] && [ "$(grep -c ': error:' "$tmp/err2")" -eq 4 ] || fail "render: exit $rc, $(grep -c ': error:' "$tmp/err2") errors"
# a file with no errors still passes, its warnings said
printf 'tempo: 1\n~unused: saw 100\nout: s "bd"\n' > "$tmp/ok.ph"
count=$((count + 1))
"$phonon" check "$tmp/ok.ph" 2> "$tmp/err" || fail "a good file fails"
grep -q "warning: ~unused is never used" "$tmp/err" || fail "no warning for ~unused: $(cat "$tmp/err")"
# issue 11: voicing's controls without voicing are said; with it (in another statement) not
printf 'out: chord "<C^7 A7>" # anchor "c4" # s "superfm"\n' > "$tmp/chord.ph"
count=$((count + 1))
"$phonon" check "$tmp/chord.ph" 2> "$tmp/err" || fail "a file with chord alone fails"
grep -q "1:6: warning: chord is read by voicing" "$tmp/err" || fail "no warning for chord without voicing: $(cat "$tmp/err")"
printf '~c: chord "<C^7 A7>" # anchor "c4"\nout: ~c # voicing # s "superfm"\n' > "$tmp/chord.ph"
count=$((count + 1))
"$phonon" check "$tmp/chord.ph" 2> "$tmp/err" && ! grep -q "read by voicing" "$tmp/err" ||
  fail "chord with voicing: $(cat "$tmp/err")"
# the cap: 20 shown, the rest counted
i=0
while [ $i -lt 30 ]; do echo "~b$i: fast ("; i=$((i + 1)); done > "$tmp/thirty.ph"
count=$((count + 1))
"$phonon" check "$tmp/thirty.ph" 2> "$tmp/err"
[ "$(grep -c ': error:' "$tmp/err")" -eq 20 ] && grep -q "thirty.ph: 10 more errors not shown" "$tmp/err" ||
  fail "the cap: $(grep -c ': error:' "$tmp/err") shown, $(tail -n 1 "$tmp/err")"

# --json: valid, every error and warning, any bytes
bad=$(printf '%s/bad-\377\001-"\\.ph' "$tmp")
printf 'tempo: 1\n~unused: saw 100\nout: s "bd \377"\n' > "$bad"
cp "$tmp/many.ph" "$tmp/m2.ph"
"$phonon" check --json "$tmp/many.ph" "$tmp/ok.ph" "$bad" > "$tmp/json" 2> "$tmp/err"
cat > "$tmp/v.py" << 'PY'
import json, sys
objs = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
assert len(objs) == 3, len(objs)
m, ok, bad = objs
assert not m["ok"] and m["errors_count"] == 4, m
assert [(e["line"], e["col"]) for e in m["errors"]] == [(2, 14), (3, 11), (6, 21), (7, 15)], m["errors"]
assert ok["ok"] and ok["errors"] == [] and ok["warnings_count"] == 1, ok
assert ok["warnings"][0]["message"] == "~unused is never used" and ok["warnings"][0]["line"] == 2, ok
assert bad["file"].endswith("bad-\u00ff\u0001-\"\\.ph"), repr(bad["file"])
assert not bad["ok"] and bad["errors"][0]["line"] == 3, bad
print("ok")
PY
count=$((count + 1))
python3 "$tmp/v.py" "$tmp/json" > "$tmp/vout" 2>&1 || fail "--json: $(tail -n 1 "$tmp/vout"); output: $(cat "$tmp/json")"
count=$((count + 1))
[ ! -s "$tmp/err" ] || fail "--json wrote to stderr: $(head -n 2 "$tmp/err")"

# a value that fails through a pattern argument (a scale name in cycle 1):
# check warns, render counts and says why, query says why (exit 0: SEMANTICS.md 9)
printf 'out: n ("0 5" $ scale "<c:major c:nope>") # s "superpiano"\n' > "$tmp/silent.ph"
count=$((count + 1))
"$phonon" check "$tmp/silent.ph" 2> "$tmp/err" || fail "a file whose pattern fails at run time does not compile"
grep -q "warning: output out plays silent in cycle 1: scale: unknown scale name" "$tmp/err" \
  || fail "check: no warning for a pattern silent in cycle 1: $(cat "$tmp/err")"
count=$((count + 1))
"$phonon" render --cycles 2 "$tmp/silent.ph" "$tmp/s.wav" 2> "$tmp/err" || fail "render of silent.ph failed"
grep -q "block spans of a pattern played silent: scale: unknown scale name" "$tmp/err" \
  || fail "render: no warning for the silent spans: $(cat "$tmp/err")"
count=$((count + 1))
"$phonon" query '"0 5" $ scale "c:nope"' 0 1 > "$tmp/out" 2> "$tmp/err"; rc=$?
[ $rc -eq 0 ] && grep -q "plays silent: scale: unknown scale name" "$tmp/err" \
  || fail "query: exit $rc, $(cat "$tmp/err")"

if [ "$fails" -ne 0 ]; then
  echo "cli check: $fails of $count checks failed"
  exit 1
fi
echo "cli check: $count checks passed"
