#!/usr/bin/env bash
# Starts every local service Ward's tests talk to, if it is not already up. Shared by CI and developers.
# Idempotent: a service that answers is left alone.
set -euo pipefail

wait_for() { # name, command
  local name=$1; shift
  for _ in $(seq 1 60); do
    if "$@" >/dev/null 2>&1; then echo "ensure-services: $name is up"; return 0; fi
    sleep 1
  done
  echo "ensure-services: $name did not come up" >&2
  return 1
}

if command -v pg_isready >/dev/null && ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
fi
command -v pg_isready >/dev/null && wait_for PostgreSQL pg_isready -h 127.0.0.1 -p 5432 -q

if command -v mariadb-admin >/dev/null && ! mariadb-admin -uroot ping >/dev/null 2>&1; then
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
fi
command -v mariadb-admin >/dev/null && wait_for MariaDB mariadb-admin -uroot ping

if command -v redis-cli >/dev/null && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi
command -v redis-cli >/dev/null && wait_for Redis redis-cli -h 127.0.0.1 -p 6379 ping

if command -v rabbitmqctl >/dev/null && ! rabbitmqctl status >/dev/null 2>&1; then
  rabbitmq-server -detached || true
fi
if command -v rabbitmqctl >/dev/null; then wait_for RabbitMQ rabbitmqctl status || true; fi
exit 0
