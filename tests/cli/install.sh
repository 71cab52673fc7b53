#!/bin/sh
# tests/cli/install.sh -- `make install` and `make uninstall` into temporary
# prefixes.
#
# The build's objects are copied into a build directory of the test's own
# (so the tree's ./phonon is not touched), then `make install PREFIX=A
# DESTDIR=D` must rebuild sample.o (it holds the compiled-in data path) and
# install the binary, both man pages, the kit, the example patterns and the
# completion and editor files. The installed binary finds its kit in A; the
# staged tree moved elsewhere as a whole finds it relative to itself
# (../share/phonon). `make uninstall` removes exactly what was installed: a
# sample the user added stays, nothing else.
# Env: MAKE (default make), BUILD (the tree's build directory, default build).
set -u
make=${MAKE:-make}
build=${BUILD:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
count=0
fail() { echo "FAIL install: $*"; fails=$((fails + 1)); }
check() { count=$((count + 1)); }

[ -f "$build/sample.o" ] || { echo "SKIP install: no $build/sample.o (build first)"; exit 0; }
mkdir -p "$tmp/build"
cp -p "$build"/*.o "$tmp/build/"
echo /nowhere > "$tmp/build/prefix"

prefix=$tmp/opt/phonon
stage=$tmp/stage
check
if ! $make --no-print-directory BUILD="$tmp/build" PREFIX="$prefix" DESTDIR="$stage" install \
     > "$tmp/log" 2>&1; then
  fail "make install failed: $(tail -n 3 "$tmp/log")"
fi
check
grep -q -- "-o $tmp/build/sample.o" "$tmp/log" || fail "sample.o was not rebuilt for the new PREFIX"
check
grep -q -- "-o $tmp/build/voice_scalar.o" "$tmp/log" && fail "objects that do not depend on PREFIX were rebuilt"
root=$stage$prefix
for f in bin/phonon share/man/man1/phonon.1 share/man/man7/phonon-language.7 \
         share/phonon/samples/bd/bd_0.wav share/phonon/patterns/demo.ph \
         share/bash-completion/completions/phonon share/zsh/site-functions/_phonon \
         share/vim/vimfiles/syntax/phonon.vim share/emacs/site-lisp/phonon-mode.el; do
  check
  [ -f "$root/$f" ] || fail "$f not installed"
done
check
strings "$root/bin/phonon" | grep -qF "$prefix/share/phonon" || fail "the binary lacks the compiled-in $prefix"

# The staged tree, moved as a whole, finds its own kit.
mv "$root" "$tmp/moved"
check
env -u PHONON_SAMPLES HOME="$tmp/home" XDG_DATA_HOME= "$tmp/moved/bin/phonon" samples > "$tmp/out" 2>&1
grep -qF "$tmp/moved/share/phonon/samples  (kit;" "$tmp/out" ||
  fail "the moved install does not find its kit: $(cat "$tmp/out" | head -n 3)"
check
printf 'out: s "bd sn"\n' > "$tmp/a.ph"
env -u PHONON_SAMPLES HOME="$tmp/home" "$tmp/moved/bin/phonon" render -q --cycles 1 "$tmp/a.ph" "$tmp/a.wav" ||
  fail "the moved install cannot render with its kit"
mkdir -p "$root"
rmdir "$root"
mv "$tmp/moved" "$root"

# uninstall: a sample the user added stays, every installed file goes.
mkdir -p "$root/share/phonon/samples/mine"
: > "$root/share/phonon/samples/mine/kick.wav"
check
$make --no-print-directory BUILD="$tmp/build" PREFIX="$prefix" DESTDIR="$stage" uninstall > "$tmp/log" 2>&1 ||
  fail "make uninstall failed: $(tail -n 3 "$tmp/log")"
check
left=$(cd "$stage" && find . -type f | sort)
[ "$left" = "./${prefix#/}/share/phonon/samples/mine/kick.wav" ] || fail "after uninstall: '$left'"

if [ "$fails" -ne 0 ]; then
  echo "cli install: $fails of $count checks failed"
  exit 1
fi
echo "cli install: $count checks passed"
