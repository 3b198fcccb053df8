#!/bin/sh
# hexapi-upstreams [drain|restore ADDRESS]: writes the instances nginx may send requests to,
# from UPSTREAMS (space-separated host:port), marking drained ones down; with an argument it
# also reloads nginx gracefully (requests in flight finish on the old workers).
set -eu
: "${UPSTREAMS:?UPSTREAMS (host:port ...) is required}"
dir=/tmp/nginx
state=$dir/drained
mkdir -p "$dir"
touch "$state"
case "${1:-}" in
  drain) echo "$2" >> "$state" ;;
  restore) { grep -vxF "$2" "$state" || true; } > "$state.new"; mv "$state.new" "$state" ;;
  "") ;;
  *) echo "usage: hexapi-upstreams [drain|restore ADDRESS]" >&2; exit 2 ;;
esac
{
  echo "upstream hexapi {"
  # One failure state for every nginx worker: without a zone each worker finds a dead
  # instance on its own, sending it a request (a lost write, if it was a POST) per worker.
  echo "    zone hexapi 64k;"
  for address in $UPSTREAMS; do
    down=""
    grep -qxF "$address" "$state" && down=" down"
    # Passive health checks: an instance that refuses or drops a connection is skipped for
    # fail_timeout, then tried again.
    echo "    server $address max_fails=1 fail_timeout=3s$down;"
  done
  echo "}"
} > "$dir/upstreams.conf.new"
mv "$dir/upstreams.conf.new" "$dir/upstreams.conf"
if [ -n "${1:-}" ]; then nginx -s reload; fi
