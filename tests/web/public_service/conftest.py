"""A service unit (the test OPD) with two services, a unit operator, a holiday and a small imported log."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from kinerja_web.domain.public_service import CompletionUnit, HolidayKind
from kinerja_web.extensions import db
from kinerja_web.models import Holiday, PublicService, Role, ServiceOperator, ServiceStandard
from kinerja_web.services.public_service import files, log_import

TODAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 27, 10, tzinfo=UTC)


def csv_bytes(rows: list[list[str]], header: str = "LAYANAN;NOMOR;DITERIMA;SELESAI;PETUGAS;KANAL;STATUS") -> bytes:
    return ("\n".join([header] + [";".join(r) for r in rows]) + "\n").encode("utf-8")


def import_rows(unit, rows: list[list[str]], **kw):
    table = files.read_table("log.csv", csv_bytes(rows, **kw))
    preview = log_import.build_preview(unit, table, today=TODAY)
    counts = log_import.apply_preview(preview, skip_invalid=True, now=NOW)
    db.session.commit()
    return preview, counts


@pytest.fixture
def ps(org_chart, make_user):
    """`ps.unit` (the OPD) with services KTP (5 working days, from 2026-01-01) and AKTA (24 hours);
    `ps.u_svcop` operator of the unit (staff2's account); holiday 2026-03-19; staff1 is the officer."""
    ns = SimpleNamespace(**vars(org_chart))
    ns.unit = org_chart.opd
    ktp = PublicService(unit_id=ns.unit.id, code="KTP", name="Perekaman KTP-el")
    akta = PublicService(unit_id=ns.unit.id, code="AKTA", name="Akta Kelahiran")
    db.session.add_all([ktp, akta])
    db.session.flush()
    db.session.add_all(
        [
            ServiceStandard(service_id=ktp.id, valid_from=date(2026, 1, 1), completion_time=5,
                            completion_unit=CompletionUnit.WORKING_DAYS, requirements="KK", product="KTP-el"),
            ServiceStandard(service_id=akta.id, valid_from=date(2026, 1, 1), completion_time=24,
                            completion_unit=CompletionUnit.HOURS, product="Akta"),
            Holiday(day=date(2026, 3, 19), name="Hari Suci Nyepi", kind=HolidayKind.NATIONAL),
        ]
    )  # fmt: skip
    ns.ktp, ns.akta = ktp, akta
    ns.u_svcop = make_user("operasional1", {Role.PEGAWAI}, org_chart.staff2)
    db.session.add(ServiceOperator(unit_id=ns.unit.id, user_id=ns.u_svcop.id))
    ns.u_pimpinan = make_user("pimpinan1", {Role.PIMPINAN})
    ns.u_pimpinan.set_pimpinan_unit(org_chart.opd.id)
    db.session.commit()
    nip = org_chart.staff1.nip
    ns.rows = [
        ["KTP", "R-1", "2026-03-02 08:00", "2026-03-04 10:00", nip, "loket", "selesai"],  # 2 working days
        ["KTP", "R-2", "2026-03-16 08:00", "2026-03-24 10:00", nip, "loket", ""],  # 5 (19th a holiday): within
        ["KTP", "R-3", "2026-03-02 08:00", "2026-03-13 10:00", "Staf Satu", "daring", "selesai"],  # 9: late
        ["AKTA", "R-4", "2026-03-05 08:00", "2026-03-05 15:00", nip, "loket", "selesai"],  # 7 hours
        ["KTP", "R-5", "2026-03-30 08:00", "", nip, "loket", "proses"],  # open at the end of March
    ]
    return ns
