#!/usr/bin/env bash
# The API's tests against a real `cartera serve`, on SQLite and (when
# CARTERA_TEST_POSTGRES_URL names a cluster) PostgreSQL. Debian's python3
# has python3-jsonschema; the first python3 on PATH may not.
set -euo pipefail
backend=${1:?sqlite or postgres}
export CARTERA_BIN=${CARTERA_BIN:?the cartera binary}
export CARTERA_API_BACKEND=$backend
if [ "$backend" = postgres ] && [ -z "${CARTERA_TEST_POSTGRES_URL:-}" ]; then
  echo "SKIPPED: CARTERA_TEST_POSTGRES_URL is not set, so the PostgreSQL API tests do not run"
  exit 0
fi
cd "$(dirname "$0")"
pattern=${2:-test_*.py}
exec /usr/bin/python3 -m unittest discover -s . -p "$pattern" -v
