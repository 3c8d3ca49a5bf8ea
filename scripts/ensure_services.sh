#!/usr/bin/env bash
# Make sure the services the test suite needs are answering:
#   PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379
# (the defaults of kaa.settings.test). A service that is installed but not
# running is started; a service that is not installed is reported and the
# script exits non-zero.
set -euo pipefail

PG_HOST=127.0.0.1
PG_PORT=5432
REDIS_HOST=127.0.0.1
REDIS_PORT=6379
WAIT_SECONDS="${WAIT_SECONDS:-30}"

log() { echo "ensure_services: $*"; }
die() { echo "ensure_services: ERROR: $*" >&2; exit 1; }

pg_up() {
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" >/dev/null 2>&1
}

redis_up() {
    if command -v redis-cli >/dev/null 2>&1; then
        [ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]
    else
        # No redis-cli: speak the protocol over bash's /dev/tcp.
        (
            exec 3<>"/dev/tcp/$REDIS_HOST/$REDIS_PORT"
            printf 'PING\r\n' >&3
            read -r -t 2 reply <&3
            [[ "$reply" == "+PONG"* ]]
        ) 2>/dev/null
    fi
}

# wait_for NAME CHECK_FUNCTION
wait_for() {
    local name="$1" check="$2" i
    for ((i = 0; i < WAIT_SECONDS; i++)); do
        if "$check"; then
            log "$name is up."
            return 0
        fi
        sleep 1
    done
    die "$name did not answer within ${WAIT_SECONDS}s."
}

ensure_postgres() {
    command -v pg_isready >/dev/null 2>&1 ||
        die "PostgreSQL is not installed (pg_isready missing): apt-get install postgresql"
    if pg_up; then
        log "PostgreSQL is up at $PG_HOST:$PG_PORT."
        return 0
    fi
    if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls -A /etc/postgresql 2>/dev/null)" ]; then
        die "PostgreSQL is not answering at $PG_HOST:$PG_PORT and the server is not installed: apt-get install postgresql"
    fi
    local version
    version="$(ls /etc/postgresql | sort -V | tail -n 1)"
    log "Starting PostgreSQL $version (cluster main)..."
    pg_ctlcluster --skip-systemctl-redirect "$version" main start ||
        log "pg_ctlcluster returned non-zero; waiting anyway."
    wait_for "PostgreSQL" pg_up
}

ensure_redis() {
    if redis_up; then
        log "Redis is up at $REDIS_HOST:$REDIS_PORT."
        return 0
    fi
    command -v redis-server >/dev/null 2>&1 ||
        die "Redis is not answering at $REDIS_HOST:$REDIS_PORT and is not installed: apt-get install redis-server"
    log "Starting Redis..."
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" \
        --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log ||
        log "redis-server returned non-zero; waiting anyway."
    wait_for "Redis" redis_up
}

ensure_postgres
ensure_redis
