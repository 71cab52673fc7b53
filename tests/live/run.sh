#!/bin/sh
# tests/live/run.sh -- `make test-live`: real-time tests on a JACK dummy
# server (scripts/with-jack-dummy.sh), one at a time, never beside a build:
# the audio output (audio_smoke.sh), live reload (reload.sh), programs that
# once took live down (hostile.sh), how live ends (signals.sh), two live
# processes on one Ableton Link session (link.sh) and, in CI
# (CI=true), a one-minute soak (soak.sh; `make soak-live` runs ten).
# The list and the counting live in tests/run.sh (its live stage): each
# script is one unit; without the JACK tools each prints "SKIP: reason" and
# counts as skipped (a failure in CI).
# Env: PHONON (the binary), BUILD (build; the test program is
# $BUILD/test_audio).
set -u
here=$(cd "$(dirname "$0")" && pwd)
TEST_LABEL=${TEST_LABEL:-test-live} exec sh "$here/../run.sh" live
