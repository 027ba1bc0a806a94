#!/usr/bin/env bash
# Installs what is missing, builds, creates ./cartera.db with a realistic
# demo portfolio and shows it. Extra arguments go to `cartera demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
./build/src/cli/cartera demo "$@"
