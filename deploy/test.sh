#!/usr/bin/env bash
# One command for the whole test suite: install what is missing, build, run every test.
# Media tests run real GStreamer pipelines and processes; they run one at a time so that a
# 2-core machine is not oversubscribed.
set -euo pipefail
cd "$(dirname "$0")/.."
./deploy/install-dependencies.sh
swift build --build-tests
swift test --skip-build --no-parallel
