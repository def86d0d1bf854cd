"""A failed save changes no other field: each documents form re-rendered after a refusal shows what was sent."""

from __future__ import annotations

import pytest

from kinerja_web.extensions import db

from ..helpers import assert_form_kept
from .test_documents import add_issuer_settings, issue_sk

# (form target, what is sent with one bad value); "{opd}" is the issuing OPD's id
REFUSED = [
    (
        "/dokumen/pengaturan/kop",
        dict(unit_id="{opd}", pemda_name="Pemkab Uji", opd_name="Badan Uji", address="", contact="0724", city="Abung"),
    ),
    (
        "/dokumen/pengaturan/penanda-tangan",
        dict(unit_id="{opd}", doc_type="kartu_pegawai", employee_id="", jabatan="Sekretaris Badan", name="Dra. Uji")
        | dict(nip="bukan-nip", pangkat="Pembina", place="Kotabumi", acting="plh"),
    ),
    (
        "/dokumen/register",
        dict(unit_id="{opd}", doc_type="slip_gaji", year="1999", pattern="900/{nomor}/{tahun}", kode_unit="UJI"),
    ),
    (
        "/dokumen/batch",
        dict(unit_id="{opd}", subject_unit_id="{opd}", doc_type="sk_penghargaan", penghargaan="Pegawai Teladan")
        | dict(issued_on="tanggal salah"),
    ),
]


@pytest.fixture
def issuer(org_chart):
    add_issuer_settings(org_chart.opd)
    db.session.flush()
    return org_chart


def _refused(app, ns, url, sent):
    r = app.test_client(user=ns.u_hr).post(url, data=sent)
    assert r.status_code == 422, r.get_data(as_text=True)[:300]
    assert_form_kept(r.get_data(as_text=True), url, sent)


@pytest.mark.parametrize(("url", "sent"), REFUSED, ids=[u for u, _ in REFUSED])
def test_a_refused_form_keeps_every_field(app, issuer, url, sent):
    _refused(app, issuer, url, {k: v.replace("{opd}", str(issuer.opd.id)) for k, v in sent.items()})


def test_a_refused_revocation_keeps_the_reason_and_the_replacement(app, issuer):
    doc = issue_sk(issuer, [issuer.staff1])
    _refused(app, issuer, f"/dokumen/{doc.id}/cabut", {"reason": "Nama salah ketik", "replacement": "800/999/X"})
