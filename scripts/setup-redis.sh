#!/usr/bin/env bash
# Prepares the local Redis 7 (127.0.0.1:6379) for the Redis database plugin's tests: an ACL user `ward_admin` with
# every permission. The CI Redis keeps nothing on disk, so this runs at every CI start; it is idempotent (`reset`
# first, so a re-run with another password leaves exactly one). The `default` user is left as it is and checked to
# still answer, so other tools that connect without credentials keep working.
set -euo pipefail

HOST=${WARD_TEST_REDIS_HOST:-127.0.0.1}
PORT=${WARD_TEST_REDIS_PORT:-6379}
PASSWORD=${WARD_TEST_REDIS_ADMIN_PASSWORD:-ward-admin-test-pw}

cli() { redis-cli -h "$HOST" -p "$PORT" --no-auth-warning "$@"; }

if [ "$(cli PING 2>&1)" != "PONG" ]; then
  echo "setup-redis: Redis at $HOST:$PORT does not answer PING as the default user (is it running? scripts/ensure-services.sh)" >&2
  exit 1
fi

out=$(cli ACL SETUSER ward_admin reset on ">$PASSWORD" '~*' '&*' '+@all')
[ "$out" = "OK" ] || { echo "setup-redis: ACL SETUSER ward_admin failed: $out" >&2; exit 1; }

if [ "$(cli --user ward_admin --pass "$PASSWORD" PING 2>&1)" != "PONG" ]; then
  echo "setup-redis: ward_admin cannot log in" >&2
  exit 1
fi
if [ "$(cli PING 2>&1)" != "PONG" ]; then
  echo "setup-redis: the default user no longer answers" >&2
  exit 1
fi
echo "setup-redis: ward_admin ready on $HOST:$PORT; default user unchanged"
