#!/usr/bin/env bash
# Configures (once) and builds Cartera with Ninja into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
# Warnings are errors here (development and CI); a plain cmake build, as
# users and packagers run it, leaves them warnings (CARTERA_WERROR=OFF).
if [ ! -f build/build.ninja ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCARTERA_WERROR=ON >/dev/null
fi
cmake --build build -j "$(nproc)"
# The web app and the debtor portal (web/ -> build/web, served by `cartera
# serve`); its API types come from the binary just built.
(cd web && npm run --silent build)
