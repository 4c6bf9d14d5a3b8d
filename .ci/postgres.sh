#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server for the history tests and prints the URL to use as
# SESSQL_TEST_PG_URL. Installs Debian's `postgresql` package when no server binaries are found.
# PostgreSQL refuses to run as root, so the cluster is owned by and run as the `postgres` user.
# Usage: .ci/postgres.sh [port]   (default 54329; data in /tmp/sessql-pg-<port>)
set -euo pipefail
PORT="${1:-54329}"
DATA="/tmp/sessql-pg-$PORT"

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(bindir)" ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "postgres.sh: PostgreSQL is not installed and this is not root" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
BIN="$(bindir)"
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
if ! as_pg "$BIN/pg_ctl -D $DATA status" >/dev/null 2>&1; then
  if [ ! -f "$DATA/PG_VERSION" ]; then
    mkdir -p "$DATA"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$DATA"
    as_pg "$BIN/initdb -D $DATA -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8" >&2
  fi
  # fsync off: a test server, losing it on a machine crash is fine
  as_pg "$BIN/pg_ctl -D $DATA -l $DATA/server.log -w -o '-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200' start" >&2
fi
as_pg "$BIN/psql -h 127.0.0.1 -p $PORT -U postgres -tAc \"SELECT 1 FROM pg_roles WHERE rolname='sessql'\"" | grep -q 1 \
  || as_pg "$BIN/psql -h 127.0.0.1 -p $PORT -U postgres -c \"CREATE ROLE sessql LOGIN PASSWORD 'sessql' CREATEDB\"" >&2
as_pg "$BIN/psql -h 127.0.0.1 -p $PORT -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='sessql_test'\"" | grep -q 1 \
  || as_pg "$BIN/psql -h 127.0.0.1 -p $PORT -U postgres -c \"CREATE DATABASE sessql_test OWNER sessql\"" >&2
echo "postgres://sessql:sessql@127.0.0.1:$PORT/sessql_test"
