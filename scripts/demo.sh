#!/usr/bin/env bash
# The one command that runs the product on this machine with nothing else installed:
# SQLite, the embedded broker, the built-in engine. Builds the demo, then serves it with a worker beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export DEBUG="${DEBUG:-1}"
PY=.venv/bin/python
$PY manage.py demo
pids=()
stop() {
  trap - INT TERM EXIT
  echo "Stopping the site and the worker..."
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  exit 0
}
trap stop INT TERM EXIT
$PY -m celery -A workshop worker --beat --loglevel=WARNING --concurrency=2 \
  --schedule var/celerybeat-schedule &
pids+=($!)
$PY manage.py runserver 127.0.0.1:8000 --noreload &
pids+=($!)
echo "Serving http://127.0.0.1:8000/ (Ctrl-C stops the site and the worker)"
wait -n "${pids[@]}"
