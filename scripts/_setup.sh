#!/usr/bin/env bash
# Shared set-up for scripts/start.sh and scripts/test.sh: system packages, virtualenv, Python packages.
# Idempotent: a second run only checks. Runs apt-get itself when root; otherwise prints the exact command.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Kinerja memerlukan Python 3.11 atau lebih baru (ditemukan: $("$PY" --version 2>&1))." >&2
  exit 1
fi

need_apt=()
# venv needs ensurepip, which Debian ships separately (python3-venv / python3.11-venv).
if [ ! -x .venv/bin/python ] && ! "$PY" -c 'import ensurepip' >/dev/null 2>&1; then
  need_apt+=("python3-venv")
fi
# WeasyPrint needs Pango; libharfbuzz-subset0 makes font subsetting ~3x faster (pip does not bring it).
# (Outputs are captured first: `cmd | grep -q` fails under pipefail when grep exits early.)
libs="$(ldconfig -p 2>/dev/null || true)"
fonts="$(fc-list 2>/dev/null || true)"
grep -q 'libpango-1.0.so' <<<"$libs" || need_apt+=(libpango-1.0-0 libpangoft2-1.0-0)
grep -q 'libharfbuzz-subset.so' <<<"$libs" || need_apt+=(libharfbuzz-subset0)
grep -qi 'DejaVuSans' <<<"$fonts" || need_apt+=(fonts-dejavu-core)
for extra in ${KINERJA_EXTRA_APT:-}; do
  dpkg -s "$extra" >/dev/null 2>&1 || need_apt+=("$extra")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "==> apt-get install ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    (apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null 2>&1) \
      || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need_apt[@]}"; }
  else
    echo "Paket sistem belum terpasang. Jalankan sebagai root lalu ulangi:" >&2
    echo "  apt-get install ${need_apt[*]}" >&2
    exit 1
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> membuat virtualenv .venv ($("$PY" --version))"
  "$PY" -m venv .venv
fi
stamp=".venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  echo "==> memasang paket Python (pyproject.toml, extra dev)"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e '.[dev]'
  rm -f .venv/.installed-* && touch "$stamp"
fi
export FLASK_APP=wsgi
