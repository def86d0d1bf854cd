"""Issue 20 item 7: months before 2024. A 2023 payroll month is refused until the regional (TPP) tables have a
2023 version, names them and says where to add them; with those added (as an administrator does in Aturan gaji)
2023 months compute with the shipped 2022–2023 national versions, a rapel reaching back into 2023 and a
correction of a 2023 month compute, and `flask payroll verify` reproduces them."""

from __future__ import annotations

import html
import json
from datetime import date

import pytest
from sqlalchemy import select

from kinerja_web.domain.payroll.codec import encode
from kinerja_web.extensions import db
from kinerja_web.models import PayrollLine, PayrollPredikat, PayrollRun, RunKind
from kinerja_web.services.payroll import compute, months, rules, runs

from . import test_payroll_special as sp
from .test_payroll_flow import as_user

NOV, DEC, JAN = date(2023, 11, 1), date(2023, 12, 1), date(2024, 1, 1)
TPP_TABLES = ("tpp_pagu", "tpp_komposisi", "tpp_persen_predikat", "tpp_potongan_disiplin", "tpp_faktor_status")


@pytest.fixture
def pay(org_chart):
    """`test_payroll_special.pay` (rules, PTKP status) with predikat for November 2023 – January 2024."""
    ns = sp.pay.__wrapped__(org_chart)
    for e in ns.people:
        for m in (NOV, DEC, JAN):
            db.session.add(PayrollPredikat(employee_id=e.id, month=m, predikat="baik", source="uji"))
    db.session.commit()
    return ns


def add_version(ns, code, mulai, citation, data):
    rules.add_rule_version(rules.RuleVersionDraft(code, f"{code}@{mulai}", mulai, None, citation, data), ns.u_admin)
    db.session.commit()


def add_tpp_2023(ns):
    """The Perbup TPP 2023 tables, back-dated in Aturan gaji (here with the 2024 content)."""
    current = rules.load_rules()
    for code in TPP_TABLES:
        add_version(
            ns, code, date(2023, 1, 1), "Perbup TPP 2023 (uji)", encode(getattr(current, code).versions[-1].data)
        )


def test_a_2023_month_is_refused_naming_the_tpp_tables_until_they_have_a_2023_version(app, pay):
    run = runs.create_run(DEC, None, pay.u_operator)
    db.session.commit()
    with pytest.raises(months.PayrollRefused) as e:
        compute.compute_run(run, pay.u_operator)
    text = " ".join(e.value.problems)
    assert "Desember 2023" in text and "Pagu TPP per kelas jabatan" in text and "Aturan gaji" in text
    assert "Gaji pokok PNS" not in text and "PTKP" not in text  # the national tables have 2022–2023 versions
    db.session.rollback()
    add_tpp_2023(pay)
    run = compute.compute_run(db.session.get(PayrollRun, run.id), pay.u_operator)
    assert run.employee_count == len(pay.people)
    assert run.rule_versions["ter"] == "ter@2022-01-01" and run.rule_versions["tpp_pagu"] == "tpp_pagu@2023-01-01"
    assert run.rule_versions["gaji_pokok_pns"] == "gaji_pokok_pns@2019-01-01"


def test_a_rapel_reaching_back_into_2023_computes_and_verifies(app, pay):
    ns = pay
    add_tpp_2023(ns)
    nov, dec, jan = (sp.final_regular(ns, m) for m in (NOV, DEC, JAN))
    pph = db.session.scalars(
        select(PayrollLine).where(PayrollLine.run_id == dec.id, PayrollLine.code == "POT_PPH")
    ).first()
    assert "UU 7/2021 (HPP), mulai tahun pajak 2022" in pph.citation  # December 2023: the annual true-up
    assert (
        "PER-16/PJ/2016"
        in db.session.scalars(
            select(PayrollLine.citation).where(PayrollLine.run_id == nov.id, PayrollLine.code == "POT_PPH")
        ).first()
    )
    page = html.unescape(as_user(app, ns.u_staff).get(f"/gaji/run/{nov.id}/pegawai/{ns.staff1.id}").text)
    assert "Metode PPh 21 bulanan" in page and "PER-16/PJ/2016" in page and "November 2023" in page
    # A back-dated raise of the tunjangan umum from November 2023 (a retroactive Perpres, for the test)
    umum = encode(rules.load_rules().tunjangan_umum.versions[0].data)
    umum["per_golongan"] = {g: v + 50_000 for g, v in umum["per_golongan"].items()}
    add_version(ns, "tunjangan_umum", NOV, "Perpres tunjangan umum (uji)", umum)

    op = as_user(app, ns.u_operator)
    assert sp.create(op, "rapel", month="2024-01", period_start="2023-11", period_end="2023-12").status_code == 303
    run = sp.last_run()
    resp = op.post(f"/gaji/run/{run.id}/hitung")
    assert resp.status_code == 303, html.unescape(resp.text)
    db.session.refresh(run)
    assert run.kind is RunKind.RAPEL and run.source_run_ids == [nov.id, dec.id]
    rows = db.session.execute(
        select(PayrollLine.code, PayrollLine.amount, PayrollLine.inputs, PayrollLine.employee_id).where(
            PayrollLine.run_id == run.id, PayrollLine.code == "TJ_UMUM"
        )
    ).all()
    assert rows and {a for _, a, _, _ in rows} == {50_000}
    assert {dict(json.loads(i))["bulan"] for _, _, i, _ in rows} == {"2023-11-01", "2023-12-01"}
    assert run.rule_versions["tunjangan_umum@2023-11"] == "tunjangan_umum@2023-11-01"
    assert run.rule_versions["ter@bayar"] == "ter@2024-01-01"  # the rapel's PPh: TER of the payment masa
    sp.approve_and_finalise(app, ns, run)

    out = app.test_cli_runner().invoke(args=["payroll", "verify", "2024-01"])
    assert out.exit_code == 0 and out.output.count("IDENTIK") == 2, out.output
    out = app.test_cli_runner().invoke(args=["payroll", "verify", "2023-12"])
    assert out.exit_code == 0 and out.output.count("IDENTIK") == 1, out.output
    assert jan.rule_versions["ter"] == "ter@2024-01-01"


def test_a_2023_month_is_corrected_by_a_compensating_run(app, pay):
    ns = pay
    add_tpp_2023(ns)
    original = sp.final_regular(ns, DEC)
    ns.staff1.mkg_years = (ns.staff1.mkg_years or 0) + 4
    db.session.commit()
    fix = runs.create_run(DEC, None, ns.u_operator, RunKind.COMPENSATING, original=original, reason="MKG salah")
    compute.compute_run(fix, ns.u_operator)
    for step, who in (("verify", ns.u_verifikator), ("approve", ns.u_pejabat), ("finalise", ns.u_pejabat)):
        runs.transition(fix, step, who)
    db.session.commit()
    got = dict(
        db.session.execute(
            select(PayrollLine.code, PayrollLine.amount).where(
                PayrollLine.run_id == fix.id, PayrollLine.employee_id == ns.staff1.id
            )
        ).all()
    )
    assert got.get("GAPOK", 0) > 0 and fix.rule_versions["gaji_pokok_pns"] == "gaji_pokok_pns@2019-01-01"
    out = app.test_cli_runner().invoke(args=["payroll", "verify", "2023-12"])
    assert out.exit_code == 0 and out.output.count("IDENTIK") == 2, out.output
