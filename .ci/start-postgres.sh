#!/usr/bin/env bash
# Make a local PostgreSQL answer on 127.0.0.1:5432 for user postgres without a password (trust), for
# tests/deploy/test_scheduler_postgres.py. Idempotent: does nothing when one already answers.
# Installs the Debian package only when no cluster exists and it runs as root (CI); a cluster it did not
# create is started, never reconfigured.
set -euo pipefail

ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if command -v pg_isready >/dev/null && ready; then
    echo "postgres: already running on 127.0.0.1:5432"
    exit 0
fi

installed_here=false
if ! compgen -G "/etc/postgresql/*/main" >/dev/null; then
    if [[ "$(id -u)" != 0 ]]; then
        echo "postgres: not installed and not root: install the Debian package postgresql" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    installed_here=true
fi

version="$(ls /etc/postgresql | sort -V | tail -n 1)"
if [[ "$installed_here" == true ]]; then
    # Test-only cluster: local TCP connections without a password, as the tests expect.
    hba="/etc/postgresql/$version/main/pg_hba.conf"
    sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
fi
pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null \
    || pg_ctlcluster --skip-systemctl-redirect "$version" main reload

for _ in $(seq 1 30); do
    if ready; then
        echo "postgres $version: running on 127.0.0.1:5432"
        exit 0
    fi
    sleep 1
done
echo "postgres $version: did not become ready; see /var/log/postgresql/postgresql-$version-main.log" >&2
exit 1
