"""Issue 20 item 5: a final THR (or gaji ke-13, rapel) run is corrected by a compensating run like the monthly
run: the original is recomputed from today's data, only the differences are paid, the bank file carries only
the employees whose pay changed, and `flask payroll verify` reproduces both runs."""

from __future__ import annotations

from sqlalchemy import select

from kinerja_web.extensions import db
from kinerja_web.models import PayrollLine, PayrollRun, RunKind, RunStatus
from kinerja_web.services.payroll import compute, outputs, runs, special_history, verification

from . import test_payroll_special as sp
from .test_payroll_flow import as_user

pay = sp.pay  # fixture: rules, PTKP, September/October predikat


def _final_thr(app, ns) -> PayrollRun:
    sp.add_thr_rule_2026(ns)
    sp.final_regular(ns, sp.OCT)
    op = as_user(app, ns.u_operator)
    assert sp.create(op, "thr").status_code == 303
    thr = sp.last_run()
    assert op.post(f"/gaji/run/{thr.id}/hitung").status_code == 303
    sp.approve_and_finalise(app, ns, thr)
    return thr


def _correct_october_for(ns, employee) -> None:
    """Staff 1's masa kerja was wrong: October is corrected by a compensating run (its snapshot carries the
    corrected inputs the THR is paid from)."""
    employee.mkg_years = (employee.mkg_years or 0) + 4
    db.session.commit()
    original = db.session.scalars(
        select(PayrollRun).where(PayrollRun.month == sp.OCT, PayrollRun.kind == RunKind.REGULAR)
    ).one()
    fix = runs.create_run(sp.OCT, None, ns.u_operator, RunKind.COMPENSATING, original=original, reason="MKG salah")
    compute.compute_run(fix, ns.u_operator)
    for step, who in (("verify", ns.u_verifikator), ("approve", ns.u_pejabat), ("finalise", ns.u_pejabat)):
        runs.transition(fix, step, who)
    db.session.commit()


def test_a_final_thr_is_corrected_by_a_compensating_run_that_pays_only_the_difference(app, pay):
    ns = pay
    thr = _final_thr(app, ns)
    before = sp.lines_of(thr, ns.staff1)
    _correct_october_for(ns, ns.staff1)
    op = as_user(app, ns.u_operator)
    page = op.get(f"/gaji/run/{thr.id}").get_data(as_text=True)
    assert "Buat proses kompensasi" in page
    assert op.post(f"/gaji/run/{thr.id}/kompensasi", data={"reason": "THR dari MKG yang dikoreksi"}).status_code == 303
    fix = sp.last_run()
    assert (fix.kind, fix.original_run_id, fix.month) == (RunKind.COMPENSATING, thr.id, thr.month)
    assert op.post(f"/gaji/run/{fix.id}/hitung").status_code == 303
    db.session.refresh(fix)
    assert fix.status is RunStatus.DIHITUNG, fix.status
    diff = sp.lines_of(fix, ns.staff1)
    assert diff["GAPOK"] > 0 and before["GAPOK"] > 0  # the THR's gaji pokok grows with the corrected MKG
    for other in (ns.staff2, ns.kasi, ns.head):
        assert sp.lines_of(fix, other) == {}  # nothing changed for them: a row with zero net, no lines
    sp.approve_and_finalise(app, ns, fix)
    bank = outputs.bank_csv(fix)
    assert ns.staff1.nip in bank and ns.staff2.nip not in bank
    for run in (thr, fix):
        assert verification.verify_run(run).ok, run.title
    # the THR correction is not monthly pay: October's paying snapshot is still the monthly correction
    paid = special_history.paid_employees(fix, sp.OCT)
    assert fix.id not in paid[ns.staff1.id][2]


def test_correcting_an_unchanged_thr_pays_nothing_and_verifies(app, pay):
    ns = pay
    thr = _final_thr(app, ns)
    fix = runs.create_run(thr.month, None, ns.u_operator, RunKind.COMPENSATING, original=thr, reason="periksa ulang")
    compute.compute_run(fix, ns.u_operator)
    db.session.commit()
    assert fix.total_netto == 0 and fix.employee_count == thr.employee_count
    assert verification.verify_run(fix).ok


