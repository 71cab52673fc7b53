#!/bin/sh
# tests/cli/man.sh -- man/phonon.1 formats cleanly and keeps in step with the
# options the program really has.
#
# 1. `groff -man -Tutf8 -ww -z` prints no warning for the page (with
#    `mandoc -Tlint -Wwarning` when groff is missing; skipped, with a message,
#    when neither is installed).
# 2. For every command `phonon --help` lists, `phonon COMMAND --help` works,
#    the page has a subsection for it (`.SS COMMAND`), and every long option
#    (--something) the help prints is mentioned in that subsection.
# 3. Every long option that subsection lists as an item (a .TP tag) is one
#    the command's --help prints, so a removed option leaves no stale entry.
# 4. Every long option `phonon --help` itself mentions is in the page.
# Options are compared after undoing roff escapes (\- \& \% \fB ...).
# Env: PHONON (the binary, default ./phonon), MAN_PAGE (the page, default
# man/phonon.1 of the checkout holding this script).
set -u
phonon=${PHONON:-./phonon}
page=${MAN_PAGE:-$(dirname "$0")/../../man/phonon.1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
count=0

fail() {
  echo "FAIL $*"
  fails=$((fails + 1))
}

# The long options in the text on stdin, one per line, sorted, unique.
long_options() {
  tr -c 'A-Za-z0-9-' '\n' | grep -- '^--[A-Za-z0-9]' | sort -u
}

if [ ! -r "$page" ]; then
  echo "cli man: FAIL cannot read the man page $page"
  exit 1
fi
if ! "$phonon" --help > "$tmp/help" 2> "$tmp/err"; then
  echo "cli man: FAIL '$phonon --help' failed: $(head -n 1 "$tmp/err")"
  exit 1
fi

# 1. formatting warnings
if command -v groff > /dev/null 2>&1; then
  lint="groff -man -Tutf8 -ww -z"
  groff -man -Tutf8 -ww -z "$page" > "$tmp/lint" 2>&1
  rc=$?
elif command -v mandoc > /dev/null 2>&1; then
  lint="mandoc -Tlint -Wwarning"
  mandoc -Tlint -Wwarning "$page" > "$tmp/lint" 2>&1
  rc=$?
else
  lint=
  echo "cli man: SKIP the formatting check: neither groff nor mandoc is installed (Debian: apt-get install groff-base)"
fi
[ -n "$lint" ] && count=$((count + 1))
if [ -n "$lint" ] && { [ "$rc" -ne 0 ] || [ -s "$tmp/lint" ]; }; then
  fail "$lint $page: exit $rc, warnings:"
  sed 's/^/    /' "$tmp/lint"
fi

# The page's text with roff escapes undone, so that \-\-samples and
# \fB\-\-samples\fR both read --samples.
sed -e 's/\\-/-/g' -e 's/\\[&%]//g' -e 's/\\f[BIRP]//g' -e 's/\\f(..//g' -e 's/\\f\[[^]]*\]//g' \
  "$page" > "$tmp/page"

# 2 and 3. each command
sed -n '/^commands:/,/^$/p' "$tmp/help" | awk 'NR > 1 && NF { print $1 }' > "$tmp/commands"
if [ ! -s "$tmp/commands" ]; then
  fail "'$phonon --help' lists no commands (no 'commands:' section)"
fi
while read -r cmd; do
  count=$((count + 1))
  if ! "$phonon" "$cmd" --help > "$tmp/cmdhelp" 2> "$tmp/err"; then
    fail "'phonon $cmd --help' failed: $(head -n 1 "$tmp/err")"
    continue
  fi
  long_options < "$tmp/cmdhelp" > "$tmp/want"
  # the subsection: from `.SS cmd` (or `.SS "phonon cmd"`) to the next .SS/.SH
  awk -v cmd="$cmd" '
    /^\.S[SH]/ && inside { exit }
    /^\.SS/ {
      t = $0
      sub(/^\.SS[ \t]*/, "", t)
      gsub(/"/, "", t)
      sub(/^phonon[ \t]+/, "", t)
      sub(/[ \t]+$/, "", t)
      if (t == cmd) { inside = 1; next }
    }
    inside { print }' "$tmp/page" > "$tmp/section"
  if [ ! -s "$tmp/section" ]; then
    fail "$page has no subsection '.SS $cmd' documenting 'phonon $cmd'"
    continue
  fi
  long_options < "$tmp/section" > "$tmp/have"
  while read -r opt; do
    count=$((count + 1))
    grep -qx -- "$opt" "$tmp/have" ||
      fail "phonon $cmd $opt: listed by 'phonon $cmd --help' but not in the page's '.SS $cmd'"
  done < "$tmp/want"
  # the item tags: the line after each .TP
  awk '/^\.TP/ { tag = 1; next } tag { print; tag = 0 }' "$tmp/section" | long_options > "$tmp/tags"
  while read -r opt; do
    count=$((count + 1))
    grep -qx -- "$opt" "$tmp/want" ||
      fail "phonon $cmd $opt: an item of the page's '.SS $cmd' but not in 'phonon $cmd --help'"
  done < "$tmp/tags"
done < "$tmp/commands"

# 4. the global help's options
long_options < "$tmp/help" > "$tmp/want"
long_options < "$tmp/page" > "$tmp/have"
while read -r opt; do
  count=$((count + 1))
  grep -qx -- "$opt" "$tmp/have" || fail "phonon $opt: mentioned by 'phonon --help' but not in $page"
done < "$tmp/want"

if [ "$fails" -ne 0 ]; then
  echo "cli man: $fails of $count checks failed"
  exit 1
fi
echo "cli man: $count checks passed ($(wc -l < "$tmp/commands" | tr -d ' ') commands)"
