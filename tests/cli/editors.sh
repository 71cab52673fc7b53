#!/bin/sh
# tests/cli/editors.sh -- the editor syntax files (Vim, Emacs, VS Code) and
# shell completions (bash, zsh) are what scripts/gen-editors.py makes from
# the name tables and phonon --help (`make editors`); the bash completion
# loads and completes commands, options, option values, .ph files and
# sample names; the zsh one parses (when zsh is installed); the JSON files
# parse; Vim loads the syntax and knows the names; Emacs byte-compiles the
# mode (when installed).
# Env: PHONON (the binary, default ./phonon), BUILD (default build).
set -u
phonon=${PHONON:-./phonon}
build=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
count=0
fail() { echo "FAIL editors: $*"; fails=$((fails + 1)); }
# sample names from the kit alone: no roots of the user running the tests
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/xdg"
unset PHONON_SAMPLES

count=$((count + 1))
if [ -x "$build/gen-language" ]; then
  python3 "$top/scripts/gen-editors.py" "$build/gen-language" "$phonon" "$tmp/gen" || fail "the generator failed"
  for f in $(cd "$tmp/gen" && find . -type f | sort); do
    cmp -s "$tmp/gen/$f" "$top/$f" || fail "$f is out of date (run make editors)"
  done
else
  fail "no $build/gen-language"
fi

# bash: load, then complete
cat > "$tmp/c.bash" << 'SH'
. "$1"
phonon() { "$PHONON_BIN" "$@"; }
comp() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _phonon; echo "${COMPREPLY[*]}"; }
cd "$2"
echo "1:$(comp phonon ren)"
echo "2:$(comp phonon render --cyc)"
echo "3:$(comp phonon render --format s2)"
echo "4:$(comp phonon help ch)"
echo "5:$(comp phonon samples b)"
echo "6:$(comp phonon check d)"
echo "8:$(comp phonon samples --outp)"
SH
mkdir -p "$tmp/dir"
: > "$tmp/dir/demo.ph"
: > "$tmp/dir/data.txt"
count=$((count + 1))
PHONON_BIN=$(cd "$(dirname "$phonon")" && pwd)/$(basename "$phonon") \
  bash "$tmp/c.bash" "$top/completions/phonon.bash" "$tmp/dir" > "$tmp/out" 2> "$tmp/err" ||
  fail "bash could not load the completion: $(cat "$tmp/err")"
expect() {
  count=$((count + 1))
  got=$(sed -n "s/^$1://p" "$tmp/out")
  [ "$got" = "$2" ] || fail "bash completion $1: '$got', want '$2'"
}
expect 1 "render"
expect 2 "--cycles"
expect 3 "s24"
expect 4 "check"
expect 5 "bass bd"
expect 6 "demo.ph"
expect 8 "--output"
count=$((count + 1))
[ ! -s "$tmp/err" ] || fail "bash completion wrote to stderr: $(cat "$tmp/err")"

if command -v zsh > /dev/null 2>&1; then
  count=$((count + 1))
  zsh -n "$top/completions/_phonon" 2> "$tmp/err" || fail "zsh cannot parse _phonon: $(cat "$tmp/err")"
  count=$((count + 1))
  zsh -f -c "fpath=($top/completions \$fpath); autoload -Uz compinit; compinit -u -D; (( \$+_comps[phonon] ))" \
    2> "$tmp/err" || fail "zsh does not register _phonon for phonon: $(cat "$tmp/err")"
  # the function run with zsh's completion helpers stubbed: what it offers
  count=$((count + 1))
  zsh -f -c '
    _describe() { print -r -- "describe: ${(P)${@[-1]}}" }
    _arguments() { print -rl -- "$@" }
    _files() { }
    words=(phonon ""); CURRENT=2
    source "$1"
    words=(phonon render --cy); CURRENT=3
    source "$1"' zsh "$top/completions/_phonon" > "$tmp/zout" 2> "$tmp/err"
  grep -q "^describe: live:play" "$tmp/zout" && grep -q "^--cycles\[render N cycles" "$tmp/zout" &&
    grep -q '^\*:pattern file:_files -g "\*.ph"' "$tmp/zout" && [ ! -s "$tmp/err" ] ||
    fail "zsh's _phonon offers: $(head -c 300 "$tmp/zout") $(cat "$tmp/err")"
fi

count=$((count + 1))
for j in package.json language-configuration.json syntaxes/phonon.tmLanguage.json; do
  python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$top/editor/vscode/$j" 2> "$tmp/err" ||
    fail "editor/vscode/$j is not JSON: $(tail -n 1 "$tmp/err")"
done
count=$((count + 1))
python3 - "$top/editor/vscode/syntaxes/phonon.tmLanguage.json" << 'PY' || fail "the TextMate grammar's regexes"
import json, re, sys
g = json.load(open(sys.argv[1]))
pat = {p["name"]: p for p in g["patterns"]}
m = re.compile(pat["entity.name.function.pattern.phonon"]["match"])
assert m.search("x $ fast 2") and m.search("every' 3") and not m.search("fastest"), "pattern names"
assert re.search(pat["keyword.control.statement.phonon"]["match"], 'bpm: 120'), "statements"
PY

if command -v vim > /dev/null 2>&1; then
  count=$((count + 1))
  vim -u NONE -N -es -c "syntax on" -c "source $top/editor/vim/syntax/phonon.vim" \
    -c "redir! > $tmp/vim" -c "silent syn list phononPattern" -c "silent syn list phononSound" -c "redir END" -c "qa!" \
    < /dev/null > /dev/null 2>&1
  grep -qw fast "$tmp/vim" && grep -qw lpf "$tmp/vim" || fail "Vim's syntax lacks fast or lpf: $(head -c 300 "$tmp/vim")"
fi
if command -v emacs > /dev/null 2>&1; then
  count=$((count + 1))
  cp "$top/editor/emacs/phonon-mode.el" "$tmp/"
  emacs -Q --batch -f batch-byte-compile "$tmp/phonon-mode.el" > "$tmp/err" 2>&1 ||
    fail "Emacs cannot byte-compile phonon-mode.el: $(tail -n 3 "$tmp/err")"
  # the mode opens .ph files and colours each kind of name
  count=$((count + 1))
  printf 'out: s "bd*4" # lpf 800 0.5 -- note\n~b: fast 2 $ s "hh"\n' > "$tmp/t.ph"
  cat > "$tmp/t.el" << 'EOF'
(add-to-list 'load-path (file-name-directory load-file-name))
(require 'phonon-mode)
(find-file (expand-file-name "t.ph" (file-name-directory load-file-name)))
(font-lock-ensure)
(defun phonon-test-face (s)
  (goto-char (point-min)) (search-forward s) (get-text-property (match-beginning 0) 'face))
(princ (format "%s %s %s %s %s %s %s\n" major-mode (phonon-test-face "fast") (phonon-test-face "lpf")
               (phonon-test-face "bd*4") (phonon-test-face "note") (phonon-test-face "out")
               (phonon-test-face "~b")))
EOF
  got=$(emacs -Q --batch -l "$tmp/t.el" 2>&1 | tail -n 1)
  want="phonon-mode font-lock-function-name-face font-lock-type-face font-lock-string-face font-lock-comment-face font-lock-keyword-face font-lock-variable-name-face"
  [ "$got" = "$want" ] || fail "Emacs: mode and faces '$got', want '$want'"
else
  echo "cli editors: emacs not installed; its checks skipped"
fi

if [ "$fails" -ne 0 ]; then
  echo "cli editors: $fails of $count checks failed"
  exit 1
fi
echo "cli editors: $count checks passed"
