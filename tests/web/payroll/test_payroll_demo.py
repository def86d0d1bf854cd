"""Issue 19 item 2: the seeded demo reaches payroll with no manual step. A finance user computes a month,
finalises it, issues the slips and runs THR of this year by clicking only."""

from __future__ import annotations

import html
from collections import Counter
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from kinerja_web.domain.documents import DocType
from kinerja_web.domain.predikat import Predikat
from kinerja_web.extensions import db
from kinerja_web.models import (
    Employee,
    IssuedDocument,
    PayrollLine,
    PayrollManualAmount,
    PayrollPredikat,
    PayrollRuleVersion,
    PayrollRun,
    RunKind,
    RunStatus,
    SignerConfig,
    Unit,
    User,
)
from kinerja_web.services.documents import issuing
from kinerja_web.services.org import units
from kinerja_web.services.payroll import compute, months, runs, verification
from kinerja_web.services.payroll import documents as paydocs
from kinerja_web.services.seed import demo as seed_demo
from kinerja_web.services.seed.payroll import seed_payroll_demo
from kinerja_web.timeutil import today_wib
from tests.transactions import rolled_back
from tests.web.payroll.test_payroll_flow import as_user


@pytest.fixture(scope="module")
def seeded(_app):
    """`flask seed demo` once for the module (rolled back at the end); the tests run in its order."""
    today = today_wib()
    with _app.app_context(), rolled_back():
        app = _app
        summary = seed_demo.demo(400, today)
        db.session.commit()
        users = {u.username: u for u in db.session.scalars(select(User))}
        yield SimpleNamespace(app=app, today=today, summary=summary, users=users)


def _month_before(d: date) -> date:
    return months.previous_month(d)


def _smallest_opd_id() -> int:
    """The OPD with the fewest active employees: its slips are rendered as real PDFs, so a few suffice."""
    opd_of, opds = units.opd_map()
    counts = Counter(opd_of[u] for u in db.session.scalars(select(Employee.unit_id).where(Employee.active.is_(True))))
    return min(sorted(opds), key=lambda opd_id: counts[opd_id] or 10**6)


def _flashes(client, resp) -> str:
    return html.unescape(client.get(resp.headers["Location"]).get_data(as_text=True))


def test_seed_gives_every_active_employee_a_predikat_for_each_month_of_this_year(seeded):
    active = db.session.scalar(select(func.count(Employee.id)).where(Employee.active.is_(True)))
    for m in (1, seeded.today.month):
        month = date(seeded.today.year, m, 1)
        rows = db.session.scalar(select(func.count(PayrollPredikat.id)).where(PayrollPredikat.month == month))
        assert rows == active
    spread = set(db.session.scalars(select(PayrollPredikat.predikat).distinct()))
    assert {Predikat.BAIK.value, Predikat.SANGAT_BAIK.value} <= spread


def test_seed_stores_this_years_thr_rule_marked_as_demo_data(seeded):
    row = db.session.scalar(
        select(PayrollRuleVersion).where(PayrollRuleVersion.version_id == f"thr_gaji13@{seeded.today.year}")
    )
    assert row is not None and row.berlaku_mulai == date(seeded.today.year, 1, 1)
    if seeded.today.year > 2025:  # no PP of that year in the domain reference: the row says it is an example
        assert "CONTOH DATA DEMO" in row.citation and "PP 11/2025" in row.citation


def test_seed_sets_bpkad_up_to_issue_slips_and_daftar_gaji(seeded):
    bpkad = db.session.scalar(select(Unit).where(Unit.code == "BPKAD"))
    for doc_type in (DocType.SLIP_GAJI, DocType.DAFTAR_GAJI):
        issuing.check_issuer(doc_type, bpkad.id, seeded.today.year)  # raises when anything is missing
    assert paydocs.slip_issue_refusal(seeded.today.year) is None


