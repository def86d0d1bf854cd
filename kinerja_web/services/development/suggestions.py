"""Generating suggested referrals from a period's results (set-wise: a constant number of queries for a whole
regency); also run as a background job with progress."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.exc import OperationalError

from ...domain import DomainError, berakhlak
from ...domain.development import (
    IMPROVEMENT_MONTHS,
    JP_TARGET,
    ProgrammeBentuk,
    ReasonKind,
    ReferralStatus,
)
from ...domain.predikat import Predikat
from ...extensions import db
from ...models import (
    ANNUAL,
    CycleStatus,
    Employee,
    EvaluationCycle,
    PerformanceRating,
    Period,
    Programme,
    RatingStatus,
    Referral,
    ReferralRule,
    RuleKind,
)
from ..competency.gaps import gap_triggers
from ..evaluation360.results import others_means_of_active
from ..talent.boxes import talent_boxes
from .jp import jp_totals, send_jp_reminders
from .rules import rules_in_force

GENERATE_JOB = "rujukan_usulan"
# Suggestions are written (and, in the job, committed) in parts of this many, and after each rule: on SQLite
# the job then holds the one write lock only briefly, so HR's own clicks in the queue meanwhile are not kept
# waiting into "database is locked". A part already committed stays when a later one fails: suggestions are
# one per trigger, so "Ulangi" adds only what is missing.
CHUNK = 500
BUSY_MESSAGE = (
    "Basis data sedang sibuk dipakai proses lain atau tidak dapat dihubungi, sehingga pembuatan usulan terhenti. Usulan yang sudah "
    "tersimpan tetap ada; klik «Ulangi» beberapa saat lagi untuk melengkapinya."
)

# --- generating suggestions (set-wise: a constant number of queries for a whole regency) -----------------


@dataclass
class GenerationResult:
    created: Counter = field(default_factory=Counter)
    reminders: int = 0

    def as_dict(self) -> dict:
        return {"created": {k.value: n for k, n in self.created.items()}, "reminders": self.reminders}


_OPTIONAL_TRIGGER_COLUMNS = (
    "rating_id",
    "evaluatee_id",
    "berakhlak_value",
    "nine_box",
    "jp_at_suggestion",
    "plan_months",
    "programme_id",
    "assessment_participant_id",
    "competency_code",
)


def _programme_for(rule: ReferralRule, programmes: list[Programme], value_code: str | None = None) -> int | None:
    """The programme suggested with a referral: for a BerAKHLAK value a programme targeting that value."""
    if value_code:
        for p in programmes:
            if p.bentuk == rule.bentuk and value_code in (p.berakhlak_values or []):
                return p.id
    return rule.programme_id


def generate_suggestions(
    period: Period,
    today: date,
    progress: Callable[[int, int | None, str | None], None] | None = None,
    checkpoint: Callable[[], None] | None = None,
) -> GenerationResult:
    """Turn the period's evaluation results into suggested referrals, per the rules in force today.

    Suggestions only (status diusulkan): HR decides in the queue. Idempotent: a trigger that already has a
    referral (whatever its status, even dismissed) is skipped, so running it again adds only new results.
    `checkpoint` is called after each written part (CHUNK rows, or a rule's rows): the job commits there.
    """
    progress = progress or (lambda done, total=None, message=None: None)
    checkpoint = checkpoint or (lambda: None)
    rules = {k: r for k, r in rules_in_force(today).items() if r.active}
    year = period.year
    existing = set(db.session.scalars(select(Referral.source_key).where(Referral.year == year)))
    programmes = list(db.session.scalars(select(Programme).where(Programme.active.is_(True)).order_by(Programme.id)))
    new: list[Referral] = []
    result = GenerationResult()

    def add(key: str, rule: ReferralRule, value_code: str | None = None, **kw) -> Referral | None:
        """A suggestion for trigger `key` by `rule` (its form, and its programme or one for `value_code`)."""
        if key in existing:
            return None
        existing.add(key)
        # Every row sets the same columns, so the ORM sends one batched INSERT instead of one per row.
        values = dict.fromkeys(_OPTIONAL_TRIGGER_COLUMNS) | kw
        values["programme_id"] = _programme_for(rule, programmes, value_code)
        ref = Referral(
            source_key=key,
            year=year,
            status=ReferralStatus.DIUSULKAN,
            rule_id=rule.id,
            period_id=period.id,
            suggested_bentuk=rule.bentuk,
            **values,
        )
        new.append(ref)
        result.created[kw["reason_kind"]] += 1
        if len(new) % CHUNK == 0:
            write()
        return ref

    written = 0

    def write() -> None:
        """Send the rows not written yet, then the checkpoint."""
        nonlocal written
        if written < len(new):
            db.session.add_all(new[written:])
            db.session.flush()
            written = len(new)
            checkpoint()

    progress(0, 4, "Membaca predikat kinerja")
    # The 9-box of the period (two queries): the talent pool (boxes 7–9) is suggested for management training
    # with its box as the reason, also when its predikat alone would not trigger the rule.
    boxes = {eid: box for eid, box in talent_boxes(period.id).items() if box.talent_pool}
    for kind in (RuleKind.PREDIKAT_RENDAH, RuleKind.PREDIKAT_TINGGI):
        rule = rules.get(kind)
        if rule is None:
            continue
        which = PerformanceRating.predikat.in_(rule.params.get("predikat", []))
        if kind == RuleKind.PREDIKAT_TINGGI and boxes:
            which = or_(which, PerformanceRating.employee_id.in_(list(boxes)))
        rows = db.session.execute(
            select(PerformanceRating.id, PerformanceRating.employee_id, PerformanceRating.predikat)
            .join(Employee, Employee.id == PerformanceRating.employee_id)
            .where(
                PerformanceRating.period_id == period.id,
                PerformanceRating.window_no == ANNUAL,
                PerformanceRating.status == RatingStatus.FINAL,
                which,
                Employee.active.is_(True),
            )
            .order_by(PerformanceRating.id)
        ).all()
        for rating_id, employee_id, predikat in rows:
            label = Predikat(predikat).label
            if kind == RuleKind.PREDIKAT_RENDAH:
                months = rule.params.get("plan_months", IMPROVEMENT_MONTHS)
                text = (
                    f"Predikat kinerja tahunan {year}: {label} (penilaian final). Pembinaan kinerja dengan rencana "
                    f"perbaikan {months} bulan (PP 30/2019 Pasal 57)."
                )
                add(
                    f"rating:{rating_id}:{kind.value}",
                    rule,
                    employee_id=employee_id,
                    reason_kind=ReasonKind.PREDIKAT_RENDAH,
                    reason_text=text,
                    rating_id=rating_id,
                    plan_months=months,
                )
            else:
                box = boxes.get(employee_id)
                basis = f"Predikat kinerja tahunan {year}: {label} (penilaian final)."
                if box is not None:
                    basis = f"Peta talenta {year}: {box.label} ({label}), kelompok rencana suksesi (talent pool)."
                text = (
                    f"{basis} Diusulkan mengikuti {rule.bentuk.label.lower()}, masuk kelompok rencana suksesi "
                    "(talent pool) dan usulan penghargaan."
                )
                add(
                    f"rating:{rating_id}:{kind.value}",
                    rule,
                    employee_id=employee_id,
                    reason_kind=ReasonKind.PREDIKAT_TINGGI,
                    reason_text=text[:500],
                    rating_id=rating_id,
                    nine_box=box.nomor if box is not None else None,
                )

    write()
    progress(2, 4, "Membaca hasil penilaian 360")
    rule = rules.get(RuleKind.BERAKHLAK_RENDAH)
    if rule is not None:
        threshold = Decimal(rule.params.get("threshold", "2.50"))
        cycles = {
            c.id: c
            for c in db.session.scalars(
                select(EvaluationCycle).where(
                    EvaluationCycle.year == year, EvaluationCycle.status == CycleStatus.CLOSED
                )
            )
        }
        names = berakhlak.value_names()
        for ev in others_means_of_active(cycles):
            cycle = cycles[ev.cycle_id]
            for code, others in ev.means.items():
                # Only values shown in the report (enough raters): the anonymity rules of the 360 results hold.
                if others is None or others > threshold:
                    continue
                mean = f"{others:.2f}".replace(".", ",")
                add(
                    f"360:{ev.evaluatee_id}:{code}",
                    rule,
                    employee_id=ev.employee_id,
                    reason_kind=ReasonKind.BERAKHLAK_RENDAH,
                    reason_text=(
                        f"Penilaian 360 «{cycle.name}»: nilai {names[code]} rata-rata {mean} dari penilai lain "
                        f"(batas {str(threshold).replace('.', ',')}). Coaching pada nilai {names[code]}."
                    ),
                    evaluatee_id=ev.evaluatee_id,
                    berakhlak_value=code,
                    value_code=code,
                )

    write()
    rule = rules.get(RuleKind.GAP_KOMPETENSI)
    if rule is not None:
        _gap_suggestions(rule, today, add, programmes)

    write()
    progress(3, 4, "Memeriksa capaian 20 JP")
    rule = rules.get(RuleKind.JP_KURANG)
    reminded: list[tuple[int, int]] = []
    if rule is not None and year == today.year and today.month >= rule.params.get("month", 12):
        totals = jp_totals(None, year)
        ids = db.session.scalars(select(Employee.id).where(Employee.active.is_(True)).order_by(Employee.id)).all()
        for eid in ids:
            have = totals.get(eid, 0)
            if have >= JP_TARGET:
                continue
            ref = add(
                f"jp:{year}:{eid}",
                rule,
                employee_id=eid,
                reason_kind=ReasonKind.JP_KURANG,
                reason_text=(
                    f"Sampai {today.day}/{today.month}/{year} baru {have} dari {JP_TARGET} JP pengembangan kompetensi "
                    f"tahun {year} (PP 17/2020 Pasal 203)."
                ),
                jp_at_suggestion=have,
            )
            if ref is not None:
                reminded.append((eid, have))
    db.session.add_all(new[written:])
    db.session.flush()
    if reminded:
        result.reminders = send_jp_reminders(dict(reminded), year)
    progress(4, 4, f"{len(new)} usulan baru")
    return result


def _gap_suggestions(rule: ReferralRule, today: date, add, programmes: list[Programme]) -> None:
    """One suggestion per competency gap of each employee's latest assessment (key: participant + competency):
    the matching form of development per the rule's map (teknis gaps → the "teknis" entry)."""
    mapping = rule.params.get("bentuk_per_kompetensi") or {}
    min_gap = Decimal(str(rule.params.get("min_gap", "0.5")))
    for t in gap_triggers(today, min_gap):
        key = "teknis" if t.group.value == "teknis" else t.code
        bentuk = ProgrammeBentuk(mapping.get(key, rule.bentuk.value))
        reached = str(t.reached.normalize()).replace(".", ",")
        ref = add(
            f"gap:{t.participant_id}:{t.code}",
            rule,
            employee_id=t.employee_id,
            reason_kind=ReasonKind.GAP_KOMPETENSI,
            reason_text=(
                f"Penilaian kompetensi «{t.event_name}» ({t.held_on:%d-%m-%Y}): {t.name} level {reached} dari "
                f"{t.required} yang dipersyaratkan jabatan. Disarankan {bentuk.label.lower()}."
            )[:500],
            assessment_participant_id=t.participant_id,
            competency_code=t.code,
        )
        if ref is not None and bentuk != rule.bentuk:
            ref.suggested_bentuk = bentuk
            ref.programme_id = next((p.id for p in programmes if p.bentuk == bentuk), None)


def suggest_for_gaps(today: date) -> int:
    """Only the competency-gap rule, outside a period's generation (after an assessment's results are saved, and
    the demo): suggestions for the current year, one per gap; idempotent like `generate_suggestions`."""
    rule = rules_in_force(today).get(RuleKind.GAP_KOMPETENSI)
    if rule is None or not rule.active:
        return 0
    existing = set(
        db.session.scalars(select(Referral.source_key).where(Referral.reason_kind == ReasonKind.GAP_KOMPETENSI))
    )
    programmes = list(db.session.scalars(select(Programme).where(Programme.active.is_(True)).order_by(Programme.id)))
    new: list[Referral] = []

    def add(key: str, rule: ReferralRule, **kw) -> Referral | None:
        if key in existing:
            return None
        existing.add(key)
        values = dict.fromkeys(_OPTIONAL_TRIGGER_COLUMNS) | kw
        values["programme_id"] = _programme_for(rule, programmes)
        ref = Referral(
            source_key=key,
            year=today.year,
            status=ReferralStatus.DIUSULKAN,
            rule_id=rule.id,
            suggested_bentuk=rule.bentuk,
            **values,
        )
        new.append(ref)
        return ref

    _gap_suggestions(rule, today, add, programmes)
    db.session.add_all(new)
    db.session.flush()
    return len(new)


def on_assessment_results(event, today: date, **_) -> None:
    """Receiver of `signals.assessment_results_saved`: new gaps go to HR's referral queue at once."""
    suggest_for_gaps(today)


def generate_job(job, progress) -> dict:
    period = db.session.get(Period, job.params["period_id"])
    if period is None:
        raise DomainError("Periode tidak ditemukan.")
    try:
        result = generate_suggestions(
            period, date.fromisoformat(job.params["today"]), progress, checkpoint=db.session.commit
        )
        db.session.commit()
    except OperationalError as e:  # a lock held too long, a database gone away: said in words, SQL to the log
        db.session.rollback()
        raise DomainError(BUSY_MESSAGE) from e
    return result.as_dict()
