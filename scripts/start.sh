#!/usr/bin/env bash
# Start Kinerja on the LAN (0.0.0.0:8000) with demo data, SQLite and a background worker.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
.venv/bin/flask db upgrade
.venv/bin/flask seed demo --if-empty
PORT="${PORT:-8000}"
.venv/bin/flask worker --workers 2 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
echo "==> Kinerja berjalan di http://0.0.0.0:${PORT} (akun demo: lihat README)"
.venv/bin/gunicorn --bind "0.0.0.0:${PORT}" --workers "${WEB_WORKERS:-3}" --access-logfile - wsgi:app
