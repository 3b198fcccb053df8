#!/usr/bin/env bash
# Replaces the instances one at a time (a new image or new settings) without failing a request:
# each is drained from the proxy, stopped gracefully (SIGTERM), recreated, and put back once
# healthy. Run after the migration job when the schema changes (expand first, see docs/operations.md).
set -euo pipefail
cd "$(dirname "$0")"
compose=(docker-compose -p "${COMPOSE_PROJECT_NAME:-hexapi}")
proxy=$("${compose[@]}" ps -q proxy)

health() { docker inspect -f '{{.State.Health.Status}}' "$1" 2>/dev/null || true; }

for service in ${INSTANCE_SERVICES:-app1 app2 app3}; do
  container=$("${compose[@]}" ps -q "$service")
  address=$(docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$container" \
    | sed -n 's/^BIND=//p')
  docker exec "$proxy" hexapi-upstreams drain "$address"
  sleep 1  # requests the old nginx workers hold finish on the instance
  "${compose[@]}" up -d --no-deps --force-recreate "$service"
  container=$("${compose[@]}" ps -q "$service")
  for _ in $(seq 1 120); do [ "$(health "$container")" = healthy ] && break; sleep 0.5; done
  [ "$(health "$container")" = healthy ] || { echo "$service is not healthy" >&2; exit 1; }
  docker exec "$proxy" hexapi-upstreams restore "$address"
  echo "$service replaced"
done
