#!/usr/bin/env bash
# make constraints: resolves the service's dependencies with the image's own Python (Debian
# bookworm's), whose environment markers can differ from the host's, and writes the versions
# to deploy/constraints.txt. Needs a running Docker engine.
set -euo pipefail
cd "$(dirname "$0")/../.."
extras=${IMAGE_EXTRAS:-postgresql,mysql}
deploy/docker/base-image.sh >/dev/null
PIP_CA_CERT=$(cat /usr/local/share/ca-certificates/*.crt 2>/dev/null || true)
export PIP_CA_CERT
resolved=$(docker run --rm --network host -e PIP_CA_CERT -e EXTRAS="$extras" \
  -v "$PWD/pyproject.toml:/in/pyproject.toml:ro" -v "$PWD/README.md:/in/README.md:ro" \
  -v "$PWD/src:/in/src:ro" debian:bookworm-slim sh -c '
  set -e
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends python3-venv ca-certificates >/dev/null
  if [ -n "$PIP_CA_CERT" ]; then
    printf "%s\n" "$PIP_CA_CERT" > /usr/local/share/ca-certificates/build-ca.crt
    update-ca-certificates >/dev/null
  fi
  cp -r /in /tmp/project
  python3 -m venv /tmp/venv
  export PIP_CERT=/etc/ssl/certs/ca-certificates.crt PIP_DISABLE_PIP_VERSION_CHECK=1
  /tmp/venv/bin/pip install --quiet "/tmp/project[$EXTRAS]"
  /tmp/venv/bin/pip freeze --exclude hexapi')
{ echo "# make constraints: what pip resolved for .[$extras] with $(docker run --rm \
    debian:bookworm-slim sh -c '. /etc/os-release && echo "$PRETTY_NAME"')'s Python, $(date -u +%F)"
  echo "$resolved"; } > deploy/constraints.txt
echo "wrote deploy/constraints.txt"
