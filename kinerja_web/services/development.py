"""Competency development services: referral rules, suggestion generation, the referral lifecycle, the JP ledger.

Shared beyond the referrals blueprint: the pembinaan kinerja area links its improvement plans to referrals
through `signals.referral_assigned` (sent when HR accepts a suggestion), and dashboards read `jp_totals`.
Every function flushes and never commits; the caller (view, job, CLI) commits once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from .. import signals, uploads
from ..domain import DomainError, berakhlak
from ..domain.development import (
    ACTIVE,
    IMPROVEMENT_MONTHS,
    JP_TARGET,
    OCCUPYING,
    ProgrammeBentuk,
    ReasonKind,
    ReferralStatus,
    Seat,
    check_jp,
    clashes,
    transition,
)
from ..domain.feedback360 import aggregate
from ..domain.predikat import Predikat
from ..extensions import db
from ..models import (
    ANNUAL,
    CycleStatus,
    Employee,
    Evaluatee,
    EvaluationCycle,
    JpEntry,
    JpSource,
    Notification,
    PerformanceRating,
    Period,
    Programme,
    RatingStatus,
    Referral,
    ReferralCertificate,
    ReferralRule,
    RuleKind,
    User,
    utcnow,
)
from ..timeutil import WIB
from .evaluation360 import comment_seed, sheets_for, thresholds_of
from .notifications.notify import Todo, notify
from .org import appraisers
from .talent import talent_boxes

MINE_PATH = "/pengembangan/"  # links in notifications are built outside requests too
QUEUE_PATH = "/pengembangan/antrean"
NOTIFY_KIND = "rujukan_pengembangan"
REMINDER_KIND = "pengingat_jp"
CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024
CERTIFICATE_TYPES = (uploads.PDF, uploads.PNG, uploads.JPEG)
GENERATE_JOB = "rujukan_usulan"


# --- rules (versioned) ---------------------------------------------------------------------------------

DEFAULT_RULES: dict[RuleKind, tuple[ProgrammeBentuk, dict, str]] = {
    RuleKind.PREDIKAT_RENDAH: (
        ProgrammeBentuk.PEMBINAAN_KINERJA,
        {
            "predikat": [
                Predikat.BUTUH_PERBAIKAN.value,
                Predikat.KURANG_MISCONDUCT.value,
                Predikat.SANGAT_KURANG.value,
            ],
            "plan_months": IMPROVEMENT_MONTHS,
        },
        "PP 30/2019 Pasal 57: kesempatan 6 bulan untuk memperbaiki kinerja.",
    ),
    RuleKind.BERAKHLAK_RENDAH: (
        ProgrammeBentuk.COACHING,
        {"threshold": "2.50"},
        "Coaching pada nilai BerAKHLAK yang rata-ratanya (rekan/atasan/bawahan) di bawah batas.",
    ),
    RuleKind.PREDIKAT_TINGGI: (
        ProgrammeBentuk.PELATIHAN_MANAJERIAL,
        {"predikat": [Predikat.SANGAT_BAIK.value]},
        "Pelatihan manajerial, kelompok rencana suksesi (talent pool) dan usulan penghargaan.",
    ),
    RuleKind.JP_KURANG: (
        ProgrammeBentuk.E_LEARNING,
        {"month": 9},
        "PP 17/2020 Pasal 203: hak pengembangan kompetensi paling sedikit 20 JP per tahun.",
    ),
}


def rules_in_force(on: date) -> dict[RuleKind, ReferralRule]:
    """The version of each rule in force on a date (latest berlaku_mulai ≤ date, then highest version)."""
    rows = db.session.scalars(
        select(ReferralRule)
        .where(ReferralRule.berlaku_mulai <= on)
        .options(joinedload(ReferralRule.programme))
        .order_by(ReferralRule.berlaku_mulai, ReferralRule.version)
    ).all()
    out: dict[RuleKind, ReferralRule] = {}
    for r in rows:
        out[r.kind] = r
    return out


def rule_history() -> list[ReferralRule]:
    return list(
        db.session.scalars(
            select(ReferralRule)
            .options(joinedload(ReferralRule.programme), joinedload(ReferralRule.changed_by))
            .order_by(ReferralRule.kind, ReferralRule.version.desc())
        )
    )


def _clean_params(kind: RuleKind, params: dict) -> dict:
    """Validate a rule's parameters; messages name the form field."""
    if kind in (RuleKind.PREDIKAT_RENDAH, RuleKind.PREDIKAT_TINGGI):
        allowed = {p.value for p in Predikat}
        chosen = [p for p in params.get("predikat", []) if p in allowed]
        if not chosen:
            raise DomainError("Pilih minimal satu predikat.", field="predikat")
        out: dict = {"predikat": chosen}
        if kind == RuleKind.PREDIKAT_RENDAH:
            months = params.get("plan_months")
            if not isinstance(months, int) or not 1 <= months <= 12:
                raise DomainError("Lama rencana perbaikan 1–12 bulan.", field="plan_months")
            out["plan_months"] = months
        return out
    if kind == RuleKind.BERAKHLAK_RENDAH:
        try:
            t = Decimal(str(params.get("threshold", "")).replace(",", "."))
        except InvalidOperation:
            raise DomainError("Batas nilai harus berupa angka, misalnya 2,50.", field="threshold") from None
        if not Decimal(1) <= t <= Decimal(5):
            raise DomainError("Batas nilai harus di antara 1 dan 5.", field="threshold")
        return {"threshold": str(t.quantize(Decimal("0.01")))}
    month = params.get("month")
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise DomainError("Bulan pemeriksaan 1–12.", field="month")
    return {"month": month}


