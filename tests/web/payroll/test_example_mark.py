"""The mark "CONTOH — belum berdasarkan Perbup" (issue 19 item 3b): on the explanation page, the slip PDF and
the daftar gaji PDF of a run computed from an example rule, and on none of them once the Perbup versions are in."""

from __future__ import annotations

import os
from datetime import date

from sqlalchemy import select

from kinerja_web.domain.golive import EXAMPLE_MARK
from kinerja_web.extensions import db
from kinerja_web.models import IssuedDocument
from kinerja_web.services.payroll import documents as paydocs
from kinerja_web.services.payroll import outputs, rules
from tests.services.golive.test_readiness import replace_all_examples
from tests.web.payroll.test_payroll_documents import compute_october, finalise, issue_slips, pdf_text
from tests.web.payroll.test_payroll_flow import as_user


def issued_texts(app, ns) -> tuple[str, str, str]:
    """(explanation page, slip PDF text, daftar gaji PDF text) of staff1 in the final October run."""
    finalise(ns)
    assert issue_slips(app, ns).status_code == 303
    op = as_user(app, ns.u_operator)
    opd_id = outputs.recap(ns.run)[0]["opd_id"]
    assert (
        op.post(f"/gaji/run/{ns.run.id}/daftar/terbitkan", data={"unit_id": ns.opd.id, "opd_id": opd_id}).status_code
        == 303
    )
    slip = paydocs.slip_document(ns.run.id, ns.staff1.id)
    daftar = paydocs.daftar_document(ns.run.id, opd_id)
    pdf = {d.id: db.session.scalar(select(IssuedDocument.pdf).where(IssuedDocument.id == d.id)) for d in (slip, daftar)}
    page = as_user(app, ns.u_staff).get(f"/gaji/run/{ns.run.id}/pegawai/{ns.staff1.id}").text
    return page, pdf_text(pdf[slip.id]), pdf_text(pdf[daftar.id])


def _last_slip_pdf(ns) -> bytes:
    doc = paydocs.slip_document(ns.run.id, ns.staff1.id)
    return db.session.scalar(select(IssuedDocument.pdf).where(IssuedDocument.id == doc.id))


def test_a_run_computed_from_example_rules_says_so_on_every_document(app, org_chart):
    page, slip, daftar = issued_texts(app, compute_october(org_chart))
    if os.environ.get("KINERJA_SAMPLE_DIR"):  # for looking at the marked slip
        with open(os.path.join(os.environ["KINERJA_SAMPLE_DIR"], "slip-contoh.pdf"), "wb") as fh:
            fh.write(_last_slip_pdf(org_chart))
    assert EXAMPLE_MARK in page and "TPP komponen kinerja" in page.split(EXAMPLE_MARK, 1)[1][:400]
    assert EXAMPLE_MARK in slip and "ganti dengan Perbup" in slip  # the line's citation keeps its detail
    assert EXAMPLE_MARK in daftar and "Pagu TPP per kelas jabatan" in " ".join(daftar.split())  # lines wrap


def test_no_mark_once_the_perbup_versions_replace_the_examples(app, org_chart):
    rules.seed_rules()
    replace_all_examples(org_chart.u_admin, date(2026, 1, 1))
    page, slip, daftar = issued_texts(app, compute_october(org_chart))
    assert EXAMPLE_MARK not in page and "CONTOH" not in slip and EXAMPLE_MARK not in daftar
