#!/bin/sh
# tests/live/run.sh -- `make test-live`: real-time tests on a JACK dummy
# server (scripts/with-jack-dummy.sh), one at a time, never beside a build:
# the audio output (audio_smoke.sh), live reload (reload.sh), programs that
# once took live down (hostile.sh), how live ends (signals.sh) and, in CI
# (CI=true), a one-minute soak (soak.sh; `make soak-live` runs ten).
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
sh "$here/reload.sh" || { rc=$?; [ $rc -eq 77 ] || status=1; }
sh "$here/hostile.sh" || { rc=$?; [ $rc -eq 77 ] || status=1; }
sh "$here/signals.sh" || { rc=$?; [ $rc -eq 77 ] || status=1; }
# CI also soaks for a minute (make soak-live runs the 10-minute one)
if [ "${CI:-}" = true ]; then
  SOAK_SECONDS=${SOAK_SECONDS:-60} sh "$here/soak.sh" || { rc=$?; [ $rc -eq 77 ] || status=1; }
fi
exit $status
