#!/usr/bin/env bash
# Start Kinerja on the LAN with demo data: SQLite in instance/, migrations, a background worker, gunicorn.
#   bash scripts/start.sh                 -> http://0.0.0.0:8000
#   HOST=127.0.0.1 PORT=8080 bash scripts/start.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
HOST="${HOST:-0.0.0.0}"
PORT="${PORT:-8000}"

echo "==> migrasi basis data"
.venv/bin/flask db upgrade
echo "==> data contoh (hanya bila basis data kosong)"
.venv/bin/flask seed demo --if-empty
echo "==> aturan gaji bawaan yang belum ada (tabel baru setelah pembaruan)"
.venv/bin/flask payroll muat-aturan || echo "PERINGATAN: aturan gaji bermasalah; lihat menu Aturan Gaji." >&2

.venv/bin/flask worker --workers "${JOB_WORKERS:-2}" &
WORKER=$!
trap 'kill "$WORKER" 2>/dev/null || true; wait "$WORKER" 2>/dev/null || true' EXIT INT TERM
echo "==> Kinerja berjalan di http://${HOST}:${PORT} (akun demo dan kata sandinya: lihat README.md)"
# Worker count: gunicorn.conf.py (cores + 1; WEB_WORKERS overrides).
.venv/bin/gunicorn --bind "${HOST}:${PORT}" --access-logfile - wsgi:app
