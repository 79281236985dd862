#!/usr/bin/env bash
# The one command that runs the product on this machine with nothing else installed:
# SQLite, the embedded broker, the built-in engine. Builds the demo, then serves it with a worker beside it.
#
#   make demo                           # http://127.0.0.1:8000, this machine only
#   make demo HOST=0.0.0.0 PORT=8000    # reachable from phones on the same network: links and QR codes use
#                                       # this machine's address on it (or SITE_URL, when set)
#
# The site's and the worker's logs go to var/demo-web.log and var/demo-worker.log, so the logins, printed last
# once both are up, stay on the screen.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export DEBUG="${DEBUG:-1}"
PY=.venv/bin/python
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"

lan_address() {
  # The address this machine has on its network: the one a route outwards would leave from (nothing is sent).
  $PY - <<'PYTHON'
import socket
probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    probe.connect(("192.0.2.1", 9))
    print(probe.getsockname()[0])
except OSError:
    print("127.0.0.1")
finally:
    probe.close()
PYTHON
}

case "$HOST" in
  0.0.0.0|::|"[::]") address="$(lan_address)" ;;
  *) address="$HOST" ;;
esac
export SITE_URL="${SITE_URL:-http://$address:$PORT}"
site_host="$($PY -c 'import sys, urllib.parse; print(urllib.parse.urlsplit(sys.argv[1]).hostname or "")' "$SITE_URL")"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost,[::1],$address,$site_host}"

$PY manage.py demo

mkdir -p var
web_log=var/demo-web.log
worker_log=var/demo-worker.log
pids=()
stop() {
  trap - INT TERM EXIT
  echo "Stopping the site and the worker..."
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  exit 0
}
trap stop INT TERM EXIT
$PY -m celery -A workshop worker --beat --loglevel=INFO --concurrency=2 \
  --schedule var/celerybeat-schedule >"$worker_log" 2>&1 &
pids+=($!)
$PY manage.py runserver "$HOST:$PORT" --noreload >"$web_log" 2>&1 &
pids+=($!)

# Both up before the logins are printed: the worker says "ready.", the site answers its health check.
for _ in $(seq 1 120); do
  if grep -q "ready\." "$worker_log" 2>/dev/null \
      && $PY -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
         "http://$address:$PORT/healthz" 2>/dev/null; then
    break
  fi
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "The site or the worker stopped at start; the end of their logs:"
      tail -n 20 "$web_log" "$worker_log"
      exit 1
    fi
  done
  sleep 0.5
done

echo
$PY manage.py demo --logins
echo
echo "Serving $SITE_URL/ (logs: $web_log, $worker_log). Ctrl-C stops the site and the worker."
if [ "$address" != "127.0.0.1" ] && [ "$address" != "localhost" ]; then
  echo "Phones on the same network: open $SITE_URL/go and type a workshop's code, or scan its QR code on the projector."
fi
wait -n "${pids[@]}"
