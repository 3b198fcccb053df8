#!/bin/sh
# The password goes into a config file on /tmp, never onto the command line (ps would show it).
# Revocations must survive a restart and never be evicted: append-only file, noeviction.
set -eu
: "${REDIS_PASSWORD:?REDIS_PASSWORD is required}"
umask 077
cat > /tmp/redis.conf <<CONF
bind ${REDIS_BIND:-127.0.0.1}
port ${REDIS_PORT:-6379}
requirepass $REDIS_PASSWORD
dir /data
appendonly yes
maxmemory-policy noeviction
save ""
CONF
exec redis-server /tmp/redis.conf
