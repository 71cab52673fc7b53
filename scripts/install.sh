#!/bin/sh
# install.sh -- `make install` and `make uninstall`: one list of what phonon
# installs, so that uninstall removes exactly that (and never a file a user
# added beside it, such as their own samples in PREFIX/share/phonon/samples).
#
#   sh scripts/install.sh install   BINARY DEST PREFIX
#   sh scripts/install.sh uninstall BINARY DEST PREFIX
#   sh scripts/install.sh list      BINARY DEST PREFIX   (what would be installed)
#
# DEST is $(DESTDIR)$(PREFIX). What goes where (relative to DEST):
#   bin/phonon                                      the binary
#   share/man/man1/phonon.1, share/man/man7/phonon-language.7
#   share/bash-completion/completions/phonon        bash completion
#   share/zsh/site-functions/_phonon                zsh completion
#   share/phonon/samples/NAME/FILE                  the kit (samples/)
#   share/phonon/patterns/*.ph                      example patterns
#   share/phonon/editor/...                         editor files (editor/)
#   share/vim/vimfiles/{syntax,ftdetect}/phonon.vim Vim picks these up
#   share/emacs/site-lisp/phonon-mode.el            Emacs
# The binary finds PREFIX/share/phonon relative to itself (../share/phonon),
# so a DESTDIR tree moved elsewhere as a whole still finds its kit.
set -eu
action=$1 bin=$2 dest=$3
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

# Every installed file as "MODE SOURCE TARGET" (TARGET relative to DEST).
manifest() {
  echo "755 $bin bin/phonon"
  echo "644 man/phonon.1 share/man/man1/phonon.1"
  echo "644 man/phonon-language.7 share/man/man7/phonon-language.7"
  [ -f completions/phonon.bash ] && echo "644 completions/phonon.bash share/bash-completion/completions/phonon"
  [ -f completions/_phonon ] && echo "644 completions/_phonon share/zsh/site-functions/_phonon"
  [ -f editor/vim/syntax/phonon.vim ] && echo "644 editor/vim/syntax/phonon.vim share/vim/vimfiles/syntax/phonon.vim"
  [ -f editor/vim/ftdetect/phonon.vim ] && echo "644 editor/vim/ftdetect/phonon.vim share/vim/vimfiles/ftdetect/phonon.vim"
  [ -f editor/emacs/phonon-mode.el ] && echo "644 editor/emacs/phonon-mode.el share/emacs/site-lisp/phonon-mode.el"
  for f in samples/README.md samples/*/*; do
    [ -f "$f" ] && echo "644 $f share/phonon/$f"
  done
  for f in patterns/*.ph; do
    [ -f "$f" ] && echo "644 $f share/phonon/$f"
  done
  if [ -d editor ]; then
    find editor -type f | LC_ALL=C sort | while read -r f; do echo "644 $f share/phonon/$f"; done
  fi
}

case $action in
list)
  manifest | cut -d' ' -f3
  ;;
install)
  manifest | while read -r mode src target; do
    mkdir -p "$dest/$(dirname "$target")"
    install -m "$mode" "$src" "$dest/$target"
  done
  ;;
uninstall)
  # the files, then the folders they were in, deepest first, while empty
  manifest | while read -r mode src target; do
    rm -f "$dest/$target"
    d=$(dirname "$target")
    while [ "$d" != . ] && rmdir "$dest/$d" 2>/dev/null; do
      d=$(dirname "$d")
    done
  done
  ;;
*)
  echo "usage: sh scripts/install.sh install|uninstall|list BINARY DEST" >&2
  exit 64
  ;;
esac
