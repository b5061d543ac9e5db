#!/usr/bin/env bash
# A private PostgreSQL for ftm's job engine and result store: Debian's `postgresql` package (installed when
# missing), a cluster initdb'd in a directory of its own, listening on 127.0.0.1 on a free port. Idempotent: a
# cluster already running in that directory is reused. The last line printed is its JDBC URL.
#
#   scripts/postgres-up.sh [DIR]          start (or reuse) the cluster in DIR
#   scripts/postgres-up.sh --stop [DIR]   stop it
#
# DIR defaults to $FTM_PG_DIR, else ~/.cache/ftm/postgres; as root (PostgreSQL refuses to run as root, and the
# `postgres` user cannot enter /root) it defaults to /var/tmp/ftm-postgres, owned by `postgres`.
set -euo pipefail
log() { printf 'ftm postgres: %s\n' "$*" >&2; }

stop=0
if [ "${1:-}" = "--stop" ]; then stop=1; shift; fi
if [ "$(id -u)" = 0 ]; then default=/var/tmp/ftm-postgres; else default="${HOME}/.cache/ftm/postgres"; fi
DIR="${1:-${FTM_PG_DIR:-$default}}"
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
DATA="$DIR/data"
DB=ftm

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(bindir)" ]; then
  if [ "$stop" = 1 ]; then log "PostgreSQL is not installed: nothing to stop"; exit 0; fi
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      log "PostgreSQL is not installed and this is not root: apt-get install postgresql, then rerun"; exit 2; fi
  fi
  log "installing Debian's postgresql"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >&2
fi
BIN="$(bindir)"

# as root, every server command runs as the `postgres` user, who owns the cluster
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$DIR"
  as() { runuser -u postgres -- "$@"; }
  if ! as test -x "$DIR"; then
    log "$DIR: the postgres user cannot enter it (a parent directory is private); give a DIR outside /root"; exit 2
  fi
else
  as() { "$@"; }
fi

if [ "$stop" = 1 ]; then
  if [ -f "$DATA/postmaster.pid" ] && as "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    as "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2
    log "stopped the cluster in $DATA"
  else
    log "no cluster running in $DATA"
  fi
  exit 0
fi

if [ ! -f "$DATA/PG_VERSION" ]; then
  log "initdb in $DATA"
  as "$BIN/initdb" -D "$DATA" -U ftm --auth=trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
    || { cat "$DIR/initdb.log" >&2; exit 3; }
fi

port_of() { sed -n 4p "$DATA/postmaster.pid" 2>/dev/null; }
if as "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  PORT="$(port_of)"
  log "reusing the cluster running in $DATA on port $PORT"
else
  PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  log "starting PostgreSQL in $DATA on 127.0.0.1:$PORT"
  # the socket goes in the cluster's own directory, not /var/run/postgresql (which may not exist)
  as "$BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DATA -c max_connections=200" start >&2 \
    || { tail -20 "$DIR/server.log" >&2; exit 3; }
fi
if ! as "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U ftm -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" \
    | grep -q 1; then
  as "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U ftm "$DB"
fi
echo "jdbc:postgresql://127.0.0.1:$PORT/$DB?user=ftm"
