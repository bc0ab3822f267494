#!/usr/bin/env bash
# Regenerates docs/screenshots/: runs the web application's browser test (a real server with real
# media, driven in Debian's chromium) with its full-page screenshots written there, numbered in the
# order the test visits the screens.
set -euo pipefail
cd "$(dirname "$0")/.."
./deploy/install-dependencies.sh --test-tools
swift build --build-tests
rm -rf docs/screenshots
mkdir -p docs/screenshots
CASCADE_SCREENSHOTS="$PWD/docs/screenshots" swift test --skip-build --filter WebApplicationBrowserTests
ls docs/screenshots