def save_rule(
    kind: RuleKind,
    *,
    bentuk: ProgrammeBentuk,
    programme_id: int | None,
    params: dict,
    berlaku_mulai: date,
    active: bool,
    note: str | None,
    actor: User | None,
) -> ReferralRule:
    """Add a new version of a rule (versions are never edited, so old suggestions stay explainable)."""
    clean = _clean_params(kind, params)
    if programme_id is not None and db.session.get(Programme, programme_id) is None:
        raise DomainError("Program tidak ditemukan.", field="programme_id")
    last = db.session.scalar(select(func.max(ReferralRule.version)).where(ReferralRule.kind == kind)) or 0
    rule = ReferralRule(
        kind=kind,
        version=last + 1,
        berlaku_mulai=berlaku_mulai,
        active=active,
        bentuk=bentuk,
        programme_id=programme_id,
        params=clean,
        note=(note or "").strip()[:500] or None,
        changed_by_id=actor.id if actor else None,
        changed_at=utcnow(),
    )
    db.session.add(rule)
    db.session.flush()
    return rule


def seed_default_rules(since: date, actor: User | None = None) -> list[ReferralRule]:
    """Version 1 of each rule (for a new installation and the demo); existing rules are left alone."""
    if db.session.scalar(select(func.count(ReferralRule.id))):
        return []
    out = []
    for kind, (bentuk, params, note) in DEFAULT_RULES.items():
        programme_id = db.session.scalar(
            select(Programme.id).where(Programme.bentuk == bentuk, Programme.active.is_(True)).order_by(Programme.id)
        )
        out.append(
            save_rule(
                kind,
                bentuk=bentuk,
                programme_id=programme_id,
                params=params,
                berlaku_mulai=since,
                active=True,
                note=note,
                actor=actor,
            )
        )
    return out


# --- the JP ledger ---------------------------------------------------------------------------------------


def jp_totals(employee_ids: Sequence[int] | None, year: int) -> dict[int, int]:
    """JP per employee in a year from the ledger (one query; None = every employee)."""
    stmt = select(JpEntry.employee_id, func.sum(JpEntry.jp)).where(JpEntry.year == year).group_by(JpEntry.employee_id)
    if employee_ids is not None:
        stmt = stmt.where(JpEntry.employee_id.in_(employee_ids))
    return {eid: int(total) for eid, total in db.session.execute(stmt).all()}