def test_a_rapel_picks_up_a_back_dated_tunjangan_jabatan(app, pay):
    """Kabid (administrator, eselon III.b Rp980.000) was paid September and October; a tunjangan jabatan table
    raised to Rp1.200.000 from 1 January 2026 is added afterwards: the rapel pays Rp220.000 per month."""
    from dataclasses import replace
    from datetime import date

    from kinerja_web.domain.payroll.codec import encode
    from kinerja_web.services.payroll import rules

    ns = pay
    sp.final_regular(ns, sp.SEP)
    sp.final_regular(ns, sp.OCT)
    assert sp.lines_of(sp.last_run(), ns.kabid)["TJ_JABATAN"] == 980_000
    old = rules.load_rules().tunjangan_jabatan.versions[-1].data
    raised = replace(old, rows=tuple(replace(r, amount=1_200_000) if r.eselon == "III.b" else r for r in old.rows))
    draft = rules.RuleVersionDraft(
        "tunjangan_jabatan",
        "tunjangan_jabatan@2026-01-01",
        date(2026, 1, 1),
        None,
        "Perpres tunjangan uji",
        encode(raised),
    )
    rules.add_rule_version(draft, ns.u_admin)
    db.session.commit()
    op = as_user(app, ns.u_operator)
    assert sp.create(op, "rapel", period_start="2026-09", period_end="2026-10").status_code == 303
    run = sp.last_run()
    assert op.post(f"/gaji/run/{run.id}/hitung").status_code == 303
    db.session.refresh(run)
    assert run.status is RunStatus.DIHITUNG
    rows = db.session.execute(
        select(PayrollLine.code, PayrollLine.amount).where(
            PayrollLine.run_id == run.id, PayrollLine.employee_id == ns.kabid.id, PayrollLine.code == "TJ_JABATAN"
        )
    ).all()
    assert [a for _, a in rows] == [220_000, 220_000]
    assert sp.lines_of(run, ns.staff1) == {}  # staff keep the tunjangan umum: no rapel
    assert verification.verify_run(run).ok


def test_a_corrected_rapel_counts_as_paid_for_a_later_rapel(app, pay):
    """Rapel (+10 %) final; the raise turns out to be +12 %: the rapel is corrected (pays the 2 %), and a later
    rapel over the same months finds nothing left to pay instead of paying the 2 % twice."""
    from datetime import date
    from decimal import Decimal

    import pytest

    from kinerja_web.domain.payroll.codec import encode
    from kinerja_web.domain.payroll.tables import GajiPokokRow, GajiPokokTable
    from kinerja_web.models import PayrollPredikat, PayrollRuleVersion
    from kinerja_web.services.payroll import months, rules, special

    ns = pay
    sp.final_regular(ns, sp.SEP)
    sp.final_regular(ns, sp.OCT)
    sp.raise_gaji_pokok(ns)  # +10 % from 1 January 2026
    rapel = special.create_special_run(RunKind.RAPEL, sp.OCT, None, ns.u_operator, sp.SEP, sp.OCT)
    compute.compute_run(rapel, ns.u_operator)
    sp.approve_and_finalise(app, ns, rapel)
    base = rules.load_rules().gaji_pokok_pns.versions[-2].data  # PP 5/2024
    row = db.session.scalars(
        select(PayrollRuleVersion).where(PayrollRuleVersion.version_id == "gaji_pokok_pns@2026-01-01")
    ).one()
    twelve = GajiPokokTable(
        tuple(GajiPokokRow(r.golongan, r.mkg, int(r.gaji_pokok * Decimal("1.12"))) for r in base.rows)
    )
    row.data = encode(twelve)  # the corrected table (an administrator's correction of the version)
    db.session.commit()
    fix = runs.create_run(sp.OCT, None, ns.u_operator, RunKind.COMPENSATING, original=rapel, reason="kenaikan 12 %")
    compute.compute_run(fix, ns.u_operator)
    assert fix.total_netto > 0
    sp.approve_and_finalise(app, ns, fix)
    assert verification.verify_run(fix).ok
    nov = date(2026, 11, 1)
    for e in ns.people:
        db.session.add(PayrollPredikat(employee_id=e.id, month=nov, predikat="baik", source="uji"))
    sp.final_regular(ns, nov)
    again = special.create_special_run(RunKind.RAPEL, nov, None, ns.u_operator, sp.SEP, sp.OCT)
    with pytest.raises(months.PayrollRefused, match="Tidak ada selisih"):
        compute.compute_run(again, ns.u_operator)
