"""A refused SKP form shows again with every value the user sent (issue 19 item 8): a period, an RHK template,
an RHK and an indicator edited in place, and continuous feedback."""

from __future__ import annotations

from ..helpers import assert_refusal_keeps
from ..skp_fixtures import *  # noqa: F403
from ..skp_fixtures import make_skp


def test_a_refused_period_keeps_every_field(app, org_chart):
    hr = app.test_client(user=org_chart.u_hr)
    changes = {"year": "2027", "frequency": "bulanan", "start_date": "2026-12-01", "end_date": "2027-12-31"}
    assert_refusal_keeps(hr, "/skp/periode", "/skp/periode", changes, "di dalam tahun periode")


def test_a_refused_rhk_template_keeps_every_field(app, org_chart, period):
    hr = app.test_client(user=org_chart.u_hr)
    changes = {
        "position_id": str(org_chart.p_staff1.id),
        "kategori": "tambahan",
        "uraian": "Tersusunnya agenda surat",
        "aspek": "waktu",
        "indikator": "Jumlah agenda",
        "target": "",  # required
        "satuan": "agenda",
    }
    assert_refusal_keeps(hr, "/skp/templat", "/skp/templat", changes)


def test_a_refused_rhk_edit_keeps_every_field(app, org_chart, period):
    skp = make_skp(org_chart.staff1, period)
    rhk = skp.rhks[0]
    url = f"/skp/{skp.id}/rhk/{rhk.id}/ubah"
    client = app.test_client(user=org_chart.u_staff)
    assert_refusal_keeps(client, url, url, {"kategori": "tambahan", "uraian": "  "})


def test_a_refused_indicator_edit_keeps_every_field(app, org_chart, period):
    skp = make_skp(org_chart.staff1, period)
    iki = skp.rhks[0].indikators[0]
    url = f"/skp/{skp.id}/iki/{iki.id}/ubah"
    client = app.test_client(user=org_chart.u_staff)
    assert_refusal_keeps(
        client, url, url, {"aspek": "kualitas", "indikator": "Mutu arsip", "target": "", "satuan": "%"}
    )


def test_refused_feedback_keeps_the_chosen_subject_and_quarter(app, org_chart, period):
    from kinerja_web.domain.workflow import SkpStatus

    skp = make_skp(org_chart.staff1, period, status=SkpStatus.APPROVED, appraiser=org_chart.kasi)
    url = f"/skp/{skp.id}/umpan-balik"
    client = app.test_client(user=org_chart.u_kasi)
    changes = {"target": "nilai-Kolaboratif", "window": "2", "body": ""}  # no text: refused
    assert_refusal_keeps(client, url, url, changes)


def test_refused_realisasi_evidence_keeps_the_value_and_the_note(app, org_chart, period):
    import io

    from kinerja_web.domain.workflow import SkpStatus

    from ..helpers import assert_form_kept

    skp = make_skp(org_chart.staff1, period, status=SkpStatus.APPROVED, appraiser=org_chart.kasi)
    iki = skp.rhks[0].indikators[0]
    url = f"/skp/{skp.id}/realisasi"
    sent = {"indikator_id": str(iki.id), f"nilai-{iki.id}": "410", f"keterangan-{iki.id}": "Agenda triwulan I"}
    r = app.test_client(user=org_chart.u_staff).post(
        url + "?periode=1",
        data={**sent, f"bukti-{iki.id}": (io.BytesIO(b"MZ\x90\x00 not a document"), "bukti.exe")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 422
    kept = {k: v for k, v in sent.items() if k != "indikator_id"}  # every indicator's form has its own id
    assert_form_kept(r.get_data(as_text=True), url, kept)
