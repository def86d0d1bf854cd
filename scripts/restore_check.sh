#!/usr/bin/env bash
# Prove a PostgreSQL backup restores: dump the database, restore the dump into a scratch database, compare the
# row count of every table, and let `flask doctor` check the restored copy (reachable, at the newest migration).
#   bash scripts/restore_check.sh postgresql://kinerja@127.0.0.1:5432/kinerja [dump file to keep]
# Nothing is written to the source database; the scratch database (<name>_pemulihan) is dropped at the end.
set -euo pipefail
SRC="${1:?URL basis data sumber, mis. postgresql://kinerja@127.0.0.1:5432/kinerja}"
SRC="${SRC/postgresql+psycopg:/postgresql:}"
DUMP="${2:-$(mktemp --suffix=.dump)}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NAME="${SRC##*/}"
SCRATCH_NAME="${NAME}_pemulihan"
SCRATCH="${SRC%/*}/${SCRATCH_NAME}"
ADMIN="${SRC%/*}/postgres"

counts() {  # "table|rows" per line, every table of the public schema, sorted (one query)
  psql "$1" -At -c "SELECT table_name, (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I', table_name), false, true, '')))[1]::text FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
}

echo "==> pg_dump ${NAME} → ${DUMP}"
pg_dump -Fc "$SRC" > "$DUMP"
psql "$ADMIN" -q -c "DROP DATABASE IF EXISTS \"${SCRATCH_NAME}\" WITH (FORCE)" -c "CREATE DATABASE \"${SCRATCH_NAME}\""
trap 'psql "$ADMIN" -q -c "DROP DATABASE IF EXISTS \"${SCRATCH_NAME}\" WITH (FORCE)"' EXIT
echo "==> pg_restore → ${SCRATCH_NAME}"
pg_restore --no-owner --exit-on-error -d "$SCRATCH" "$DUMP"
if ! diff <(counts "$SRC") <(counts "$SCRATCH"); then
  echo "GAGAL: jumlah baris hasil pemulihan berbeda dari sumber. / FAILED: restored row counts differ." >&2
  exit 1
fi
echo "==> flask doctor (salinan pulihan)"
(cd "$ROOT" && DATABASE_URL="${SCRATCH/postgresql:/postgresql+psycopg:}" FLASK_APP=wsgi .venv/bin/flask doctor | grep -E "basis data|migrasi")
echo "Pemulihan berhasil: $(counts "$SCRATCH" | wc -l) tabel, jumlah baris sama. / Restore verified."
