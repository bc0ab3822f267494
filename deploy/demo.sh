#!/usr/bin/env bash
# One command for a new user: install what is missing, build Cascade, and run the server with the
# demo province (config/cascade.yaml) and the embedded SQLite database in ./data.
# On the first start it prints the administrator password once; open http://127.0.0.1:8080/.
set -euo pipefail
cd "$(dirname "$0")/.."
./deploy/install-dependencies.sh
swift build -c release --product cascade
exec .build/release/cascade serve --config config/cascade.yaml --data-dir ./data "$@"
