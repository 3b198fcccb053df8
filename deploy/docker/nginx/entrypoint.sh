#!/bin/sh
set -eu
hexapi-upstreams
exec nginx -g "daemon off;"
