#!/usr/bin/env bash
# make docker-check: builds the images, brings the compose stack up (3 instances behind nginx),
# runs the smoke and scale-out test through the proxy, and tears everything down, even on
# failure. It starts its own Docker engine when none answers (no bridge, no firewall rule,
# no IP forwarding) and stops it again; as root it installs what is missing from Debian.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export COMPOSE_PROJECT_NAME=hexapicheck
# Every client of the check shares one address: the default limit would refuse the load.
export RATELIMIT_DEFAULT="100000 per minute"
work=$(mktemp -d)
export SECRETS_ENV="$work/secrets.env"
compose=(docker-compose -f "$root/deploy/compose/docker-compose.yml")
started=$(date +%s)
dockerd_pid=""
service_build=""

seconds() { echo $(($(date +%s) - $1)); }
milliseconds() { echo $(($(date +%s%N) / 1000000)); }
host_network_state() { { iptables -S 2>/dev/null; ip6tables -S 2>/dev/null; cat /proc/sys/net/ipv4/ip_forward; } | sort; }

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null \
    || { echo "install ${missing[*]} first" >&2; exit 1; }
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
network_before=$(host_network_state)

cleanup() {
  status=$?
  set +e
  # A build still running is cancelled first: --force-rm then removes its container.
  if [ -n "$service_build" ] && kill -0 "$service_build" 2>/dev/null; then
    kill "$service_build"
    wait "$service_build"
  fi
  "${compose[@]}" down --volumes --remove-orphans --timeout 35 >/dev/null 2>&1
  if [ -n "$dockerd_pid" ]; then
    kill "$dockerd_pid" && while kill -0 "$dockerd_pid" 2>/dev/null; do sleep 0.2; done
    echo "Docker engine stopped"
  fi
  rm -rf "$work"
  if [ "$(host_network_state)" != "$network_before" ]; then
    echo "the host's firewall or IP forwarding changed" >&2
    status=1
  fi
  echo "docker-check: $( [ $status -eq 0 ] && echo passed || echo FAILED ) in $(seconds "$started") s"
  exit $status
}
trap cleanup EXIT

if ! docker info >/dev/null 2>&1; then
  dockerd --iptables=false --ip-forward=false --bridge=none >"$work/dockerd.log" 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { cat "$work/dockerd.log" >&2; exit 1; }
  echo "Docker engine started (pid $dockerd_pid)"
fi

base_started=$(date +%s)
deploy/docker/base-image.sh >/dev/null
echo "base image ready in $(seconds "$base_started") s"
# Where outbound HTTPS is re-signed, the host trusts the signing CA: hand it to pip.
PIP_CA_CERT=$(cat /usr/local/share/ca-certificates/*.crt 2>/dev/null || true)
export PIP_CA_CERT
build_started=$(date +%s)
# The service image beside the three others (their build reads no secret: an empty env file).
docker build --quiet --force-rm --network host --build-arg PIP_CA_CERT -t hexapi:local . >/dev/null &
service_build=$!
: > "$work/empty.env"
SECRETS_ENV="$work/empty.env" "${compose[@]}" build --quiet --force-rm --parallel postgres redis proxy
wait "$service_build"
echo "images built in $(seconds "$build_started") s;" \
  "hexapi:local is $(docker image inspect -f '{{.Size}}' hexapi:local | awk '{printf "%.0f MB", $1/1e6}')"
deploy/compose/secrets.sh "$SECRETS_ENV" >/dev/null

# The image holds exactly the pinned versions (make constraints regenerates them).
if ! diff <(grep -v '^#' deploy/constraints.txt | sort -f) \
          <(docker run --rm --network none --entrypoint cat hexapi:local /opt/hexapi/installed.txt | sort -f); then
  echo "the image's packages differ from deploy/constraints.txt: run make constraints" >&2
  exit 1
fi

up_started=$(milliseconds)
"${compose[@]}" up -d
python3 - <<'PY'
import time, urllib.request
deadline = time.monotonic() + 120
while True:
    try:
        with urllib.request.urlopen("http://127.0.0.1:18500/readyz", timeout=2) as answer:
            if answer.status == 200:
                break
    except OSError:
        if time.monotonic() > deadline:
            raise SystemExit("the stack is not ready after 120 s")
    time.sleep(0.2)
PY
echo "stack ready $(( $(milliseconds) - up_started )) ms after up"
(cd deploy/compose && python3 smoke.py)
