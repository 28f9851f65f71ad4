#!/usr/bin/env bash
# Entry point of the stiwatch image (docker-compose.yml).
#
#   stiwatch-entrypoint init-secrets   one-shot, as root: create the deployment's secrets in the secrets
#                                      volume if absent (first start), never overwrite them
#   stiwatch-entrypoint init           one-shot: wait for PostgreSQL, migrate the metadata DB, create
#                                      the data folders and the warehouse pool (`stiwatch setup`)
#   stiwatch-entrypoint <command...>   export the secrets as Airflow settings, then exec the command
#                                      (e.g. `airflow scheduler`, `airflow celery worker`)
#
# Why secrets live in a volume and not in the env file: nothing secret is ever typed, committed or
# shown by `docker compose config`; every container reads the same values, which Airflow requires
# (the JWT secret signs the task tokens the api-server checks; the Fernet key decrypts connections).
# A value already set in the environment (e.g. an external DB in deploy/stiwatch.env) always wins.
set -euo pipefail

SECRETS_DIR="${STIWATCH_SECRETS_DIR:-/run/stiwatch-secrets}"
RUN_UID="${STIWATCH_UID:-50000}"

secret_file() { printf '%s/%s' "$SECRETS_DIR" "$1"; }

# Write one secret atomically (temp file + rename) unless it exists: restarts keep the first value.
create_secret() {
    local name="$1" generator="$2" target
    target="$(secret_file "$name")"
    if [[ -s "$target" ]]; then
        echo "secret $name: kept (exists)"
        return
    fi
    python -c "$generator" >"$target.tmp"
    chown "$RUN_UID:0" "$target.tmp"
    chmod 0600 "$target.tmp"
    mv "$target.tmp" "$target"
    echo "secret $name: created"
}

init_secrets() {
    mkdir -p "$SECRETS_DIR"
    chown "$RUN_UID:0" "$SECRETS_DIR"
    chmod 0700 "$SECRETS_DIR"
    create_secret fernet_key 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'
    create_secret jwt_secret 'import secrets; print(secrets.token_urlsafe(64))'
    create_secret api_secret_key 'import secrets; print(secrets.token_urlsafe(32))'
    # Hex only: the password is embedded in connection URLs without escaping.
    create_secret postgres_password 'import secrets; print(secrets.token_hex(24))'
    # SimpleAuthManager's password file: one generated password per user listed in
    # AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS ("name:role,..."); the api-server adds users listed later.
    create_secret simple_auth_manager_passwords.json '
import json, os, secrets
users = [e.split(":")[0].strip() for e in os.environ.get("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS", "admin:admin").split(",") if e.strip()]
print(json.dumps({u: secrets.token_urlsafe(18) for u in users}))'
    echo "Admin password(s): docker compose exec airflow-apiserver cat $(secret_file simple_auth_manager_passwords.json)"
}

read_secret() {
    local target
    target="$(secret_file "$1")"
    if [[ ! -s "$target" ]]; then
        echo "stiwatch-entrypoint: missing secret $target; the stiwatch-secrets service creates it on first" \
            "start (docker compose up stiwatch-secrets), check its log" >&2
        exit 1
    fi
    cat "$target"
}

export_settings() {
    local db_password db_url
    db_password="$(read_secret postgres_password)"
    db_url="${STIWATCH_POSTGRES_USER:-airflow}:${db_password}@${STIWATCH_POSTGRES_HOST:-postgres}:5432/${STIWATCH_POSTGRES_DB:-airflow}"
    export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="${AIRFLOW__DATABASE__SQL_ALCHEMY_CONN:-postgresql+psycopg2://$db_url}"
    # No Celery result backend here: unset, the Celery provider stores results in this same database
    # (db+ the URL above), so an external database set in the env file moves both at once.
    export AIRFLOW__CORE__FERNET_KEY="${AIRFLOW__CORE__FERNET_KEY:-$(read_secret fernet_key)}"
    export AIRFLOW__API_AUTH__JWT_SECRET="${AIRFLOW__API_AUTH__JWT_SECRET:-$(read_secret jwt_secret)}"
    export AIRFLOW__API__SECRET_KEY="${AIRFLOW__API__SECRET_KEY:-$(read_secret api_secret_key)}"
    export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE="${AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE:-$(secret_file simple_auth_manager_passwords.json)}"
}

wait_for_database() {
    local attempt
    for attempt in $(seq 1 "${STIWATCH_DB_WAIT_ATTEMPTS:-30}"); do
        if airflow db check >/dev/null 2>&1; then
            return
        fi
        echo "waiting for the metadata database (attempt $attempt)"
        sleep 2
    done
    echo "stiwatch-entrypoint: the metadata database is unreachable; check the postgres service" >&2
    exit 1
}

case "${1:-}" in
    init-secrets)
        init_secrets
        ;;
    init)
        export_settings
        wait_for_database
        stiwatch setup
        airflow version
        ;;
    "")
        echo "usage: stiwatch-entrypoint init-secrets | init | <command> [args...]" >&2
        exit 2
        ;;
    *)
        export_settings
        exec "$@"
        ;;
esac
