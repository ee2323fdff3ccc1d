#!/usr/bin/env bash
# Prepares the local MariaDB (127.0.0.1:3306) for the MySQL database plugin's tests: a `ward_test` database and a
# `ward_admin` account at '%' (TCP) and 'localhost' (socket) with what Ward's MySQL plugin needs. Idempotent: safe to
# run at every CI start; it also resets ward_admin's password in case a test or a person rotated it.
#
# Privileges (MariaDB 10.11):
#   CREATE USER         CREATE/ALTER/DROP/RENAME USER and REVOKE ALL PRIVILEGES, GRANT OPTION FROM <user>
#   ALL ON ward_test.* WITH GRANT OPTION   the privileges roles grant to the users Ward creates
#   PROCESS             see every account's sessions in information_schema.PROCESSLIST
#   CONNECTION ADMIN    KILL sessions of other accounts (MariaDB >= 10.5.2; older servers and MySQL 5.7: SUPER)
#   SELECT ON mysql.user   list every host an account name exists at, so revocation drops them all
set -euo pipefail

PASSWORD=${WARD_TEST_MYSQL_ADMIN_PASSWORD:-ward-admin-test-pw}
case $PASSWORD in *"'"*|*'\'*) echo "setup-mariadb: the password must not contain quotes or backslashes" >&2; exit 1 ;; esac

sql() { mariadb --protocol=socket -uroot --batch --skip-column-names -e "$1"; }

if ! sql 'SELECT 1' >/dev/null 2>&1; then
  echo "setup-mariadb: cannot reach MariaDB as root through the socket (is it running? scripts/ensure-services.sh)" >&2
  exit 1
fi

sql "CREATE DATABASE IF NOT EXISTS ward_test"
for host in '%' 'localhost'; do
  account="'ward_admin'@'$host'"
  sql "CREATE USER IF NOT EXISTS $account IDENTIFIED BY '$PASSWORD'"
  sql "ALTER USER $account IDENTIFIED BY '$PASSWORD'"
  sql "GRANT CREATE USER, PROCESS ON *.* TO $account"
  # CONNECTION ADMIN exists from MariaDB 10.5.2; fall back to SUPER where it does not.
  sql "GRANT CONNECTION ADMIN ON *.* TO $account" 2>/dev/null || sql "GRANT SUPER ON *.* TO $account"
  sql "GRANT ALL PRIVILEGES ON ward_test.* TO $account WITH GRANT OPTION"
  sql "GRANT SELECT ON mysql.user TO $account"
done
echo "setup-mariadb: ward_test database and ward_admin@'%'/'localhost' ready"
