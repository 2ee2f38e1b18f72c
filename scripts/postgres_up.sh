#!/usr/bin/env bash
# Make sure the local PostgreSQL answers on 127.0.0.1:5432 (start it if down)
# and that the databases the tests and `make run --postgres` use exist.
set -euo pipefail

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
ready() { pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1; then
  echo "postgres: client tools not found; PostgreSQL tests will skip (fail under CI=true)" >&2
  exit 0
fi
if ! ready; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "postgres: starting local cluster"
    for version in $(ls /etc/postgresql); do
      pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    done
  fi
  for _ in $(seq 1 30); do ready && break; sleep 1; done
fi
if ! ready; then
  echo "postgres: not reachable on $PGHOST:$PGPORT" >&2
  exit 1
fi
for db in yescount yescount_test; do
  psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 \
    || psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -qc "CREATE DATABASE $db"
done
echo "postgres: ready on $PGHOST:$PGPORT (databases yescount, yescount_test)"
