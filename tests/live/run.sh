#!/bin/sh
# tests/live/run.sh -- `make test-live`: real-time tests on a JACK dummy
# server (scripts/with-jack-dummy.sh), one at a time, never beside a build.
# Env: PHONON (the binary), TEST_AUDIO (build/test_audio).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if ! command -v jackd >/dev/null 2>&1; then
  if [ "${CI:-}" = true ]; then
    echo "test-live: jackd is missing (scripts/install-deps.sh --with-jack)" >&2
    exit 1
  fi
  echo "test-live: skipped: no JACK server here (make deps DEPS_FLAGS=--with-jack)"
  exit 0
fi
status=0
sh "$here/audio_smoke.sh" "${TEST_AUDIO:-$root/build/test_audio}" || { rc=$?; [ $rc -eq 77 ] || status=1; }
if [ -f "$here/reload.sh" ]; then
  sh "$here/reload.sh" || status=1
fi
exit $status
