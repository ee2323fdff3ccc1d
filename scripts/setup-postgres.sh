#!/usr/bin/env bash
# Prepares the local PostgreSQL (127.0.0.1:5432, superuser `postgres` over the unix socket) for Ward's database engine
# tests and for developers trying the walk-through in docs/engines/database.md. Idempotent: run it as often as you like.
#
#  * databases `ward_test` and `ward_test_b` (the second for revocation across databases);
#  * pg_hba.conf: password authentication (scram-sha-256) for every login to those two databases over TCP from
#    127.0.0.1, placed before the trust lines, so a revoked or expired credential is really refused;
#  * role `ward_admin` (password $WARD_PG_ADMIN_PASSWORD, default `ward-admin-password`): the user Ward connects as.
#    LOGIN CREATEROLE to create and drop users; pg_signal_backend to end a revoked user's sessions; the owner of both
#    databases so it may grant on them; createrole_self_grant (PostgreSQL 16+) so it keeps the privileges of the users
#    it creates, which REASSIGN/DROP OWNED need (on 15 and older Ward grants itself that membership when needed).
set -euo pipefail

PGHOST_SOCKET=${PGHOST_SOCKET:-/var/run/postgresql}
ADMIN_PASSWORD=${WARD_PG_ADMIN_PASSWORD:-ward-admin-password}
DATABASES=(ward_test ward_test_b)

# Run client commands as the postgres OS user when we can become it (peer or trust auth on the socket), else as is.
AS_POSTGRES=()
if [ "$(id -un)" != postgres ] && command -v runuser >/dev/null && runuser -u postgres -- true 2>/dev/null; then
  AS_POSTGRES=(runuser -u postgres --)
fi
as_postgres() { "${AS_POSTGRES[@]}" "$@"; }
psql_su() { as_postgres psql -h "$PGHOST_SOCKET" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

if ! psql_su -c 'SELECT 1' >/dev/null; then
  echo "setup-postgres: cannot reach PostgreSQL as postgres over $PGHOST_SOCKET (is it running? see scripts/ensure-services.sh)" >&2
  exit 1
fi

version=$(psql_su -c 'SHOW server_version_num')

psql_su <<SQL
SET client_min_messages = warning;
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ward_admin') THEN
    CREATE ROLE ward_admin;
  END IF;
END
\$\$;
ALTER ROLE ward_admin WITH LOGIN CREATEROLE NOSUPERUSER PASSWORD '${ADMIN_PASSWORD//\'/\'\'}';
GRANT pg_signal_backend TO ward_admin;
SQL
if [ "$version" -ge 160000 ]; then
  psql_su -c "ALTER ROLE ward_admin SET createrole_self_grant = 'set, inherit'"
fi

for db in "${DATABASES[@]}"; do
  if [ "$(psql_su -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
    psql_su -c "CREATE DATABASE $db OWNER ward_admin"
  fi
  psql_su -c "ALTER DATABASE $db OWNER TO ward_admin"
  as_postgres psql -h "$PGHOST_SOCKET" -U postgres -d "$db" -v ON_ERROR_STOP=1 -qtA -c "ALTER SCHEMA public OWNER TO ward_admin" >/dev/null
done

# pg_hba.conf: password logins for the test databases over TCP, before any line that would trust them.
hba=$(psql_su -c 'SHOW hba_file')
changed=0
for db in "${DATABASES[@]}"; do
  line="host    $db    all    127.0.0.1/32    scram-sha-256"
  if ! grep -Eq "^host[[:space:]]+$db[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+scram-sha-256" "$hba"; then
    tmp=$(mktemp)
    # Insert before the first rule line (the first line that is neither blank nor a comment).
    awk -v rule="$line" 'BEGIN{done=0} { if (!done && $0 !~ /^[[:space:]]*(#|$)/) { print "# ward: password authentication for the test database (scripts/setup-postgres.sh)"; print rule; done=1 } print } END{ if (!done) print rule }' "$hba" >"$tmp"
    cat "$tmp" >"$hba"
    rm -f "$tmp"
    changed=1
  fi
done
if [ "$changed" = 1 ]; then psql_su -c 'SELECT pg_reload_conf()' >/dev/null; fi

# Check: ward_admin logs in over TCP with its password.
if ! PGPASSWORD="$ADMIN_PASSWORD" psql -h 127.0.0.1 -p 5432 -U ward_admin -d ward_test -qtAc 'SELECT 1' >/dev/null; then
  echo "setup-postgres: ward_admin cannot log in to ward_test over TCP" >&2
  exit 1
fi
echo "setup-postgres: ward_test and ward_test_b ready (password authentication for 127.0.0.1; Ward connects as ward_admin)"
