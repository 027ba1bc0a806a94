#!/usr/bin/env bash
# Fuzzes the API's JSON request reader with libFuzzer (clang from Debian)
# for a bounded time: scripts/fuzz.sh [SECONDS] (default 60). Findings are
# written to build-fuzz/findings; a crash exits non-zero with its input.
#
# clang 14 cannot compile libstdc++ 12's <expected>: fuzz/expected_compat.h
# stands in for it in this build only (it says why).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
command -v clang++ > /dev/null || { echo "clang++ is missing: apt-get install clang"; exit 2; }
mkdir -p build-fuzz/corpus build-fuzz/findings
sources=(fuzz/json_request_fuzzer.cc src/api/api_call.cc src/api/json_fields.cc src/api/problem.cc
         src/access/secrets.cc src/core/text_check.cc src/core/date.cc src/core/time_zone.cc
         src/store/database.cc src/store/sqlite_database.cc src/store/postgres_database.cc src/store/postgres_copy.cc
         src/store/retry.cc)
clang++ -std=c++2b -include fuzz/expected_compat.h -g -O1 \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -Isrc -I/usr/include/postgresql "${sources[@]}" \
  -o build-fuzz/json_request_fuzzer $(pkg-config --libs libsodium sqlite3) -lpq -lfmt -ldate-tz
# Seeds: bodies the API takes.
printf '%s' '{"customer":"CLI-000001","date":"2026-12-01","amount":"1500.00","note":"llamó"}' > build-fuzz/corpus/promise.json
printf '%s' '{"contact":{"email":"a@b.co"},"events":["payment.received"],"days":30,"dry_run":true}' > build-fuzz/corpus/nested.json
cd build-fuzz
./json_request_fuzzer -max_total_time="$seconds" -max_len=4096 -artifact_prefix=findings/ corpus