def jp_total(employee_id: int, year: int) -> int:
    return jp_totals([employee_id], year).get(employee_id, 0)


def record_jp(
    employee: Employee, *, jp: int | None, title: str, on_date: date | None, provider: str | None, actor: User | None
) -> JpEntry:
    """JP from another source (a seminar the employee attended on their own, a national e-learning …)."""
    jp = check_jp(jp)
    if jp == 0:
        raise DomainError("JP harus lebih dari 0.", field="jp")
    title = (title or "").strip()
    if not title:
        raise DomainError("Nama kegiatan wajib diisi.", field="title")
    if on_date is None:
        raise DomainError("Tanggal kegiatan wajib diisi.", field="on_date")
    entry = JpEntry(
        employee_id=employee.id,
        year=on_date.year,
        jp=jp,
        source=JpSource.LAINNYA,
        title=title[:200],
        on_date=on_date,
        provider=(provider or "").strip()[:200] or None,
        created_by_id=actor.id if actor else None,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


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
)


def _programme_for(rule: ReferralRule, programmes: list[Programme], value_code: str | None = None) -> int | None:
    """The programme suggested with a referral: for a BerAKHLAK value a programme targeting that value."""
    if value_code:
        for p in programmes:
            if p.bentuk == rule.bentuk and value_code in (p.berakhlak_values or []):
                return p.id
    return rule.programme_id


def generate_suggestions(
    period: Period, today: date, progress: Callable[[int, int | None, str | None], None] | None = None
) -> GenerationResult:
    """Turn the period's evaluation results into suggested referrals, per the rules in force today.

    Suggestions only (status diusulkan): HR decides in the queue. Idempotent: a trigger that already has a
    referral (whatever its status, even dismissed) is skipped, so running it again adds only new results.
    """
    progress = progress or (lambda done, total=None, message=None: None)
    rules = {k: r for k, r in rules_in_force(today).items() if r.active}
    year = period.year
    existing = set(db.session.scalars(select(Referral.source_key).where(Referral.year == year)))
    programmes = list(db.session.scalars(select(Programme).where(Programme.active.is_(True)).order_by(Programme.id)))
    new: list[Referral] = []
    result = GenerationResult()

    def add(key: str, **kw) -> Referral | None:
        if key in existing:
            return None
        existing.add(key)
        # Every row sets the same columns, so the ORM sends one batched INSERT instead of one per row.
        values = dict.fromkeys(_OPTIONAL_TRIGGER_COLUMNS) | kw
        ref = Referral(source_key=key, year=year, status=ReferralStatus.DIUSULKAN, **values)
        new.append(ref)
        result.created[kw["reason_kind"]] += 1
        return ref

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
                    employee_id=employee_id,
                    reason_kind=ReasonKind.PREDIKAT_RENDAH,
                    reason_text=text,
                    rule_id=rule.id,
                    period_id=period.id,
                    rating_id=rating_id,
                    suggested_bentuk=rule.bentuk,
                    programme_id=_programme_for(rule, programmes),
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
                    employee_id=employee_id,
                    reason_kind=ReasonKind.PREDIKAT_TINGGI,
                    reason_text=text[:500],
                    rule_id=rule.id,
                    period_id=period.id,
                    rating_id=rating_id,
                    nine_box=box.nomor if box is not None else None,
                    suggested_bentuk=rule.bentuk,
                    programme_id=_programme_for(rule, programmes),
                )

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
        evaluatees = (
            db.session.scalars(
                select(Evaluatee)
                .join(Employee, Employee.id == Evaluatee.employee_id)
                .where(Evaluatee.cycle_id.in_(list(cycles)), Employee.active.is_(True))
                .order_by(Evaluatee.id)
            ).all()
            if cycles
            else []
        )
        sheets = sheets_for([e.id for e in evaluatees]) if evaluatees else {}
        codes, names = berakhlak.value_codes(), berakhlak.value_names()
        for ev in evaluatees:
            cycle = cycles[ev.cycle_id]
            report = aggregate(sheets.get(ev.id, []), codes, thresholds_of(cycle), comment_seed(ev))
            for v in report.values:
                # Only values shown in the report (enough raters): the anonymity rules of the 360 results hold.
                if v.others.mean is None or v.others.mean > threshold:
                    continue
                mean = f"{v.others.mean:.2f}".replace(".", ",")
                add(
                    f"360:{ev.id}:{v.code}",
                    employee_id=ev.employee_id,
                    reason_kind=ReasonKind.BERAKHLAK_RENDAH,
                    reason_text=(
                        f"Penilaian 360 «{cycle.name}»: nilai {names[v.code]} rata-rata {mean} dari penilai lain "
                        f"(batas {str(threshold).replace('.', ',')}). Coaching pada nilai {names[v.code]}."
                    ),
                    rule_id=rule.id,
                    period_id=period.id,
                    evaluatee_id=ev.id,
                    berakhlak_value=v.code,
                    suggested_bentuk=rule.bentuk,
                    programme_id=_programme_for(rule, programmes, v.code),
                )

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
                employee_id=eid,
                reason_kind=ReasonKind.JP_KURANG,
                reason_text=(
                    f"Sampai {today.day}/{today.month}/{year} baru {have} dari {JP_TARGET} JP pengembangan kompetensi "
                    f"tahun {year} (PP 17/2020 Pasal 203)."
                ),
                rule_id=rule.id,
                period_id=period.id,
                jp_at_suggestion=have,
                suggested_bentuk=rule.bentuk,
                programme_id=_programme_for(rule, programmes),
            )
            if ref is not None:
                reminded.append((eid, have))
    db.session.add_all(new)
    db.session.flush()
    if reminded:
        result.reminders = _send_jp_reminders(dict(reminded), year)
    progress(4, 4, f"{len(new)} usulan baru")
    return result


