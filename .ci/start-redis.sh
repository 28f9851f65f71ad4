#!/usr/bin/env bash
# Make a local Redis answer on 127.0.0.1:6379 (the Celery broker of tests/deploy/test_celery_workers.py).
# Idempotent: does nothing when one already answers. Installs the Debian package only when redis-server is
# missing and it runs as root (CI); the server it starts keeps nothing on disk.
set -euo pipefail

ready() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

if command -v redis-cli >/dev/null && ready; then
    echo "redis: already running on 127.0.0.1:6379"
    exit 0
fi

if ! command -v redis-server >/dev/null; then
    if [[ "$(id -u)" != 0 ]]; then
        echo "redis: not installed and not root: install the Debian package redis-server" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
    if ready; then  # the package's own service may have started it
        echo "redis: running on 127.0.0.1:6379"
        exit 0
    fi
fi

redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save "" --appendonly no \
    --logfile /tmp/stiwatch-redis.log

for _ in $(seq 1 30); do
    if ready; then
        echo "redis: running on 127.0.0.1:6379"
        exit 0
    fi
    sleep 1
done
echo "redis: did not become ready; see /tmp/stiwatch-redis.log" >&2
exit 1
