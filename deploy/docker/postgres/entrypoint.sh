#!/bin/sh
# First start: a cluster with password logins and the service's own role and database
# (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB). Then the server, on loopback only.
set -eu
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}"
: "${POSTGRES_USER:=hexapi}" "${POSTGRES_DB:=hexapi}" "${POSTGRES_PORT:=5432}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  initdb --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 \
    --username=postgres -D "$PGDATA" >/dev/null
  postgres --single -D "$PGDATA" postgres >/dev/null <<SQL
CREATE ROLE "$POSTGRES_USER" LOGIN PASSWORD '$POSTGRES_PASSWORD';
CREATE DATABASE "$POSTGRES_DB" OWNER "$POSTGRES_USER";
SQL
fi
exec postgres -D "$PGDATA" -c listen_addresses="${POSTGRES_LISTEN:-127.0.0.1}" \
  -p "$POSTGRES_PORT" -c unix_socket_directories=/tmp -c max_connections=200
