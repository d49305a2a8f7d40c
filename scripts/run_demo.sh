#!/usr/bin/env bash
# The web process of the demo and, beside it, a Celery worker: slow work (a province's
# compilation, e-mails) runs in the worker as in production, so its progress bar moves for real.
# The broker is kombu's filesystem transport under var/celery/ (pk_portal/settings.py): no Redis.
# Ctrl+C stops both: the web process in the foreground gets it, then the trap ends the worker.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
export DEBUG=1
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-filesystem://}"
ADDRESS="${DEMO_ADDRESS:-127.0.0.1:8000}"
LOGS="${PK_VAR_DIR:-var}/log"
mkdir -p "$LOGS"

# --pool=solo: one task at a time in the worker's own process (SQLite, two cores).
"$PY" -m celery -A pk_portal worker --pool=solo --without-gossip --without-mingle \
  --loglevel=INFO >"$LOGS/worker.log" 2>&1 &
worker=$!
stop_worker() {
  trap - EXIT INT TERM
  kill -TERM "$worker" 2>/dev/null || true
  wait "$worker" 2>/dev/null || true
}
trap stop_worker EXIT INT TERM

echo "==> Celery worker: pid $worker (log: $LOGS/worker.log)"
echo "==> PK Portal: http://$ADDRESS  (Ctrl+C to stop)"
"$PY" manage.py runserver "$ADDRESS"
