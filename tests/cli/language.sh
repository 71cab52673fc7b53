#!/bin/sh
# tests/cli/language.sh -- man/phonon-language.7 is the name tables, in step.
#
# 1. The committed page equals what build/gen-language writes from the
#    tables today (`make man` regenerates it).
# 2. It formats without warnings (`mandoc -T lint`, else groff -ww; skipped
#    with a message when neither is installed).
# 3. Every documented name appears once per namespace, and every example
#    compiles as written (`phonon check` on a file holding that line).
# That every name the compiler accepts has a row is checked where the names
# are resolved (test_pat, test_graph), against the same tables.
# Env: PHONON (default ./phonon), GEN_LANGUAGE (default $BUILD/gen-language),
# PAGE (default man/phonon-language.7 of this checkout).
set -u
here=$(cd "$(dirname "$0")" && pwd)
phonon=${PHONON:-./phonon}
gen=${GEN_LANGUAGE:-${BUILD:-build}/gen-language}
page=${PAGE:-$here/../../man/phonon-language.7}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
count=0
fail() {
  echo "FAIL $*"
  fails=$((fails + 1))
}

# 1. in step with the tables
count=$((count + 1))
if ! "$gen" > "$tmp/page.7" 2> "$tmp/err"; then
  fail "$gen failed: $(head -n 2 "$tmp/err")"
elif ! cmp -s "$tmp/page.7" "$page"; then
  fail "man/phonon-language.7 is out of date with the name tables (run 'make man'):"
  diff "$page" "$tmp/page.7" | head -n 10
fi

# 2. formatting
count=$((count + 1))
if command -v mandoc > /dev/null 2>&1; then
  mandoc -T lint -W warning "$tmp/page.7" > "$tmp/lint" 2>&1 || true
  [ -s "$tmp/lint" ] && { fail "mandoc -T lint:"; head -n 10 "$tmp/lint"; }
elif command -v groff > /dev/null 2>&1; then
  groff -man -Tutf8 -ww -z "$tmp/page.7" > "$tmp/lint" 2>&1
  [ -s "$tmp/lint" ] && { fail "groff warnings:"; head -n 10 "$tmp/lint"; }
else
  echo "language: SKIP formatting check: neither mandoc nor groff is installed"
fi

# 3. names once per namespace; every example compiles
count=$((count + 1))
"$gen" --names | sort | uniq -d > "$tmp/dups"
[ -s "$tmp/dups" ] && { fail "documented twice:"; head -n 10 "$tmp/dups"; }
"$gen" --examples > "$tmp/examples"
n=0
bad=0
while IFS="$(printf '\t')" read -r ns name example; do
  n=$((n + 1))
  if [ -z "$example" ]; then
    fail "$ns $name: no example"; bad=$((bad + 1)); continue
  fi
  printf '%s\n' "$example" | tr '\036' '\n' > "$tmp/ex.ph"
  if ! "$phonon" check "$tmp/ex.ph" > "$tmp/out" 2>&1; then
    fail "$ns $name: the example does not compile: $example"
    sed 's/^/    /' "$tmp/out" | head -n 3
    bad=$((bad + 1))
  fi
done < "$tmp/examples"
count=$((count + n))
echo "language: $n names documented, $bad examples failed"
if [ $fails -gt 0 ]; then
  echo "language: $fails of $count checks failed"
  exit 1
fi
echo "language: $count checks passed"
