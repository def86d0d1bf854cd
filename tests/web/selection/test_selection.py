"""Seleksi jabatan end to end through the pages, and the bad-input cases of issue 21 that concern selection."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from kinerja_web.domain import DomainError
from kinerja_web.domain.selection import CandidateStatus, MemberRole, SelectionStatus, StageKind, StageStatus
from kinerja_web.extensions import db
from kinerja_web.models import AuditLog, IssuedDocument
from kinerja_web.services.selection import setup, stages

from .fixtures import MARKS, WEIGHTS


def _client(app, user):
    return app.test_client(user=user)


def _url(ns, tail=""):
    return f"/seleksi/{ns.sel.id}{tail}"


def _run_to_wawancara(app, ns):
    hr = _client(app, ns.u_hr)
    assert hr.post(_url(ns, "/mulai")).status_code == 303
    adm = ns.stage[StageKind.ADMINISTRASI]
    assert hr.post(_url(ns, f"/tahap/{adm.id}/hitung")).status_code == 303
    # Calon Empat (III/b) does not meet golongan III/c: ticking them is refused, nothing saved.
    r = hr.post(_url(ns, f"/tahap/{adm.id}/tutup"), data={"lolos": [ns.c1.id, ns.c2.id, ns.c3.id, ns.c4.id]})
    assert r.status_code == 422
    body = r.get_data(as_text=True)
    assert "Calon Empat tidak memenuhi syarat" in body and "golongan minimal III/c" in body
    db.session.expire_all()
    assert ns.stage[StageKind.ADMINISTRASI].status == StageStatus.OPEN
    assert (
        hr.post(_url(ns, f"/tahap/{adm.id}/tutup"), data={"lolos": [ns.c1.id, ns.c2.id, ns.c3.id]}).status_code == 303
    )
    for kind in (StageKind.UJI_KOMPETENSI, StageKind.REKAM_JEJAK):
        st = ns.stage[kind]
        assert hr.post(_url(ns, f"/tahap/{st.id}/hitung")).status_code == 303
        ok = [c.id for c in (ns.c1, ns.c2, ns.c3)]
        r = hr.post(_url(ns, f"/tahap/{st.id}/tutup"), data={"lolos": ok})
        assert r.status_code == 303, r.get_data(as_text=True)[:2000]
    return hr


def test_the_whole_selection_from_opening_to_the_ppk_choice(app, sel_world):
    ns = sel_world
    hr = _run_to_wawancara(app, ns)
    db.session.expire_all()
    results = stages.results_by_stage(ns.sel)
    uk = results[ns.stage[StageKind.UJI_KOMPETENSI].id]
    assert uk[ns.c1.id].score == Decimal("100.00") and uk[ns.c2.id].score == Decimal("94.44")
    assert uk[ns.c1.id].detail["assessment_id"]
    rj = results[ns.stage[StageKind.REKAM_JEJAK].id]
    assert rj[ns.c1.id].score == Decimal("90.00") and rj[ns.c2.id].score == Decimal("80.00")
    assert ns.c4.status == CandidateStatus.FAILED and ns.c4.failed_stage == StageKind.ADMINISTRASI

    # The pansel: declare, then score (a member scoring before declaring is told to declare first).
    scores = {ns.u_kabid: (80, 70, 90), ns.u_kasi: (84, 72, 88), ns.u_head: (76, 74, 86)}
    for user, values in scores.items():
        c = _client(app, user)
        r = c.post(_url(ns, f"/panitia/nilai/{ns.c1.id}"), data={"score": "80"})
        assert r.status_code == 422 and "pernyataan tidak ada konflik kepentingan" in r.get_data(as_text=True)
        for cand, v in zip((ns.c1, ns.c2, ns.c3), values, strict=True):
            assert c.post(_url(ns, f"/panitia/pernyataan/{cand.id}"), data={"conflict": "tidak"}).status_code == 303
            assert c.post(_url(ns, f"/panitia/nilai/{cand.id}"), data={"score": str(v)}).status_code == 303
    w = ns.stage[StageKind.WAWANCARA]
    assert hr.post(_url(ns, f"/tahap/{w.id}/tutup"), data={"lolos": [ns.c1.id, ns.c2.id, ns.c3.id]}).status_code == 303
    # Scoring after the stage closed is refused.
    r = _client(app, ns.u_kasi).post(_url(ns, f"/panitia/nilai/{ns.c1.id}"), data={"score": "99", "version": "1"})
    assert r.status_code == 422 and "sudah ditutup" in r.get_data(as_text=True)

    db.session.expire_all()
    ranked = stages.ranking(ns.sel)
    # wawancara means: c1 80, c2 72, c3 88. Final = 0.4 uji kompetensi + 0.2 rekam jejak + 0.4 wawancara:
    # c3 40 + 18 + 35.2 = 93.2; c1 40 + 18 + 32 = 90; c2 37.776 + 16 + 28.8 = 82.58
    assert [(r.name, r.final) for r in ranked] == [
        ("Calon Tiga", Decimal("93.20")),
        ("Staf Satu", Decimal("90.00")),
        ("Staf Dua", Decimal("82.58")),
    ]
    assert stages.ranking(ns.sel) == ranked  # reproducible from the recorded rows

    # Pengumuman of a closed stage, verifiable on /verifikasi.
    adm = ns.stage[StageKind.ADMINISTRASI]
    assert hr.post(_url(ns, f"/tahap/{adm.id}/pengumuman")).status_code == 303
    db.session.expire_all()
    doc = db.session.get(IssuedDocument, ns.stage[StageKind.ADMINISTRASI].pengumuman_id)
    assert doc is not None and doc.pdf.startswith(b"%PDF")
    staff = _client(app, ns.u_other)
    got = staff.get(_url(ns, f"/dokumen/{doc.id}"))
    assert got.status_code == 200 and got.data == doc.pdf
    ok = app.test_client().post(
        "/verifikasi", data={"berkas": (io.BytesIO(doc.pdf), "p.pdf")}, content_type="multipart/form-data"
    )
    assert "identik" in ok.get_data(as_text=True)

    # Three best to the PPK, with the Berita Acara and the usulan; the PPK's choice.
    assert hr.post(_url(ns, "/usulan")).status_code == 303
    db.session.expire_all()
    assert ns.sel.status == SelectionStatus.PROPOSED and ns.sel.berita_acara_id and ns.sel.usulan_id
    assert staff.get(_url(ns, f"/dokumen/{ns.sel.berita_acara_id}")).status_code == 403
    assert _client(app, ns.u_kasi).get(_url(ns, f"/dokumen/{ns.sel.usulan_id}")).status_code == 200
    r = hr.post(_url(ns, "/keputusan"), data={"candidate_id": ns.c4.id, "basis": "Disposisi Bupati"})
    assert r.status_code == 422 and "calon yang diusulkan" in r.get_data(as_text=True)
    r = hr.post(_url(ns, "/keputusan"), data={"candidate_id": ns.c2.id, "basis": "Disposisi Bupati 12/2026"})
    assert r.status_code == 303
    db.session.expire_all()
    assert ns.sel.status == SelectionStatus.DECIDED and ns.c2.status == CandidateStatus.CHOSEN
    actions = {a.action for a in db.session.query(AuditLog).all()}
    assert {"score_member", "close_stage", "propose_selection", "decide_selection", "compute_stage"} <= actions

    # A candidate sees their own results and no one else's scores.
    mine = _client(app, ns.u_staff).get(_url(ns)).get_data(as_text=True)
    assert "Hasil saya" in mine and "100.00" in mine and "94.44" not in mine and "82.58" not in mine


def test_two_people_editing_the_same_score_the_second_is_told_it_changed(app, sel_world):
    ns = sel_world
    hr = _run_to_wawancara(app, ns)  # noqa: F841 - every stage before wawancara is closed
    c = _client(app, ns.u_kasi)
    c.post(_url(ns, f"/panitia/pernyataan/{ns.c1.id}"), data={"conflict": "tidak"})
    assert c.post(_url(ns, f"/panitia/nilai/{ns.c1.id}"), data={"score": "70", "version": ""}).status_code == 303
    # Two tabs opened at version 1: the first save wins, the second gets the conflict message.
    assert c.post(_url(ns, f"/panitia/nilai/{ns.c1.id}"), data={"score": "75", "version": "1"}).status_code == 303
    r = c.post(_url(ns, f"/panitia/nilai/{ns.c1.id}"), data={"score": "60", "version": "1"})
    assert r.status_code == 409 and "telah diubah oleh pengguna lain" in r.get_data(as_text=True)
    assert 'value="60"' in r.get_data(as_text=True)  # what was typed stays
    db.session.expire_all()
    assert [s.score for s in stages.member_scores(ns.stage[StageKind.WAWANCARA])] == [Decimal("75.00")]


def test_shared_stage_score_edited_by_hr_and_the_ketua(app, sel_world):
    ns = sel_world
    hr = _client(app, ns.u_hr)
    hr.post(_url(ns, "/mulai"))
    adm = ns.stage[StageKind.ADMINISTRASI]
    hr.post(_url(ns, f"/tahap/{adm.id}/hitung"))
    hr.post(_url(ns, f"/tahap/{adm.id}/tutup"), data={"lolos": [ns.c1.id, ns.c2.id, ns.c3.id]})
    uk = ns.stage[StageKind.UJI_KOMPETENSI]
    path = _url(ns, f"/tahap/{uk.id}/nilai/{ns.c1.id}")
    assert hr.post(path, data={"score": "81", "note": "Hasil CAT BKN", "version": ""}).status_code == 303
    ketua = _client(app, ns.u_kabid)
    r = ketua.post(path, data={"score": "85", "note": "Koreksi", "version": ""})  # opened before HR saved
    assert r.status_code == 409 and "telah diubah" in r.get_data(as_text=True)
    assert ketua.post(path, data={"score": "85", "note": "Koreksi", "version": "1"}).status_code == 303
    bad = hr.post(path, data={"score": "101", "note": "x", "version": "2"})
    assert bad.status_code == 422 and "antara 0 dan 100" in bad.get_data(as_text=True)
    assert _client(app, ns.u_kasi).post(path, data={"score": "1", "note": "x"}).status_code == 403


def test_weights_must_sum_to_100_and_nothing_is_saved(app, sel_world):
    ns = sel_world
    form = {
        "title": "Seleksi Uji",
        "kind": "internal",
        "position_id": ns.p_target.id,
        "unit_id": ns.opd.id,
        "registration_opens": "2026-01-01",
        "registration_closes": "2026-02-01",
        "min_predikat": "baik",
        "weight_administrasi": "0",
        "weight_uji_kompetensi": "50",
        "weight_rekam_jejak": "20",
        "weight_wawancara": "40",
        **{f"pass_{k.value}": "60" for k in MARKS},
    }
    before = db.session.query(setup.Selection).count()
    r = _client(app, ns.u_hr).post("/seleksi/baru", data=form)
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and "Jumlah bobot tahapan harus 100% (sekarang 110%)" in body
    assert 'value="Seleksi Uji"' in body
    assert db.session.query(setup.Selection).count() == before
    form["weight_uji_kompetensi"] = "4O"
    r = _client(app, ns.u_hr).post("/seleksi/baru", data=form)
    assert r.status_code == 422 and "bukan angka" in r.get_data(as_text=True)
    form["weight_uji_kompetensi"] = "40"
    assert _client(app, ns.u_hr).post("/seleksi/baru", data=form).status_code == 303


def test_a_pansel_of_even_size_cannot_start(app, sel_world):
    ns = sel_world
    hr = _client(app, ns.u_hr)
    head = ns.members[ns.head.id]
    assert hr.post(_url(ns, f"/pansel/{head.id}/hapus")).status_code == 303
    r = hr.post(_url(ns, "/mulai"))
    assert r.status_code == 422 and "harus berjumlah ganjil (sekarang 2 orang)" in r.get_data(as_text=True)
    db.session.expire_all()
    assert ns.sel.status == SelectionStatus.OPEN


def test_a_member_with_a_conflict_does_not_score_that_candidate(app, sel_world):
    ns = sel_world
    _run_to_wawancara(app, ns)
    c = _client(app, ns.u_head)
    r = c.post(_url(ns, f"/panitia/pernyataan/{ns.c1.id}"), data={"conflict": "ada", "note": ""})
    assert r.status_code == 422 and "Jelaskan singkat" in r.get_data(as_text=True)
    c.post(_url(ns, f"/panitia/pernyataan/{ns.c1.id}"), data={"conflict": "ada", "note": "Saudara kandung"})
    r = c.post(_url(ns, f"/panitia/nilai/{ns.c1.id}"), data={"score": "90"})
    assert r.status_code == 422 and "konflik kepentingan" in r.get_data(as_text=True)


def test_registration_rules(app, sel_world):
    ns = sel_world
    with pytest.raises(DomainError, match="sudah terdaftar"):
        setup.register_employee(ns.sel, ns.staff1, None, ns.u_hr)
    with pytest.raises(DomainError, match="panitia seleksi ini"):
        setup.register_employee(ns.sel, ns.kasi, None, ns.u_hr)
    with pytest.raises(DomainError, match="sudah mempunyai ketua"):
        setup.add_member(ns.sel, nip=ns.other.nip, name=None, institution=None, role=MemberRole.KETUA)
    db.session.rollback()
    # An employee applies from the intranet.
    r = _client(app, ns.u_other).post(_url(ns, "/daftar"), data={"pendidikan": "s1"})
    assert r.status_code == 303
    db.session.expire_all()
    assert any(c.employee_id == ns.other.id for c in ns.sel.candidates)
    # External candidates: registered by HR in an open selection, with what they state.
    r = _client(app, ns.u_hr).post(
        _url(ns, "/peserta"), data={"name": "Budi Luar", "institution": "Pemkab Tetangga", "golongan": "III/d"}
    )
    assert r.status_code == 422 and "Pilih pendidikan terakhir" in r.get_data(as_text=True)
    r = _client(app, ns.u_hr).post(
        _url(ns, "/peserta"),
        data={"name": "Budi Luar", "institution": "Pemkab Tetangga", "golongan": "III/d", "pendidikan": "s2"},
    )
    assert r.status_code == 303
    assert WEIGHTS[StageKind.WAWANCARA] == Decimal(40)
