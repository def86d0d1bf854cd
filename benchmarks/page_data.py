"""What benchmarks.pages adds to the scale regency so that it can load an employee's own SKP page and payroll
explanation: everything made through the services, as the pages would make it.

  - this year's period (triwulan windows), the SKP of the `atasan` demo account (3 RHK, approved by `kabid`)
    and the SKP of the `pegawai` demo account: 10 RHK (8 utama linked to the atasan's, 2 tambahan) with 3
    indikator each, approved by `atasan`, realisasi reported for every indikator in every window so far;
  - the two months before this one: predikat and attendance for everyone (as benchmarks.payroll makes them),
    each month computed for the whole Pemda and taken to final by the demo finance accounts, so the
    explanation compares with the month before.

`ensure(today)` adds what is missing (a database built by an older benchmark is completed) and returns the
ids the benchmark needs.
"""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import select

from kinerja_web.domain.skp import Aspek, Frequency, current_window
from kinerja_web.extensions import db
from kinerja_web.models import PayrollRun, Period, RunStatus, Skp, User
from kinerja_web.services.payroll import compute, rules, runs
from kinerja_web.services.skp import planning, progress, workflow

from . import payroll as payroll_bench

RHK, IKI_PER_RHK, ATASAN_RHK = 10, 3, 3
IKI = ((Aspek.KUANTITAS, "12", "dokumen"), (Aspek.KUALITAS, "100", "%"), (Aspek.WAKTU, "12", "bulan"))


def users() -> dict[str, User]:
    names = ["pegawai", "atasan", "kabid", "operator", "verifikator", "pejabat"]
    return {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(names)))}


def _approved_skp(owner: User, approver: User, period: Period, n_rhk: int, parents: list[int], today: date) -> Skp:
    skp = planning.create_skp(owner.employee, period, planning.default_jenis(owner.employee), "kosong")
    for i in range(n_rhk):
        tambahan = parents and i >= n_rhk - 2
        rhk = planning.add_rhk(
            skp,
            "tambahan" if tambahan else "utama",
            f"Rencana hasil kerja nomor {i + 1} {owner.employee.full_name} yang cukup panjang untuk realistis",
            None if tambahan or not parents else parents[i % len(parents)],
            today,
        )
        for aspek, target, satuan in IKI[: IKI_PER_RHK if parents else 1]:
            planning.add_indikator(rhk, aspek.value, f"Indikator {aspek.label} RHK {i + 1}", target, satuan)
    workflow.submit_skp(skp, owner, today)
    workflow.approve_skp(skp, approver, today)
    db.session.refresh(skp)
    return skp


def ensure_skp(u: dict[str, User], today: date) -> int:
    """The `pegawai` account's approved SKP of this year with realisasi (made once)."""
    period = db.session.scalar(select(Period).where(Period.year == today.year))
    if period is None:
        period = planning.create_period(
            today.year, Frequency.TRIWULAN, date(today.year, 1, 1), date(today.year, 12, 31)
        )
    found = db.session.scalar(
        select(Skp.id).where(Skp.employee_id == u["pegawai"].employee_id, Skp.period_id == period.id)
    )
    if found:
        return found
    boss = _approved_skp(u["atasan"], u["kabid"], period, ATASAN_RHK, [], today)
    skp = _approved_skp(u["pegawai"], u["atasan"], period, RHK, [r.id for r in boss.rhks], today)
    now = current_window(period.windows, today) or period.windows[-1]
    for window in (w for w in period.windows if w.index <= now.index):
        for rhk in skp.rhks:
            for iki in rhk.indikators:
                progress.save_realisasi(
                    skp, iki, window.index, "3", "Sesuai rencana", "https://contoh.go.id/bukti", [], u["pegawai"]
                )
    return skp.id


def _month_before(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def ensure_payroll(u: dict[str, User], today: date) -> int:
    """The two months before `today` computed for the whole Pemda and final; returns the later run's id."""
    last = _month_before(date(today.year, today.month, 1))
    months = [_month_before(last), last]
    done = db.session.scalar(
        select(PayrollRun.id).where(PayrollRun.month == last, PayrollRun.status == RunStatus.FINAL)
    )
    if done:
        return done
    payroll_bench.repair_mkg()
    rules.seed_rules(u["operator"].id)
    rng = random.Random(7500)
    run = None
    for n, month in enumerate(months):
        payroll_bench.add_month_inputs(rng, month, standing=n == 0)
        run = runs.create_run(month, None, u["operator"])
        compute.compute_run(run, u["operator"])
        for step, who in (("verify", "verifikator"), ("approve", "pejabat"), ("finalise", "pejabat")):
            runs.transition(run, step, u[who])
        assert run.status == RunStatus.FINAL
        db.session.commit()
    return run.id


def ensure(today: date) -> dict[str, int]:
    """Ids for benchmarks.pages: the SKP, the final run and the employee (the `pegawai` account's)."""
    u = users()
    ids = {"skp": ensure_skp(u, today), "employee": u["pegawai"].employee_id}
    db.session.commit()
    ids["run"] = ensure_payroll(u, today)
    db.session.commit()
    return ids
