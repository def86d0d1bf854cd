"""Lists read the way the SKP form does: Utama before Tambahan, windows by name, realisasi on today's window,
and a returned SKP in the pegawai's to-do list."""

from __future__ import annotations

from datetime import date

from kinerja_web.domain.skp import Frequency, RhkKategori, current_window, periodic_windows, window_label
from kinerja_web.domain.workflow import SkpStatus
from kinerja_web.extensions import db
from kinerja_web.models import Feedback, Rhk, Skp
from kinerja_web.todos import todos_for

from ..skp_fixtures import *  # noqa: F403
from ..skp_fixtures import make_skp


def test_window_labels_name_the_quarter_in_roman_numerals():
    assert window_label(Frequency.TRIWULAN, 4) == "Triwulan IV"
    assert window_label(Frequency.SEMESTER, 2) == "Semester II"
    assert window_label(Frequency.BULANAN, 11) == "Bulan 11"
    windows = periodic_windows(2026, Frequency.TRIWULAN, date(2026, 1, 1), date(2026, 12, 31))
    assert current_window(windows, date(2026, 11, 5)).label == "Triwulan IV"
    assert current_window(windows, date(2027, 1, 2)) is None


def _with_tambahan_first(org_chart, period) -> Skp:
    """Tambahan is stored first and sorts first alphabetically: the lists must still start with Utama."""
    skp = make_skp(org_chart.staff1, period, status=SkpStatus.APPROVED, rhks=(("Tugas tambahan rapat", None),))
    skp.rhks[0].kategori = RhkKategori.TAMBAHAN
    db.session.add(Rhk(skp=skp, kategori=RhkKategori.UTAMA, uraian="Surat teragenda", position=0))
    db.session.commit()
    db.session.expire_all()
    return db.session.get(Skp, skp.id)


def test_utama_comes_before_tambahan_in_the_skp_and_its_realisasi(app, org_chart, period):
    skp = _with_tambahan_first(org_chart, period)
    assert [r.kategori for r in skp.rhks] == [RhkKategori.UTAMA, RhkKategori.TAMBAHAN]
    client = app.test_client(user=org_chart.u_staff)
    for url in (f"/skp/{skp.id}", f"/skp/{skp.id}/realisasi", f"/skp/{skp.id}/cetak"):
        body = client.get(url).get_data(as_text=True)
        assert body.index("Surat teragenda") < body.index("Tugas tambahan rapat"), url


def test_realisasi_opens_on_the_quarter_running_today(app, org_chart, period, monkeypatch):
    skp = make_skp(org_chart.staff1, period, status=SkpStatus.APPROVED)
    monkeypatch.setattr("kinerja_web.blueprints.skp.views.progress.today_wib", lambda: date(2026, 8, 17))
    client = app.test_client(user=org_chart.u_staff)
    body = client.get(f"/skp/{skp.id}/realisasi").get_data(as_text=True)
    assert "Realisasi SKP 2026 — Triwulan III" in body
    # An explicit choice still wins.
    assert "— Triwulan I</h1>" in client.get(f"/skp/{skp.id}/realisasi?periode=1").get_data(as_text=True)


def test_feedback_names_its_quarter_not_its_number(app, org_chart, period):
    skp = make_skp(org_chart.staff1, period, status=SkpStatus.APPROVED)
    db.session.add(Feedback(skp_id=skp.id, author=org_chart.u_kasi, rhk_id=skp.rhks[0].id, body="Bagus.", window_no=4))
    db.session.commit()
    body = app.test_client(user=org_chart.u_staff).get(f"/skp/{skp.id}/umpan-balik").get_data(as_text=True)
    assert "Triwulan IV" in body and "periode 4" not in body


def test_a_returned_skp_is_on_the_pegawai_to_do_list(app, org_chart, period):
    skp = make_skp(org_chart.staff1, period, status=SkpStatus.SUBMITTED, appraiser=org_chart.kasi)
    with app.test_request_context():
        assert not [t for t in todos_for(org_chart.u_staff) if "dikembalikan" in t.message]
    r = app.test_client(user=org_chart.u_kasi).post(f"/skp/{skp.id}/kembalikan", data={"note": "Target kurang."})
    assert r.status_code == 303
    with app.test_request_context():
        todos = [t for t in todos_for(org_chart.u_staff) if "dikembalikan" in t.message]
        assert [(t.message, t.link) for t in todos] == [
            ("SKP 2026 dikembalikan pejabat penilai untuk diperbaiki", f"/skp/{skp.id}")
        ]
        assert not [t for t in todos_for(org_chart.u_kasi) if "dikembalikan" in t.message]
