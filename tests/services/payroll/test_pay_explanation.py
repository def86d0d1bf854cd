""" "Mengapa gaji saya sebesar ini?" for a human (issue 19 item 5): the summary's numbers are the computed lines,
the waterfall adds up to the net pay, the comparison with last month names the line that changed and why."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from kinerja_web.domain.labels import persen, rupiah
from kinerja_web.extensions import db
from kinerja_web.models import PayrollPredikat, RunKind, RunStatus
from kinerja_web.services.payroll import attendance, compute, explain, rules, runs, slips
from tests.web.payroll.test_payroll_special import final_regular

SEP, OCT = date(2026, 9, 1), date(2026, 10, 1)


@pytest.fixture
def two_months(org_chart):
    """September rated Baik, October Butuh Perbaikan for staff1 (everyone else Baik both months)."""
    rules.seed_rules()
    ns = org_chart
    for e in (ns.head, ns.kabid, ns.kasi, ns.staff1, ns.staff2, ns.other):
        e.ptkp_status = "TK/0"
        db.session.add(PayrollPredikat(employee_id=e.id, month=SEP, predikat="baik", source="uji"))
        oct_pred = "butuh_perbaikan" if e is ns.staff1 else "baik"
        db.session.add(PayrollPredikat(employee_id=e.id, month=OCT, predikat=oct_pred, source="uji"))
    db.session.commit()
    ns.sep = final_regular(ns, SEP)
    ns.oct = final_regular(ns, OCT)
    return ns


def text_of(sentence) -> str:
    return "".join(text for text, _ in sentence)


def test_the_tpp_sentence_is_the_computed_kinerja_line(app, two_months):
    ns = two_months
    slip = slips.slip_context(ns.oct, ns.staff1)
    line = next(ln for ln in slip["lines"] if ln["code"] == "TPP_KINERJA")
    v = line["values"]
    pagu, porsi, pct = int(v["pagu"]), Decimal(str(v["porsi"])), Decimal(str(v["persen"]))
    assert pct == Decimal("0.35")  # Butuh Perbaikan in the shipped example mapping
    assert line["amount"] == int((pagu * porsi * pct).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    sentences = [text_of(s) for s in explain.summary(slip, ns.oct)]
    tpp = next(s for s in sentences if s.startswith("TPP kinerja"))
    assert tpp.startswith(f"TPP kinerja Anda {rupiah(line['amount'])} = {persen(porsi)} × {rupiah(pagu)}")
    assert f"× {persen(pct)} karena predikat Oktober Anda Butuh Perbaikan." in tpp
    assert sentences[0] == (
        f"Bulan Oktober 2026 Anda menerima {rupiah(slip['netto'])}: penghasilan {rupiah(slip['penghasilan'])} "
        f"dikurangi potongan {rupiah(slip['potongan'])}."
    )
    links = {key for s in explain.summary(slip, ns.oct) for _, key in s if key}
    assert {"predikat", "kehadiran"} <= links and any(k.startswith("aturan#versi-") for k in links)


def test_the_waterfall_goes_from_the_lines_to_the_net_pay(app, two_months):
    slip = slips.slip_context(two_months.oct, two_months.staff1)
    steps = explain.waterfall_steps(slip)
    changes = [s.amount for s in steps if not s.total]
    assert sum(changes) == slip["netto"]
    assert [s.amount for s in steps if s.total] == [slip["penghasilan"], slip["netto"]]


def test_the_comparison_names_the_line_that_changed_and_why(app, two_months):
    ns = two_months
    slip = slips.slip_context(ns.oct, ns.staff1)
    before = slips.slip_context(ns.sep, ns.staff1)
    cmp = explain.comparison(ns.oct, ns.staff1, slip)
    assert cmp["run"].id == ns.sep.id and cmp["month_label"] == "September 2026"
    assert cmp["delta"] == slip["netto"] - before["netto"] < 0
    kinerja = next(c for c in cmp["changes"] if c["code"] == "TPP_KINERJA")
    assert kinerja["delta"] < 0
    assert ("Predikat kinerja", "Baik", "Butuh Perbaikan") in kinerja["reasons"]
    assert ("Persentase", "100%", "35%") in kinerja["reasons"]
    assert all(c["code"] != "GAPOK" for c in cmp["changes"])  # unchanged lines are not listed


def test_no_comparison_without_an_earlier_final_month(app, two_months):
    ns = two_months
    slip = slips.slip_context(ns.sep, ns.staff1)
    assert explain.comparison(ns.sep, ns.staff1, slip) is None


def test_a_compensating_run_is_explained_as_a_difference_without_line_sentences_or_comparison(app, two_months):
    ns = two_months
    attendance.correct_attendance(ns.staff1, date(2026, 10, 6), 0, 0, "TK", None, "Absen tidak tercatat di mesin")
    comp = runs.create_run(OCT, None, ns.u_operator, RunKind.COMPENSATING, original=ns.oct, reason="Koreksi")
    compute.compute_run(comp, ns.u_operator)
    db.session.commit()
    slip = slips.slip_context(comp, ns.staff1)
    sentences = [text_of(s) for s in explain.summary(slip, comp)]
    assert sentences == [
        f"Proses koreksi ini membayar selisih bersih {rupiah(slip['netto'])} atas gaji Oktober 2026: selisih "
        f"penghasilan {rupiah(slip['penghasilan'])} dikurangi potongan {rupiah(slip['potongan'])}."
    ]
    assert slip["netto"] < 0
    assert explain.comparison(comp, ns.staff1, slip) is None


def test_the_comparison_takes_the_latest_earlier_regular_month_not_a_correction_of_it(app, two_months):
    ns = two_months
    attendance.correct_attendance(ns.staff1, date(2026, 9, 8), 0, 0, "TK", None, "Absen tidak tercatat di mesin")
    comp = runs.create_run(SEP, None, ns.u_operator, RunKind.COMPENSATING, original=ns.sep, reason="Koreksi")
    compute.compute_run(comp, ns.u_operator)
    for step, who in (("verify", ns.u_verifikator), ("approve", ns.u_pejabat), ("finalise", ns.u_pejabat)):
        runs.transition(comp, step, who)
    db.session.commit()
    assert comp.id > ns.sep.id and comp.status == RunStatus.FINAL  # newer than the regular September run
    assert explain.previous_run(ns.oct, ns.staff1.id).id == ns.sep.id
    assert explain.previous_run(ns.sep, ns.staff1.id) is None


def test_the_previous_regular_month_comes_with_the_employees_net_pay_in_it(app, two_months):
    ns = two_months
    prev_run, netto = runs.previous_regular_netto(ns.staff1.id, OCT)
    assert prev_run.id == ns.sep.id
    assert netto == slips.run_employee(ns.sep, ns.staff1).netto
    assert runs.previous_regular_netto(ns.staff1.id, SEP) is None