def _reminded_this_year(user_ids: Sequence[int], year: int) -> set[int]:
    """Users who already got the 20 JP reminder of the year (one query; the year runs in WIB)."""
    if not user_ids:
        return set()
    # Bounds in UTC: SQLite keeps the stored UTC time without its offset, so compare like with like.
    since = datetime(year, 1, 1, tzinfo=WIB).astimezone(UTC)
    until = datetime(year + 1, 1, 1, tzinfo=WIB).astimezone(UTC)
    return set(
        db.session.scalars(
            select(Notification.user_id).where(
                Notification.user_id.in_(list(user_ids)),
                Notification.kind == REMINDER_KIND,
                Notification.created_at >= since,
                Notification.created_at < until,
            )
        )
    )


def _send_jp_reminders(have: dict[int, int], year: int) -> int:
    """Remind employees below 20 JP, at most once per employee per year (whichever path sends it first)."""
    users = db.session.scalars(
        select(User).where(User.employee_id.in_(list(have)), User.active.is_(True)).options(joinedload(User.employee))
    ).all()
    done = _reminded_this_year([u.id for u in users], year)
    sent = 0
    for u in users:
        if u.id in done:
            continue
        n = have[u.employee_id]
        notify(
            u,
            REMINDER_KIND,
            f"Pengingat: JP pengembangan kompetensi Anda tahun {year} baru {n} dari {JP_TARGET} JP. "
            "Lihat katalog program di menu Pengembangan Saya.",
            MINE_PATH,
        )
        sent += 1
    db.session.flush()
    return sent


