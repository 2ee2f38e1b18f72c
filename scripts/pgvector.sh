#!/usr/bin/env bash
# Build and install the pgvector extension for the local PostgreSQL 15 from
# Debian's trixie source package (bookworm does not package it). Idempotent:
# does nothing when the extension is already available.
set -euo pipefail

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config

available() {
  psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_available_extensions WHERE name = 'vector'" 2>/dev/null | grep -q 1
}

if available; then
  echo "pgvector: already available"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
# pg_config also ships with postgresql-client-15, so its presence says nothing
# about the build: what the build needs is the server headers.
headers_present() {
  [ -x "$PG_CONFIG" ] && [ -f "$("$PG_CONFIG" --includedir-server)/postgres.h" ]
}
if ! headers_present; then
  echo "pgvector: installing postgresql-server-dev-15 (server headers for the build)"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends postgresql-server-dev-15 make gcc >/dev/null
  headers_present || { echo "pgvector: postgres.h still missing after install" >&2; exit 1; }
fi
work=$(mktemp -d /tmp/pgvector.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/parts" "$work/lists/partial" "$work/src"
awk 'BEGIN{RS="";ORS="\n\n"} NR==1' /etc/apt/sources.list.d/debian.sources \
  | sed -e 's/^Types: deb$/Types: deb-src/' -e 's/^Suites: .*/Suites: trixie/' \
  > "$work/parts/trixie-src.sources"
APTO=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$work/parts" -o "Dir::State::Lists=$work/lists")
echo "pgvector: fetching Debian source package"
$SUDO apt-get "${APTO[@]}" update -qq
(cd "$work/src" && apt-get "${APTO[@]}" source --download-only pgvector >/dev/null)
cd "$work/src"
tar xzf pgvector_*.orig.tar.gz
cd pgvector-*/
echo "pgvector: building"
make -s PG_CONFIG="$PG_CONFIG" OPTFLAGS="" >/dev/null
$SUDO make -s install PG_CONFIG="$PG_CONFIG" OPTFLAGS="" >/dev/null
available && echo "pgvector: installed"