def test_seeding_payroll_twice_adds_nothing(seeded):
    assert seed_payroll_demo(seeded.today) == {
        "rules": 0,
        "predikat": 0,
        "documents": 0,
        "statuses": 0,
        "ptkp": 0,
        "ptkp_pending": 0,
        "married_in_july": 0,
        "ytd": 0,
        "koreksi": 0,
        "deductions": 0,
    }


def test_seed_has_an_employee_married_in_july_whose_status_changes_next_year(seeded):
    from kinerja_web.models import FamilyMember, PtkpYear, YtdEntry
    from kinerja_web.services.seed.payroll_tax import MARRIED_IN_JULY

    year = seeded.today.year
    emp = db.session.scalar(select(FamilyMember).where(FamilyMember.name == MARRIED_IN_JULY)).employee
    this = db.session.scalar(select(PtkpYear).where(PtkpYear.employee_id == emp.id, PtkpYear.tahun == year))
    nxt = db.session.scalar(select(PtkpYear).where(PtkpYear.employee_id == emp.id, PtkpYear.tahun == year + 1))
    assert this.status.startswith("TK/") and nxt.status.startswith("K/") and nxt.pending
    assert db.session.scalar(select(func.count()).select_from(PtkpYear).where(PtkpYear.tahun == year)) > 300
    if seeded.today.month >= 8:
        assert db.session.scalar(select(func.count()).select_from(YtdEntry)) == 2


def test_the_whole_pemda_computes_last_month_without_problems(seeded):
    run = runs.create_run(_month_before(seeded.today), None, seeded.users["operator"])
    try:
        compute.compute_run(run, seeded.users["operator"])
    except months.PayrollRefused as e:  # pragma: no cover - the message names the problems
        pytest.fail(f"{len(e.problems)} masalah: {e.problems[:5]}")
    assert run.status == RunStatus.DIHITUNG and run.employee_count > 300 and run.total_netto > 0
    db.session.rollback()


def test_the_demo_month_deducts_zakat_koperasi_and_a_bank_instalment(seeded):
    """Issue 20: two employees pay zakat through BAZNAS under the opt-out rule, one has opted out; a koperasi
    and a bank instalment; each payee gets its transfer list."""
    from kinerja_web.models import PayrollLine
    from kinerja_web.services.payroll import deductions

    run = runs.create_run(_month_before(seeded.today), None, seeded.users["operator"])
    compute.compute_run(run, seeded.users["operator"])
    codes = Counter(
        db.session.scalars(
            select(PayrollLine.code).where(
                PayrollLine.run_id == run.id, PayrollLine.code.in_(["POT_ZAKAT", "POT_LAIN_KOPERASI", "POT_LAIN_BANK"])
            )
        )
    )
    assert codes == {"POT_ZAKAT": 2, "POT_LAIN_KOPERASI": 1, "POT_LAIN_BANK": 1}
    names = [g.name for g in deductions.transfer_list(run)]
    assert names == ["BAZNAS Kabupaten Lampung Utara", "Bank Lampung Cabang Kotabumi", "KPRI Pemkab Lampung Utara"]
    zakat = db.session.scalar(
        select(PayrollRuleVersion).where(PayrollRuleVersion.version_id.like("zakat@%-demo-opt-out"))
    )
    assert "opt-out" in zakat.citation and zakat.data["mode"] == "opt_out"
    db.session.rollback()


