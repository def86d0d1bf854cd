"""Demo data of issue 20 (items 5, 6, 10): in one small OPD, two months ago, a final monthly run carrying an
approved manual amount, a final THR, the monthly run corrected after a wrong masa kerja, and the THR corrected
from it (a compensating run paying only the difference); plus a manual amount waiting for approval.

Made through the same services the pages use (maker-checker included); idempotent (skipped once made)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select

from ...domain import DomainError
from ...extensions import db
from ...models import Employee, PayrollRun, RunKind, User
from ..org.units import opd_map
from ..payroll import compute, manual, months, runs, special

DEMO_REASON = "Contoh data demo: masa kerja golongan salah ketik pada SK (koreksi)"


def _opd_for_demo() -> int | None:
    """The second-smallest OPD by active employees (the smallest is left for the click-through tests)."""
    opd_of, opds = opd_map()
    counts = Counter(opd_of[u] for u in db.session.scalars(select(Employee.unit_id).where(Employee.active.is_(True))))
    ranked = sorted((c, o) for o, c in counts.items() if o in opds and c)
    return ranked[1][1] if len(ranked) > 1 else None


def finalise(run: PayrollRun, verifier: User, approver: User) -> None:
    for step, who in (("verify", verifier), ("approve", approver), ("finalise", approver)):
        runs.transition(run, step, who)


def seed_payroll_corrections_demo(today: date) -> int:
    """How many runs were made (0 when already there or the demo lacks the accounts or an OPD)."""
    if db.session.scalar(select(PayrollRun.id).where(PayrollRun.reason == DEMO_REASON).limit(1)):
        return 0
    users = {
        u.username: u
        for u in db.session.scalars(
            select(User).where(User.username.in_(("operator", "verifikator", "pejabat", "kepegawaian")))
        )
    }
    opd_id = _opd_for_demo()
    if opd_id is None or not {"operator", "verifikator", "pejabat"} <= set(users):
        return 0
    op, ver, pej = users["operator"], users["verifikator"], users["pejabat"]
    month = months.previous_month(months.previous_month(today.replace(day=1)))
    opd_of, _ = opd_map()
    people = [
        e
        for e in db.session.scalars(select(Employee).where(Employee.active.is_(True)).order_by(Employee.id))
        if opd_of.get(e.unit_id) == opd_id
    ]
    try:
        with db.session.begin_nested():
            approved = manual.add_manual(
                people[0],
                month,
                "Koreksi gaji putusan PTUN",
                1_250_000,
                "penghasilan",
                "gaji",
                "Contoh data demo: putusan PTUN membatalkan penundaan gaji berkala",
                "Contoh: Putusan PTUN No. 12/G/2026/PTUN.BL",
                users.get("kepegawaian", op),
            )
            manual.decide_manual(approved, ver, True)
            regular = runs.create_run(month, [opd_id], op)
            compute.compute_run(regular, op)
            finalise(regular, ver, pej)
            thr = special.create_special_run(RunKind.THR, month, [opd_id], op)
            compute.compute_run(thr, op)
            finalise(thr, ver, pej)
            wrong = people[-1]
            wrong.mkg_years = (wrong.mkg_years or 0) + 2
            fix = runs.create_run(month, None, op, RunKind.COMPENSATING, original=regular, reason=DEMO_REASON)
            compute.compute_run(fix, op)
            finalise(fix, ver, pej)
            thr_fix = runs.create_run(month, None, op, RunKind.COMPENSATING, original=thr, reason=DEMO_REASON)
            compute.compute_run(thr_fix, op)
            finalise(thr_fix, ver, pej)
            manual.add_manual(
                people[1],
                months.previous_month(today.replace(day=1)),
                "Pengembalian kelebihan tunjangan",
                150_000,
                "potongan",
                "gaji",
                "Contoh data demo: menunggu persetujuan",
                "Contoh: BA pemeriksaan Inspektorat",
                users.get("kepegawaian", op),
            )
    except (DomainError, months.PayrollRefused):  # a demo without THR rules for that year, …: leave it out
        return 0
    db.session.flush()
    return 4