def send_due_jp_reminders(today: date) -> int:
    """The scheduled 20 JP reminder: from the month set in the JP rule in force, every active employee below
    20 JP this year is reminded once a year. A constant number of queries for the whole regency."""
    rule = rules_in_force(today).get(RuleKind.JP_KURANG)
    if rule is None or not rule.active or today.month < rule.params.get("month", 12):
        return 0
    totals = jp_totals(None, today.year)
    ids = db.session.scalars(select(Employee.id).where(Employee.active.is_(True))).all()
    below = {eid: totals.get(eid, 0) for eid in ids if totals.get(eid, 0) < JP_TARGET}
    return _send_jp_reminders(below, today.year) if below else 0


def generate_job(job, progress) -> dict:
    period = db.session.get(Period, job.params["period_id"])
    if period is None:
        raise DomainError("Periode tidak ditemukan.")
    result = generate_suggestions(period, date.fromisoformat(job.params["today"]), progress)
    db.session.commit()
    return result.as_dict()


# --- lifecycle ------------------------------------------------------------------------------------------


class BulkError(DomainError):
    """All-or-nothing failure of a bulk action: a general message plus one message per referral id."""

    def __init__(self, message: str, rows: dict[int, str]):
        super().__init__(message)
        self.rows = rows


def _parties(referral: Referral, today: date) -> list[tuple[User, str]]:
    """The employee's account and the atasan's (today's pejabat penilai, Plt-aware), with their links."""
    out = []
    emp = referral.employee
    found = appraisers.appraiser_of(emp, today)
    ids = [emp.id] + ([found.employee.id] if found else [])
    users = db.session.scalars(
        select(User).where(User.employee_id.in_(ids), User.active.is_(True)).options(joinedload(User.employee))
    ).all()
    for u in users:
        out.append((u, MINE_PATH if u.employee_id == emp.id else f"/pengembangan/pegawai/{emp.id}"))
    return out


def _notify_step(referral: Referral, today: date, for_employee: str, for_atasan: str) -> None:
    for user, link in _parties(referral, today):
        notify(user, NOTIFY_KIND, for_employee if user.employee_id == referral.employee_id else for_atasan, link)


def occupied_seats(programme_ids: Sequence[int]) -> dict[int, int]:
    rows = db.session.execute(
        select(Referral.programme_id, func.count(Referral.id))
        .where(Referral.programme_id.in_(programme_ids), Referral.status.in_(list(OCCUPYING)))
        .group_by(Referral.programme_id)
    ).all()
    return dict(rows)


