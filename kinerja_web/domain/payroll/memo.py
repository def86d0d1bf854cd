"""The run-wide memo of payslip parts: a speed trick behind its own door (STYLE.md §2.17).

A payslip is composed of parts that each depend on a few inputs only (gaji: golongan, MKG, family; TPP: kelas,
predikat, attendance; BPJS: the two bases; PPh: PTKP and the two grosses). Thousands of employees share a few
hundred of them, so a run keeps one store for ONE month under ONE `ResolvedRules` (checked) and each part is
computed once per key. The parts are immutable, so sharing them gives the same payslip as computing alone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

T = TypeVar("T")

_OWNER = object()


class PartMemo:
    """Parts of payslips keyed by exactly the inputs they depend on; `store` is the caller's dict (or None)."""

    __slots__ = ("_store",)

    def __init__(self, store: dict | None, rules: Any, month: date):
        if store is None:
            store = {_OWNER: (rules, month)}
        else:
            owner = store.setdefault(_OWNER, (rules, month))
            if owner[0] is not rules or owner[1] != month:
                raise ValueError("A compute_monthly memo serves one ResolvedRules object and one month only.")
        self._store = store

    def part(self, key: tuple, make: Callable[[], T]) -> T:
        """The part stored under `key`, made (and kept) the first time it is asked for."""
        value = self._store.get(key)
        if value is None:
            value = self._store[key] = make()
        return value
