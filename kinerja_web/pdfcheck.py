"""Start-up check: WeasyPrint subsets fonts fast only with Debian's libharfbuzz-subset0."""

from __future__ import annotations

import ctypes.util
import logging

log = logging.getLogger(__name__)


def harfbuzz_subset_available() -> bool:
    return ctypes.util.find_library("harfbuzz-subset") is not None


def init_app(app) -> None:
    if not harfbuzz_subset_available():
        app.logger.warning(
            "libharfbuzz-subset0 tidak terpasang: pembuatan PDF akan ~3x lebih lambat. "
            "Jalankan: apt-get install libharfbuzz-subset0"
        )
    app.config.setdefault("HARFBUZZ_SUBSET", harfbuzz_subset_available())