def assign(referrals: Sequence[Referral], programme: Programme, actor: User | None, today: date) -> None:
    """Accept suggestions and assign them to a programme, all or nothing.

    Checks (each with an Indonesian message per referral): still a suggestion, eligibility by jabatan type
    and golongan, capacity, schedule clashes with the employee's running assignments and inside the batch.
    """
    if not referrals:
        raise DomainError("Pilih minimal satu usulan.", field="ids")
    if not programme.active:
        raise DomainError(f"Program «{programme.name}» tidak aktif lagi.", field="programme_id")
    if programme.end_date is not None and programme.end_date < today:
        raise DomainError(f"Program «{programme.name}» sudah berakhir.", field="programme_id")
    rows: dict[int, str] = {}
    elig = programme.eligibility
    for r in referrals:
        emp = r.employee
        if r.status != ReferralStatus.DIUSULKAN:
            rows[r.id] = f"{emp.name}: rujukan berstatus «{r.status.label}», bukan usulan."
            continue
        kind = emp.position.kind if emp.position else None
        why = elig.reasons(kind.value if kind else None, kind.label if kind else "", emp.golongan)
        if why:
            rows[r.id] = f"{emp.name} tidak memenuhi syarat: {'; '.join(why)}."
    # Schedule clashes against what the employees already run (one query), and inside this batch.
    emp_ids = [r.employee_id for r in referrals]
    running = db.session.execute(
        select(Referral.employee_id, Referral.programme_id, Programme.start_date, Programme.end_date)
        .join(Programme, Programme.id == Referral.programme_id)
        .where(Referral.employee_id.in_(emp_ids), Referral.status.in_(list(ACTIVE)))
    ).all()
    existing = [Seat(-1, e, "", p, s, en) for e, p, s, en in running]
    seats = [
        Seat(r.id, r.employee_id, r.employee.name, programme.id, programme.start_date, programme.end_date)
        for r in referrals
        if r.id not in rows
    ]
    for rid, msg in clashes(seats, existing).items():
        rows.setdefault(rid, msg)
    if rows:
        raise BulkError(f"{len(rows)} usulan tidak dapat ditugaskan; tidak ada yang disimpan.", rows)
    if programme.capacity is not None:
        taken = occupied_seats([programme.id]).get(programme.id, 0)
        left = programme.capacity - taken
        if len(referrals) > left:
            raise DomainError(
                f"Kapasitas «{programme.name}» tinggal {max(left, 0)} peserta; dipilih {len(referrals)} pegawai. "
                "Tidak ada yang disimpan.",
                field="programme_id",
            )
    now = utcnow()
    for r in referrals:
        r.status = transition(r.status, ReferralStatus.DITUGASKAN)
        r.programme_id = programme.id
        r.programme = programme
        r.assigned_at = now
        r.assigned_by_id = actor.id if actor else None
        r.decided_by_id = actor.id if actor else None
    db.session.flush()
    when = _when(programme)
    for r in referrals:
        _notify_step(
            r,
            today,
            f"Anda ditugaskan mengikuti {programme.name} ({when}, {programme.jp} JP).",
            f"{r.employee.name} ditugaskan mengikuti {programme.name} ({when}).",
        )
        signals.referral_assigned.send(r, actor=actor, today=today)
    db.session.flush()


def _when(programme: Programme) -> str:
    from ..domain.labels import tanggal

    if programme.start_date is None:
        return "mandiri"
    if programme.start_date == programme.end_date:
        return tanggal(programme.start_date)
    return f"{tanggal(programme.start_date)} s.d. {tanggal(programme.end_date)}"


def dismiss(referrals: Sequence[Referral], reason: str, actor: User | None) -> None:
    """HR decides not to follow a suggestion up; the reason is kept (and the trigger is not suggested again)."""
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise DomainError("Alasan wajib diisi (minimal 5 karakter).", field="reason")
    if not referrals:
        raise DomainError("Pilih minimal satu usulan.", field="ids")
    rows = {
        r.id: f"{r.employee.name}: rujukan berstatus «{r.status.label}», bukan usulan."
        for r in referrals
        if r.status != ReferralStatus.DIUSULKAN
    }
    if rows:
        raise BulkError(f"{len(rows)} rujukan tidak dapat ditolak; tidak ada yang disimpan.", rows)
    for r in referrals:
        r.status = transition(r.status, ReferralStatus.DITOLAK)
        r.dismiss_reason = reason[:500]
        r.decided_by_id = actor.id if actor else None
    db.session.flush()


def start(referral: Referral, actor: User | None, today: date) -> None:
    """The participant has started the programme."""
    referral.status = transition(referral.status, ReferralStatus.BERJALAN)
    referral.started_on = today
    db.session.flush()
    name = referral.programme.name
    _notify_step(referral, today, f"{name} Anda tercatat sedang berjalan.", f"{referral.employee.name} mulai {name}.")


@dataclass
class Upload:
    filename: str
    data: bytes


def check_certificate(upload: Upload) -> uploads.Checked:
    """A certificate is a PDF or an image (PNG/JPEG), by its content, never by its name."""
    if not upload.data:
        raise DomainError("Berkas sertifikat kosong.", field="certificate")
    if len(upload.data) > CERTIFICATE_MAX_BYTES:
        raise DomainError("Berkas sertifikat melebihi 5 MB.", field="certificate")
    return uploads.check_file(
        upload.data,
        CERTIFICATE_TYPES,
        field="certificate",
        not_allowed="Sertifikat harus berupa berkas PDF atau gambar (PNG/JPEG).",
    )


