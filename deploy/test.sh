#!/usr/bin/env bash
# One command for the whole test suite: install what is missing, build, run every test.
# Media tests run real GStreamer pipelines and processes; they run one at a time so that a
# 2-core machine is not oversubscribed. When a test fails, its issues are repeated at the end of
# the output, so that the last lines of a long log say which test failed and where.
set -euo pipefail
cd "$(dirname "$0")/.."
./deploy/install-dependencies.sh --test-tools
swift build --build-tests
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
swift test --skip-build --no-parallel 2>&1 | tee "$log" || status=$?
if [ "$status" -ne 0 ]; then
    echo "---- what failed (repeated from above) ----"
    grep -E '✘|recorded an issue|Expectation failed|Fatal error|error:' "$log" | grep -v '^✘ Test run with' | tail -n 60 || true
fi
exit "$status"