def test_finance_computes_finalises_issues_slips_and_runs_thr_by_clicking(seeded):
    u = seeded.users
    operator, verifikator, pejabat = (as_user(seeded.app, u[n]) for n in ("operator", "verifikator", "pejabat"))
    month = _month_before(_month_before(seeded.today))  # not the month the test above computed
    opd_id = _smallest_opd_id()
    resp = operator.post("/gaji/run", data={"month": f"{month:%Y-%m}", "opd_ids": [opd_id], "kind": "reguler"})
    assert resp.status_code == 303, resp.get_data(as_text=True)
    run = db.session.scalar(select(PayrollRun).order_by(PayrollRun.id.desc()))
    resp = operator.post(f"/gaji/run/{run.id}/hitung")
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/gaji/run/{run.id}/varians")
    assert verifikator.post(f"/gaji/run/{run.id}/verifikasi").status_code == 303
    assert pejabat.post(f"/gaji/run/{run.id}/setujui").status_code == 303
    resp = pejabat.post(f"/gaji/run/{run.id}/final")
    page = _flashes(pejabat, resp)
    assert "Slip gaji resmi (PDF) terbit: 0 slip" in page and "operator keuangan atau admin kepegawaian" in page
    assert "slip gaji terbit untuk pegawai" not in page
    db.session.refresh(run)
    assert run.status == RunStatus.FINAL

    bpkad = db.session.scalar(select(Unit).where(Unit.code == "BPKAD"))
    resp = operator.post(f"/gaji/run/{run.id}/slip/terbitkan", data={"unit_id": bpkad.id})
    assert resp.status_code == 303 and "job=" in resp.headers["Location"]
    issued = db.session.scalar(
        select(func.count(IssuedDocument.id)).where(IssuedDocument.doc_type == DocType.SLIP_GAJI)
    )
    assert issued == run.employee_count > 0
    assert f"{issued} slip gaji terbit untuk batch ini" in _flashes(operator, resp).replace("\n", " ")

    resp = operator.post("/gaji/run", data={"month": f"{month:%Y-%m}", "opd_ids": [opd_id], "kind": "thr"})
    assert resp.status_code == 303, resp.get_data(as_text=True)
    thr = db.session.scalar(select(PayrollRun).where(PayrollRun.kind == RunKind.THR).order_by(PayrollRun.id.desc()))
    resp = operator.post(f"/gaji/run/{thr.id}/hitung")
    assert resp.status_code == 303, resp.get_data(as_text=True)
    db.session.refresh(thr)
    assert thr.status == RunStatus.DIHITUNG and thr.employee_count > 0 and thr.total_netto > 0


def test_the_finalise_message_says_why_no_slip_can_be_issued(seeded):
    run = db.session.scalar(
        select(PayrollRun).where(PayrollRun.status == RunStatus.FINAL, PayrollRun.kind == RunKind.REGULAR)
    )
    assert paydocs.finalised_message(run, seeded.today.year, True).endswith("«Terbitkan slip gaji (PDF)» di bawah.")
    assert paydocs.slip_issue_refusal(seeded.today.year + 1) is None  # next year's register continues this one's
    db.session.execute(SignerConfig.__table__.delete().where(SignerConfig.doc_type == DocType.SLIP_GAJI))
    message = paydocs.finalised_message(run, seeded.today.year, True)
    assert "belum dapat diterbitkan" in message and "Penanda tangan untuk Slip Gaji belum diatur" in message
    db.session.rollback()


def test_the_demo_has_a_corrected_thr_and_manual_amounts(seeded):
    """Issue 20: a final THR corrected by a final compensating run, and manual amounts (one approved and paid
    in the monthly run, one waiting); every demo run verifies."""
    thr = db.session.scalars(
        select(PayrollRun).where(PayrollRun.kind == RunKind.THR, PayrollRun.status == RunStatus.FINAL)
    ).first()
    assert thr is not None
    fix = db.session.scalars(select(PayrollRun).where(PayrollRun.original_run_id == thr.id)).one()
    assert fix.kind == RunKind.COMPENSATING and fix.status == RunStatus.FINAL and fix.total_netto > 0
    statuses = {m.status.value for m in db.session.scalars(select(PayrollManualAmount))}
    assert statuses == {"disetujui", "menunggu"}
    assert db.session.scalar(select(func.count(PayrollLine.id)).where(PayrollLine.code.like("MANUAL_%"))) >= 1
    for run in db.session.scalars(select(PayrollRun).where(PayrollRun.status == RunStatus.FINAL)):
        assert verification.verify_run(run).ok, run.title
