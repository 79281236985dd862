#!/usr/bin/env bash
# Runs every check: ruff, then pytest (unit, real-worker queue tests, browser tests, the demo smoke test).
# Uses DATABASE_URL and REDIS_URL when set (CI sets both); otherwise SQLite and the embedded broker.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export WORKSHOP_VAR_DIR="${WORKSHOP_VAR_DIR:-$PWD/var/test}"
rm -rf "$WORKSHOP_VAR_DIR/broker" "$WORKSHOP_VAR_DIR/media"
mkdir -p "$WORKSHOP_VAR_DIR"
export DEBUG=1
echo "database: ${DATABASE_URL:-SQLite (default)} · broker: ${REDIS_URL:-embedded filesystem broker}"
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
