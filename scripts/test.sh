#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, starts a
# throw-away PostgreSQL cluster, runs every test on SQLite and PostgreSQL,
# and stops the cluster. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build.sh

# PostgreSQL refuses to run as root: the cluster belongs to the postgres
# user the Debian package creates. A socket in a private directory keeps
# parallel runs apart.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
pg_dir=$(mktemp -d /tmp/cartera-pg.XXXXXX)
pg_port=$(( 20000 + RANDOM % 20000 ))
stop_postgres() {
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap stop_postgres EXIT
chown postgres "$pg_dir"
runuser -u postgres -- "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres --no-sync >/dev/null
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
  -o "-p $pg_port -k $pg_dir -c listen_addresses='' -c fsync=off -c full_page_writes=off" start >/dev/null
export CARTERA_TEST_POSTGRES_URL="postgresql:///postgres?host=$pg_dir&port=$pg_port&user=postgres"
echo "PostgreSQL test cluster on $pg_dir port $pg_port"

cd build
ctest --output-on-failure -j 2 "$@"
