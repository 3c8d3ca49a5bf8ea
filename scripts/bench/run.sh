#!/usr/bin/env bash
# make bench: a database of its own, a generated data set, gunicorn with the
# production settings, then kaa.bench.driver's measurements (docs/performance.md).
#
#   SIZE=small|region|national (default national)   the data set
#   BENCH_DB=kaa_bench                               the database (dropped and created)
#   BENCH_REUSE=1                                    keep an existing, filled database
#   BENCH_PORT=8765  BENCH_WORKERS=2                 gunicorn
#   BENCH_REPEAT=30  BENCH_LOAD_USERS=50  BENCH_LOAD_SECONDS=60
#   BENCH_REDIS_URL=redis://127.0.0.1:6379/12        cache and broker of the bench server
#   BENCH_ARGS="--skip load"                         more arguments to bench_run
set -euo pipefail
cd "$(dirname "$0")/../.."

SIZE="${SIZE:-national}"
BENCH_DB="${BENCH_DB:-kaa_bench}"
BENCH_PORT="${BENCH_PORT:-8765}"
BENCH_WORKERS="${BENCH_WORKERS:-2}"
PG="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
PY=.venv/bin/python

export DJANGO_SETTINGS_MODULE=kaa.settings.production
export DATABASE_URL="$PG/$BENCH_DB"
export SECRET_KEY="${SECRET_KEY:-bench-only-secret-key-not-for-production-use-0123456789}"
export ALLOWED_HOSTS="127.0.0.1,localhost"
export REDIS_URL="${BENCH_REDIS_URL:-redis://127.0.0.1:6379/12}"
export DEBUG=false
export LOG_LEVEL=WARNING
export KAA_BENCH=1
export KAA_BENCH_WORKERS="$BENCH_WORKERS"

psql_admin() { psql "$PG/postgres" -v ON_ERROR_STOP=1 -qAt "$@"; }

exists="$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$BENCH_DB'")"
if [ "${BENCH_REUSE:-0}" = 1 ] && [ "$exists" = 1 ]; then
    echo "bench: reusing the database $BENCH_DB"
    $PY manage.py migrate --noinput -v0
else
    echo "bench: creating the database $BENCH_DB"
    psql_admin -c "DROP DATABASE IF EXISTS \"$BENCH_DB\" WITH (FORCE)"
    psql_admin -c "CREATE DATABASE \"$BENCH_DB\""
    started=$(date +%s)
    $PY manage.py migrate --noinput -v0
    echo "bench: migrated in $(( $(date +%s) - started )) s"
    started=$(date +%s)
    $PY manage.py generate_dataset --size "$SIZE"
    echo "bench: data set generated in $(( $(date +%s) - started )) s"
fi
$PY manage.py collectstatic --noinput -v0

.venv/bin/gunicorn kaa.wsgi:application --workers "$BENCH_WORKERS" \
    --bind "127.0.0.1:$BENCH_PORT" --timeout 300 --log-level warning \
    --pid "/tmp/kaa-bench-$BENCH_PORT.pid" &
gunicorn=$!
trap 'kill $gunicorn 2>/dev/null; wait $gunicorn 2>/dev/null || true' EXIT INT TERM
# Wait until gunicorn answers (healthz is exempt from the HTTPS redirect).
$PY - "$BENCH_PORT" <<'PYEOF'
import sys, time, urllib.request
for _ in range(120):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=5)
        break
    except OSError:
        time.sleep(0.5)
else:
    sys.exit("bench: gunicorn did not answer")
PYEOF

# shellcheck disable=SC2086
$PY manage.py bench_run --url "http://127.0.0.1:$BENCH_PORT" --size "$SIZE" \
    --repeat "${BENCH_REPEAT:-30}" --load-users "${BENCH_LOAD_USERS:-50}" \
    --load-seconds "${BENCH_LOAD_SECONDS:-60}" ${BENCH_ARGS:-}
