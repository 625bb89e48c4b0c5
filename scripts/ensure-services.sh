#!/usr/bin/env bash
# Starts PostgreSQL, Redis and RabbitMQ when they are installed but not running (the commands
# are this machine kind's own). Tests that need a service check for it themselves: they skip
# loudly when it is absent, and fail under CI=true.
set -u

up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ! up 5432 && command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
fi
if ! up 6379 && command -v redis-server >/dev/null 2>&1; then
  echo "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
fi
if ! up 5672 && command -v rabbitmq-server >/dev/null 2>&1; then
  echo "starting RabbitMQ"
  rabbitmq-server -detached || true
  for _ in $(seq 1 60); do up 5672 && break; sleep 1; done
fi
for port in 5432 6379 5672; do
  if up "$port"; then echo "port $port: up"; else echo "port $port: DOWN"; fi
done
