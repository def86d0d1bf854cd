#!/usr/bin/env bash
# Run the whole test suite: lint, SQLite, PostgreSQL, and the real-browser tests (Debian Chromium).
set -euo pipefail
export KINERJA_EXTRA_APT="chromium poppler-utils ${KINERJA_EXTRA_APT:-}"
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"

PG_URL="${TEST_DATABASE_URL_PG:-postgresql+psycopg://postgres@127.0.0.1:5432/test}"
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "==> menyalakan PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
fi

echo "==> ruff"
.venv/bin/ruff check kinerja_web tests benchmarks

echo "==> pytest (SQLite)"
.venv/bin/pytest -q -n 2 -m "not browser" "$@"

echo "==> pytest (PostgreSQL: $PG_URL)"
TEST_DATABASE_URL="$PG_URL" .venv/bin/pytest -q -p no:randomly -m "not browser" "$@"

echo "==> pytest (browser, Chromium)"
.venv/bin/pytest -q -m browser "$@"
