"""Service-log import: preview errors in Indonesian, idempotency, personal-data columns, the monthly figures."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from kinerja_web.domain import DomainError
from kinerja_web.extensions import db
from kinerja_web.models import ServiceMonthStat, ServiceTransaction
from kinerja_web.services.public_service import files, log_import, stats

from .conftest import TODAY, csv_bytes, import_rows


def _preview(unit, rows, **kw):
    return log_import.build_preview(unit, files.read_table("log.csv", csv_bytes(rows, **kw)), today=TODAY)


def test_import_computes_working_days_standard_and_month_figures(ps):
    _, counts = import_rows(ps.unit, ps.rows)
    assert counts == {"baru": 5, "diubah": 0, "tidak_berubah": 0, "dilewati": 0}
    by_id = {t.identifier: t for t in db.session.scalars(select(ServiceTransaction))}
    assert (by_id["R-1"].elapsed_days, by_id["R-1"].within_standard) == (2, True)
    assert (by_id["R-2"].elapsed_days, by_id["R-2"].within_standard) == (5, True)  # Nyepi skipped
    assert (by_id["R-3"].elapsed_days, by_id["R-3"].within_standard) == (9, False)
    assert (by_id["R-4"].elapsed_hours, by_id["R-4"].within_standard) == (7, True)
    assert by_id["R-3"].officer_id == ps.staff1.id  # by name
    march = stats.summarize(stats.month_rows(date(2026, 3, 1), date(2026, 3, 31), unit_ids=[ps.unit.id]))
    assert (march.received, march.completed, march.within, march.backlog) == (5, 4, 3, 1)
    assert march.within_share == 75
    assert (march.median, march.p90) == (2, 9)
    officer = stats.summarize(stats.month_rows(date(2026, 3, 1), date(2026, 3, 31), officer_id=ps.staff1.id))
    assert officer.completed == 4


def test_reimport_is_idempotent_and_updates_changed_rows(ps):
    import_rows(ps.unit, ps.rows)
    again = _preview(ps.unit, ps.rows)
    assert again.counts == {"new": 0, "changed": 0, "unchanged": 5, "invalid": 0}
    rows = [r[:] for r in ps.rows]
    rows[4][3], rows[4][6] = "2026-04-01 09:00", "selesai"
    _, counts = import_rows(ps.unit, rows)
    assert counts["diubah"] == 1 and counts["baru"] == 0
    assert db.session.scalar(select(func.count(ServiceTransaction.id))) == 5
    march = stats.summarize(stats.month_rows(date(2026, 3, 1), date(2026, 3, 31), unit_ids=[ps.unit.id]))
    april = stats.summarize(stats.month_rows(date(2026, 4, 1), date(2026, 4, 30), unit_ids=[ps.unit.id]))
    assert march.backlog == 1 and april.backlog == 0 and april.completed == 1


def test_bad_rows_get_indonesian_messages_and_nothing_is_saved(ps):
    nip = ps.staff1.nip
    rows = [
        ["KTP", "B-1", "2026-03-05 08:00", "2026-03-04 08:00", nip, "", ""],  # completed before received
        ["PASPOR", "B-2", "2026-03-05 08:00", "", "", "", ""],  # unknown service
        ["KTP", "B-3", "2026-03-05 08:00", "", "199999999999999999", "", ""],  # unknown officer
        ["KTP", "B-4", "2027-03-05 08:00", "", "", "", ""],  # future
        ["KTP", "B-5", "2026-03-05 08:00", "", "", "", ""],
        ["KTP", "B-5", "2026-03-05 08:00", "", "", "", ""],  # duplicate
        ["KTP", "3201010101010001", "2026-03-05 08:00", "", "", "", ""],  # a NIK as identifier
        ["KTP", "B-7", "kemarin", "", "", "", "beres"],
    ]
    preview = _preview(ps.unit, rows)
    messages = {r.identifier: " ".join(r.errors) for r in preview.bad_rows}
    assert "SELESAI sebelum DITERIMA" in messages["B-1"]
    assert "tidak ada di katalog" in messages["B-2"]
    assert "tidak dikenal" in messages["B-3"]
    assert "masa depan" in messages["B-4"]
    assert "sudah muncul di baris" in messages["B-5"]
    assert "NIK" in messages["3201010101010001"]
    assert "bukan tanggal" in messages["B-7"] and "STATUS" in messages["B-7"]
    with pytest.raises(DomainError, match="baris yang salah"):
        log_import.apply_preview(preview, skip_invalid=False, now=None)
    db.session.rollback()
    assert db.session.scalar(select(func.count(ServiceTransaction.id))) == 0


def test_personal_data_columns_are_dropped_and_said(ps):
    header = "NIK;NAMA_PEMOHON;ALAMAT;LAYANAN;NOMOR;DITERIMA;SELESAI;PETUGAS"
    rows = [["3201010101010001", "Warga Satu", "Jl. Mawar", "KTP", "P-1", "2026-03-02 08:00", "2026-03-03 08:00", ""]]
    preview = _preview(ps.unit, rows, header=header)
    assert preview.dropped_columns == ["NIK", "NAMA_PEMOHON", "ALAMAT"]
    assert any("data pribadi warga" in w for w in preview.warnings)
    assert preview.counts["new"] == 1
    assert "Warga" not in repr(preview.rows[0].values)


def test_wrong_encoding_is_read_with_a_warning(ps):
    data = "LAYANAN;NOMOR;DITERIMA\nKTP;R-é;2026-03-02 08:00\n".encode("cp1252")
    table = files.read_table("log.csv", data)
    assert table.rows[0][1][1] == "R-é"
    assert "Windows-1252" in table.warnings[0]


def test_missing_required_column_is_refused(ps):
    with pytest.raises(DomainError, match="Kolom wajib tidak ada: DITERIMA"):
        _preview(ps.unit, [["KTP", "R-1"]], header="LAYANAN;NOMOR")


def test_refresh_leaves_no_stale_month_rows(ps):
    import_rows(ps.unit, ps.rows)
    n = db.session.scalar(select(func.count(ServiceMonthStat.id)))
    stats.refresh(ps.unit.id, [date(2026, 3, 1)])
    assert db.session.scalar(select(func.count(ServiceMonthStat.id))) == n
