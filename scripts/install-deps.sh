#!/bin/sh
# install-deps.sh -- install what phonon needs to build, test and play.
#
#   scripts/install-deps.sh [--with-jack] [--with-sanitizers] [--check]
#
# Idempotent: when everything is present it only checks and exits quickly.
# Debian/Ubuntu (apt-get), Fedora (dnf), Arch (pacman) and macOS (brew).
# Needs root (or sudo) on Linux to install; --check only reports.
#
#   --with-jack        also what `make test` uses beyond the build: the JACK
#                      server (jackd2) for `make test-live`, and on Debian sox
#                      (with its mp3 handler), zsh, Emacs and Debian's sample
#                      libraries (sonic-pi-samples, hydrogen-drumkits) for the
#                      CLI tests that use them
#   --with-sanitizers  also clang-22 with its runtimes (RealtimeSanitizer), for
#                      `make sanitize`; falls back to the distribution's clang
#   --check            print what is missing and exit 1 if anything is
set -eu

with_jack=0 with_san=0 check=0
for a in "$@"; do
  case "$a" in
    --with-jack) with_jack=1 ;;
    --with-sanitizers) with_san=1 ;;
    --check) check=1 ;;
    -h|--help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "install-deps.sh: unknown option '$a'" >&2; exit 64 ;;
  esac
done
[ "${CI:-}" = true ] && with_jack=1 && with_san=1

say() { printf 'install-deps: %s\n' "$*" >&2; }

# Run a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else say "need root to run: $*"; exit 77; fi
}

debian() {
  pkgs="build-essential pkg-config portaudio19-dev libsndfile1-dev libsoxr-dev libcmocka-dev python3 mandoc liblo-dev libasound2-dev ableton-link-dev g++"
  [ $with_jack = 1 ] && pkgs="$pkgs jackd2 libjack-jackd2-dev sox libsox-fmt-mp3 zsh emacs-nox sonic-pi-samples hydrogen-drumkits"
  missing=""
  for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
      missing="$missing $p"
  done
  san=""
  if [ $with_san = 1 ]; then
    # clang-22 brings -fsanitize=realtime; older releases lack it, and then
    # `make sanitize` runs the ASan/UBSan/TSan builds with the default clang.
    for p in clang-22 libclang-rt-22-dev llvm; do
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
        san="$san $p"
    done
  fi
  if [ -z "$missing$san" ]; then say "all packages present"; return 0; fi
  if [ $check = 1 ]; then say "missing:$missing$san"; exit 1; fi
  say "installing:$missing$san"
  # Never a question: sudo drops the environment, so the frontend goes on
  # apt-get's own command line. jackd2 asks about real-time priority
  # through debconf; answer it up front.
  export DEBIAN_FRONTEND=noninteractive
  apt="env DEBIAN_FRONTEND=noninteractive apt-get"
  echo 'jackd2 jackd/tweak_rt_limits boolean false' | as_root debconf-set-selections 2>/dev/null || true
  as_root $apt update -qq || say "apt-get update failed; trying with the cached lists"
  if [ -n "$missing" ]; then
    as_root $apt install -y -qq --no-install-recommends $missing >/dev/null
  fi
  if [ -n "$san" ]; then
    as_root $apt install -y -qq --no-install-recommends $san >/dev/null ||
      { say "clang-22 is not available here; falling back to clang"; \
        as_root $apt install -y -qq --no-install-recommends clang llvm >/dev/null || true; }
  fi
}

fedora() {
  pkgs="gcc make pkgconf-pkg-config portaudio-devel libsndfile-devel soxr-devel libcmocka-devel python3 liblo-devel"
  [ $with_jack = 1 ] && pkgs="$pkgs jack-audio-connection-kit jack-audio-connection-kit-example-clients"
  [ $with_san = 1 ] && pkgs="$pkgs clang compiler-rt llvm"
  if rpm -q $pkgs >/dev/null 2>&1; then say "all packages present"; return 0; fi
  [ $check = 1 ] && { say "missing packages (rpm -q $pkgs)"; exit 1; }
  as_root dnf install -y $pkgs
}

arch() {
  pkgs="base-devel pkgconf portaudio libsndfile libsoxr cmocka python liblo"
  [ $with_jack = 1 ] && pkgs="$pkgs jack2"
  [ $with_san = 1 ] && pkgs="$pkgs clang compiler-rt llvm"
  if pacman -Q $pkgs >/dev/null 2>&1; then say "all packages present"; return 0; fi
  [ $check = 1 ] && { say "missing packages (pacman -Q $pkgs)"; exit 1; }
  as_root pacman -S --needed --noconfirm $pkgs
}

macos() {
  command -v brew >/dev/null 2>&1 || { say "install Homebrew first: https://brew.sh"; exit 69; }
  pkgs="pkg-config portaudio libsndfile libsoxr cmocka python3 liblo"
  [ $with_jack = 1 ] && pkgs="$pkgs jack"
  [ $with_san = 1 ] && pkgs="$pkgs llvm"
  missing=""
  for p in $pkgs; do brew list --versions "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  if [ -z "$missing" ]; then say "all packages present"; return 0; fi
  [ $check = 1 ] && { say "missing:$missing"; exit 1; }
  brew install $missing
}

case "$(uname -s)" in
  Darwin) macos ;;
  *)
    if command -v apt-get >/dev/null 2>&1; then debian
    elif command -v dnf >/dev/null 2>&1; then fedora
    elif command -v pacman >/dev/null 2>&1; then arch
    else say "unknown system: install a C compiler, make, pkg-config, PortAudio, libsndfile, libsoxr, cmocka, python3 (and liblo for the OSC tests)"; exit 69
    fi ;;
esac
