"""Shared helpers for web tests."""

from __future__ import annotations


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
