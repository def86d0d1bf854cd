"""What a draft rule version would change on last month's payroll, before it is saved.

The latest month with computed regular runs is computed twice from today's inputs of that month: once with the
rule versions the runs recorded, once with the draft's table put in their place (as if the draft had been in
force that month). Comparing the two isolates the rule change from anything else that changed since (late
attendance, a corrected predikat). Nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import func, select

from ....domain import DomainError
from ....domain.payroll import ResolvedRules, RuleVersion
from ....domain.payroll.codec import decode, payload_types
from ....extensions import db
from ....models import PayrollRun, RunKind, RunStatus
from ..compute import compute_lines
from ..loading import build_inputs, load_month
from ..rules import resolved_from_ids

COMPUTED = (RunStatus.DIHITUNG, RunStatus.DIVERIFIKASI, RunStatus.DISETUJUI, RunStatus.FINAL)
TOP = 15


@dataclass(frozen=True)
class Change:
    name: str
    nip: str
    before: int
    after: int

    @property
    def delta(self) -> int:
        return self.after - self.before


@dataclass
class RulePreview:
    month: date | None
    runs: int = 0
    employees: int = 0
    changed: int = 0
    before_total: int = 0
    after_total: int = 0
    biggest: list[Change] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def delta_total(self) -> int:
        return self.after_total - self.before_total


def last_month_runs() -> list[PayrollRun]:
    """The computed regular runs of the latest month that has any (one per OPD or one for the whole Pemda)."""
    computed = (PayrollRun.kind == RunKind.REGULAR, PayrollRun.status.in_(COMPUTED))
    month = db.session.scalar(select(func.max(PayrollRun.month)).where(*computed))
    if month is None:
        return []
    return list(db.session.scalars(select(PayrollRun).where(*computed, PayrollRun.month == month)))


def preview(code: str, version_id: str, citation: str, data: dict) -> RulePreview:
    runs = last_month_runs()
    if not runs:
        return RulePreview(
            None,
            problems=[
                "Belum ada proses penggajian bulanan yang dihitung untuk dibandingkan: hitung dulu proses penggajian bulan lalu di menu Penggajian."
            ],
        )
    out = RulePreview(runs[0].month, runs=len(runs))
    try:
        payload = decode(payload_types()[code], data)
    except DomainError as e:
        out.problems.append(e.message)
        return out
    changes: list[Change] = []
    for run in runs:
        try:
            before_rules = resolved_from_ids(run.rule_versions or {})
        except (DomainError, TypeError) as e:
            out.problems.append(getattr(e, "message", str(e)))
            continue
        draft = RuleVersion(version_id or "draf", run.month, citation, payload)
        after_rules = replace(before_rules, **{code: draft})
        before = _netto(run, before_rules, out.problems)
        after = _netto(run, after_rules, out.problems)
        for eid, (name, nip, old) in before.items():
            new = after.get(eid, (name, nip, old))[2]
            out.employees += 1
            out.before_total += old
            out.after_total += new
            if new != old:
                changes.append(Change(name, nip, old, new))
    out.changed = len(changes)
    out.biggest = sorted(changes, key=lambda c: (-abs(c.delta), c.nip))[:TOP]
    return out


def _netto(run: PayrollRun, rules: ResolvedRules, problems: list[str]) -> dict[int, tuple[str, str, int]]:
    loaded = load_month(run, rules)
    computed = compute_lines(run.id, loaded.employees, lambda row: build_inputs(row, loaded), rules, run.month)
    for p in computed.problems:
        if p not in problems:
            problems.append(p)
    people = {row.id: (row.name, row.nip) for row in loaded.employees}
    # EMPLOYEE_COLUMNS: (run_id, employee_id, opd_id, inputs, penghasilan, potongan, netto, …)
    return {r[1]: (*people[r[1]], r[6]) for r in computed.employee_rows}