def complete(
    referral: Referral,
    *,
    attendance_percent: int | None,
    result: str | None,
    jp: int | None,
    certificate: Upload | None,
    actor: User | None,
    today: date,
) -> JpEntry | None:
    """Record completion: attendance, result, certificate; credit JP into the ledger of the completion year."""
    if referral.status != ReferralStatus.BERJALAN:
        transition(referral.status, ReferralStatus.SELESAI)  # raises the workflow message
    if attendance_percent is None:
        raise DomainError("Kehadiran wajib diisi sebelum menyelesaikan rujukan.", field="attendance_percent")
    if not 1 <= attendance_percent <= 100:
        raise DomainError(
            "Kehadiran 1–100%. Peserta yang tidak hadir dicatat «tidak selesai».", field="attendance_percent"
        )
    jp = check_jp(referral.programme.jp if jp is None else jp)
    checked = check_certificate(certificate) if certificate is not None else None
    referral.status = transition(referral.status, ReferralStatus.SELESAI)
    referral.attendance_percent = attendance_percent
    referral.result = (result or "").strip()[:500] or None
    referral.jp_credited = jp
    referral.finished_on = today
    referral.decided_by_id = actor.id if actor else None
    if checked is not None:
        referral.certificates.append(ReferralCertificate(**checked.columns(certificate.filename, "sertifikat")))
    entry = None
    if jp > 0:
        entry = JpEntry(
            employee_id=referral.employee_id,
            year=today.year,
            jp=jp,
            source=JpSource.RUJUKAN,
            referral_id=referral.id,
            title=referral.programme.name[:200],
            on_date=today,
            provider=referral.programme.provider[:200],
            created_by_id=actor.id if actor else None,
        )
        db.session.add(entry)
    db.session.flush()
    name = referral.programme.name
    _notify_step(
        referral,
        today,
        f"{name} selesai; {jp} JP ditambahkan ke catatan pengembangan Anda tahun {today.year}.",
        f"{referral.employee.name} menyelesaikan {name} ({jp} JP).",
    )
    return entry


def mark_not_completed(referral: Referral, reason: str, actor: User | None, today: date) -> None:
    """Ditugaskan/berjalan but not finished (absent, withdrew): kept with its reason, no JP."""
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise DomainError("Alasan wajib diisi (minimal 5 karakter).", field="reason")
    referral.status = transition(referral.status, ReferralStatus.TIDAK_SELESAI)
    referral.not_completed_reason = reason[:500]
    referral.finished_on = today
    referral.decided_by_id = actor.id if actor else None
    db.session.flush()
    name = referral.programme.name
    _notify_step(
        referral,
        today,
        f"{name} dicatat tidak selesai: {reason[:200]}",
        f"{referral.employee.name} tidak menyelesaikan {name}: {reason[:200]}",
    )


def add_certificate(referral: Referral, upload: Upload) -> ReferralCertificate:
    """A certificate that arrives after completion (providers often send it weeks later)."""
    if referral.status != ReferralStatus.SELESAI:
        raise DomainError("Sertifikat hanya diunggah untuk rujukan yang sudah selesai.", field="certificate")
    cert = ReferralCertificate(**check_certificate(upload).columns(upload.filename, "sertifikat"))
    referral.certificates.append(cert)
    db.session.flush()
    return cert


# --- to-dos ---------------------------------------------------------------------------------------------


def pending_suggestions_count() -> int:
    return db.session.scalar(select(func.count(Referral.id)).where(Referral.status == ReferralStatus.DIUSULKAN)) or 0


def referral_todos(user: User) -> list[Todo]:
    from .. import access

    if not access.can_work_referral_queue(user):
        return []
    n = pending_suggestions_count()
    return [Todo(n, f"{n} usulan rujukan pengembangan menunggu keputusan", QUEUE_PATH)] if n else []
