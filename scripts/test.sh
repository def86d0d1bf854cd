#!/usr/bin/env bash
# The whole test suite: ruff, pytest on SQLite, on PostgreSQL, and the real-browser tests (Debian Chromium).
#   bash scripts/test.sh                 extra arguments go to every pytest run, e.g. -x or -k name
# PostgreSQL: TEST_DATABASE_URL_PG (default: database "test" on 127.0.0.1:5432, user postgres, trust auth).
# The PostgreSQL run drops and re-creates Kinerja's tables in that database: never point it at real data.
set -euo pipefail
export KINERJA_EXTRA_APT="chromium poppler-utils zbar-tools ${KINERJA_EXTRA_APT:-}"
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
started=$SECONDS

PG_URL="${TEST_DATABASE_URL_PG:-postgresql+psycopg://postgres@127.0.0.1:5432/test}"
pg_ready() { .venv/bin/python - "$PG_URL" <<'PY' >/dev/null 2>&1
import sys, sqlalchemy
sqlalchemy.create_engine(sys.argv[1]).connect().close()
PY
}
if ! pg_ready && command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  echo "==> menyalakan PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start 2>/dev/null || true
  sleep 1
fi
if ! pg_ready; then
  # The server may be up without the database: create it (trust auth on localhost).
  .venv/bin/python - "$PG_URL" <<'PY' || true
import sys, sqlalchemy
url = sqlalchemy.engine.make_url(sys.argv[1])
with sqlalchemy.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT").connect() as c:
    if not c.exec_driver_sql("SELECT 1 FROM pg_database WHERE datname = %s", (url.database,)).first():
        print(f"==> membuat basis data {url.database}")
        c.exec_driver_sql(f'CREATE DATABASE "{url.database}"')
PY
fi

# Redis: the several-hosts test (tests/web/test_multi_host.py) shares one Redis between two worker hosts.
export TEST_REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379/9}"
redis_ready() { .venv/bin/python -c 'import redis, sys; redis.Redis.from_url(sys.argv[1], socket_connect_timeout=2).ping()' "$TEST_REDIS_URL" >/dev/null 2>&1; }
if ! redis_ready; then
  if ! command -v redis-server >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    echo "==> apt-get install redis-server"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null 2>&1 \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server; }
  fi
  if command -v redis-server >/dev/null 2>&1; then
    echo "==> menyalakan Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
    sleep 1
  fi
  redis_ready || echo "Redis tidak tersedia: uji beberapa server dilewati." >&2
fi

echo "==> ruff"
.venv/bin/ruff check kinerja_web tests benchmarks
.venv/bin/ruff format --check kinerja_web tests benchmarks

echo "==> lint-imports (import contracts in pyproject.toml)"
.venv/bin/lint-imports

echo "==> pytest (SQLite)"
.venv/bin/pytest -q -n "${TEST_WORKERS:-2}" -m "not browser" "$@"

if pg_ready; then
  echo "==> pytest (PostgreSQL: ${PG_URL})"
  TEST_DATABASE_URL="$PG_URL" .venv/bin/pytest -q -n "${TEST_WORKERS:-2}" -p no:randomly -m "not browser" "$@"
elif [ "${KINERJA_SKIP_PG:-0}" = "1" ]; then
  echo "==> PostgreSQL dilewati (KINERJA_SKIP_PG=1)"
else
  echo "PostgreSQL tidak dapat dihubungi di ${PG_URL}." >&2
  echo "Pasang dan nyalakan: apt-get install postgresql (atau KINERJA_SKIP_PG=1 untuk melewatinya)." >&2
  exit 1
fi

echo "==> pytest (browser, Chromium)"
.venv/bin/pytest -q -m browser "$@"
echo "==> semua uji lulus dalam $((SECONDS - started)) detik"
