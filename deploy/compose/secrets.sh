#!/usr/bin/env bash
# secrets.sh [FILE]: writes FILE (deploy/compose/secrets.env by default, mode 0600) unless it
# exists: random passwords, a session key and a new JWK set, made with the service image itself.
set -euo pipefail
target="${1:-$(dirname "$0")/secrets.env}"
[ -e "$target" ] && { echo "kept $target"; exit 0; }
generated=$(docker run --rm --network none --read-only --tmpfs /tmp --entrypoint sh hexapi:local -c '
  set -e
  TOKEN_KEYS_FILE=/tmp/keys.json flask --app api keys generate >/dev/null
  python3 - <<PY
import json, secrets
token = secrets.token_urlsafe
pg, redis = token(24), token(24)
keys = json.dumps(json.load(open("/tmp/keys.json")), separators=(",", ":"))
print(f"SECRET_KEY={token(48)}")
print(f"TOKEN_KEYS={keys}")
print(f"POSTGRES_USER=hexapi\nPOSTGRES_DB=hexapi\nPOSTGRES_PASSWORD={pg}")
print(f"DATABASE_URL=postgresql+psycopg://hexapi:{pg}@127.0.0.1:18532/hexapi")
print(f"REDIS_PASSWORD={redis}")
print(f"REDIS_URL=redis://:{redis}@127.0.0.1:18579/0")
PY')
(umask 077 && printf '%s\n' "$generated" > "$target")
echo "wrote $target"
