"""Shared helpers for web tests."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Route:
    """One row of a role × route access matrix."""

    name: str
    method: str
    path: object  # callable(ns) -> str
    ok: int  # status for allowed actors
    allowed: frozenset  # actors that may use it; the other logged-in actors get `denied`
    denied: int = 403
    outsider: frozenset = frozenset()  # actors who get 404 (may not know the record exists)
    data: object = None  # dict or callable(ns) -> dict

    def __str__(self) -> str:
        return self.name


def employee_form_data(ns) -> dict:
    """A complete, valid edit form for `ns.staff1` of the org_chart fixture."""
    e = ns.staff1
    return {
        "nip": e.nip,
        "name": e.name,
        "status_asn": "pns",
        "gender": "L",
        "birth_date": e.birth_date.isoformat(),
        "tmt_cpns": e.tmt_cpns.isoformat(),
        "golongan": "III/a",
        "mkg_years": "0",
        "mkg_months": "0",
        "opd_id": str(ns.opd.id),
        "position_id": str(e.position_id),
        "version_id": str(e.version_id),
        "action": "simpan",
    }
