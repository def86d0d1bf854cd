"""Final rating by the pejabat penilai: evidence, draft and final rating, calibration changes, the payroll feed.

The predikat is computed only by `domain.predikat.predikat()`. Functions flush, never commit.
Rules: PermenPANRB 6/2022 (ratings, matrix), SE MenPANRB 3/2023 (calibration; organisation predikat and the
unit leader's hasil kerja live in `organisation`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from flask import url_for
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from ... import audit
from ...domain import DomainError
from ...domain.payroll.rules import RuleVersion
from ...domain.predikat import (
    BARIS_HASIL_KERJA,
    KOLOM_PERILAKU_KERJA,
    Ekspektasi,
    PenjelasanPredikat,
    explain,
    predikat,
)
from ...domain.rating_rules import PREDIKAT, version_label
from ...domain.workflow import SkpStatus
from ...extensions import db
from ...models import (
    ANNUAL,
    Employee,
    Evidence,
    PayrollPredikat,
    PerformanceRating,
    Period,
    RatingStatus,
    Realisasi,
    Rhk,
    Skp,
    User,
    utcnow,
)
from ...models.skp import kategori_rank
from ...timeutil import today_wib
from .. import rating_rules
from ..evaluation360 import results as evaluation360_results
from ..notifications.notify import Todo
from ..org import appraisers
from ..skp import records
from ..skp.records import effective_skp
from .organisation import calibrated_unit, leader_prefill
from .windows import is_locked, rating_of, ratings_by_employee, window_label, window_months

NOTIFY_KIND = "penilaian_kinerja"  # Notification.kind is String(20)


# --- evidence beside the ratings --------------------------------------------------------------------


@dataclass(frozen=True)
class IndikatorEvidence:
    rhk: str
    aspek: str
    indikator: str
    target: str
    realisasi: tuple[tuple[str, str], ...]  # (window label, nilai)
    bukti: int


@dataclass(frozen=True)
class SkpEvidence:
    skp: Skp | None
    rows: tuple[IndikatorEvidence, ...]
    realisasi_count: int
    bukti_count: int


def skp_evidence(employee: Employee, period: Period) -> SkpEvidence:
    """SKP targets, realisasi per window and bukti dukung counts (what the rating hasil kerja is judged on).

    PermenPANRB 6/2022: the pejabat penilai compares realisasi and bukti dukung with the targets.
    """
    skp = effective_skp(employee.id, period.id)
    if skp is None:
        return SkpEvidence(None, (), 0, 0)
    rhks = db.session.scalars(
        select(Rhk)
        .where(Rhk.skp_id == skp.id)
        .options(selectinload(Rhk.indikators))
        .order_by(kategori_rank(Rhk.kategori), Rhk.position)
    ).all()
    ind_ids = [i.id for r in rhks for i in r.indikators]
    labels = {w.index: w.label for w in period.windows}
    real: dict[int, list[tuple[str, str]]] = {}
    bukti: Counter[int] = Counter()
    if ind_ids:
        rows = db.session.execute(
            select(
                Realisasi.indikator_id, Realisasi.window_no, Realisasi.nilai, Realisasi.link, func.count(Evidence.id)
            )
            .outerjoin(Evidence, Evidence.realisasi_id == Realisasi.id)
            .where(Realisasi.indikator_id.in_(ind_ids))
            .group_by(Realisasi.id, Realisasi.indikator_id, Realisasi.window_no, Realisasi.nilai, Realisasi.link)
            .order_by(Realisasi.window_no)
        ).all()
        for ind_id, window_no, nilai, link, files in rows:
            real.setdefault(ind_id, []).append((labels.get(window_no, f"Periode {window_no}"), nilai))
            bukti[ind_id] += files + (1 if link else 0)
    out = tuple(
        IndikatorEvidence(
            rhk=r.uraian,
            aspek=i.aspek.label,
            indikator=i.indikator,
            target=f"{i.target} {i.satuan or ''}".strip(),
            realisasi=tuple(real.get(i.id, ())),
            bukti=bukti[i.id],
        )
        for r in rhks
        for i in r.indikators
    )
    return SkpEvidence(skp, out, sum(len(v) for v in real.values()), sum(bukti.values()))


# --- the rating ---------------------------------------------------------------------------------------


def parse_ekspektasi(raw: str | None, field: str) -> Ekspektasi:
    try:
        return Ekspektasi((raw or "").strip())
    except ValueError:
        raise DomainError("Pilih salah satu: Di Atas, Sesuai, atau Di Bawah Ekspektasi.", field=field) from None


def save_rating(
    employee: Employee,
    period: Period,
    window_no: int,
    hasil_kerja: Ekspektasi,
    perilaku_kerja: Ekspektasi,
    catatan: str | None,
    actor: User,
    on: date,
) -> PerformanceRating:
    """Create or update the draft rating; the predikat comes only from the matrix version that applies to the period
    (PermenPANRB 6/2022 unless a later version was added) and is recorded with the rating."""
    window_label(period, window_no)  # validates the window
    rating = rating_of(employee.id, period.id, window_no)
    if rating is not None and rating.is_final:
        raise DomainError(
            "Penilaian ini sudah final dan tidak dapat diubah di sini; perubahan hanya melalui kalibrasi "
            "(dengan alasan) atau keberatan."
        )
    if rating is not None and calibrated_unit(employee, period, window_no) is not None:
        raise DomainError(
            "Kalibrasi unit pegawai ini sudah selesai; perubahan rating hanya melalui halaman kalibrasi "
            "dengan alasan yang dicatat."
        )
    leader = leader_prefill(employee, period, window_no, on)
    appraiser = appraisers.appraiser_of(employee, on)
    if rating is None:
        rating = PerformanceRating(employee_id=employee.id, period_id=period.id, window_no=window_no)
    # A draft follows the period's version (versions are append-only: a past period's never moves).
    version = rating_rules.matriks_for(period)
    rating.hasil_kerja = hasil_kerja
    rating.perilaku_kerja = perilaku_kerja
    rating.predikat = predikat(hasil_kerja, perilaku_kerja, version.data)
    rating.rule_version = version.version_id
    rating.hasil_from_unit = leader is not None and leader.hasil_kerja == hasil_kerja
    rating.catatan = (catatan or "").strip() or None
    rating.appraiser_id = appraiser.employee.id if appraiser else None
    rating.rated_by_id = actor.id
    rating.rated_on = on
    db.session.add(rating)
    db.session.flush()
    return rating


def finalise(rating: PerformanceRating, actor: User, now: datetime | None = None) -> bool:
    """Make the rating final exactly once (a conditional UPDATE: a double click finalises once).

    Returns False when it was already final. Feeds payroll and notifies the employee.
    """
    now = now or utcnow()
    result = db.session.execute(
        update(PerformanceRating)
        .where(PerformanceRating.id == rating.id, PerformanceRating.status == RatingStatus.DRAFT)
        .values(status=RatingStatus.FINAL, finalised_at=now, finalised_by_id=actor.id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(rating)
        return False
    db.session.refresh(rating)
    audit.record(
        db.session,
        "finalise_rating",
        "performance_rating",
        rating.id,
        f"Predikat {rating.predikat.label} ditetapkan untuk {rating.employee.name}",
        after={
            "hasil_kerja": rating.hasil_kerja.value,
            "perilaku_kerja": rating.perilaku_kerja.value,
            "predikat": rating.predikat.value,
            "versi_aturan": rating.rule_version,
        },
    )
    feed_payroll(rating)
    notify_employee(
        rating,
        f"Penilaian kinerja {window_label(rating.period, rating.window_no)} Anda sudah final: "
        f"predikat {rating.predikat.label}.",
    )
    db.session.flush()
    return True


def calibrate(
    rating: PerformanceRating, hasil_kerja: Ekspektasi, perilaku_kerja: Ekspektasi, reason: str | None, actor: User
) -> PerformanceRating:
    """Change a rating in the calibration path: a reason is required and the change is audited.

    SE MenPANRB 3/2023: the leader reviews the distribution against the curve; a finalised rating changes
    only here (or, later, through keberatan: see `apply_keberatan_decision`).
    """
    reason = (reason or "").strip()
    if is_locked(rating.period_id, rating.window_no):
        raise DomainError(
            "Periode penilaian ini sudah dikunci dan dokumen evaluasinya terbit; perubahan predikat hanya "
            "melalui keberatan pegawai kepada atasan pejabat penilai (PP 30/2019 Pasal 59)."
        )
    if len(reason) < 10:
        raise DomainError("Alasan perubahan wajib diisi (minimal 10 karakter).", field="alasan")
    if (rating.hasil_kerja, rating.perilaku_kerja) == (hasil_kerja, perilaku_kerja):
        raise DomainError("Rating tidak berubah; tidak ada yang disimpan.", field="hasil_kerja")
    return _change(rating, hasil_kerja, perilaku_kerja, reason, "calibrate_rating")


def apply_keberatan_decision(
    rating: PerformanceRating, hasil_kerja: Ekspektasi, perilaku_kerja: Ekspektasi, reason: str
) -> PerformanceRating:
    """Keberatan (PP 30/2019 Pasal 59; `keberatan.decide`): the atasan pejabat penilai's final decision
    changes the rating through the same audited path (payroll re-fed, employee notified)."""
    return _change(rating, hasil_kerja, perilaku_kerja, reason, "keberatan_decision")


def _change(rating, hasil_kerja, perilaku_kerja, reason, action) -> PerformanceRating:
    before = {
        "hasil_kerja": rating.hasil_kerja.value,
        "perilaku_kerja": rating.perilaku_kerja.value,
        "predikat": rating.predikat.value,
    }
    version = rating_rules.matriks_for(rating.period, rating.rule_version)  # the version the rating was made with
    rating.hasil_kerja, rating.perilaku_kerja = hasil_kerja, perilaku_kerja
    rating.predikat = predikat(hasil_kerja, perilaku_kerja, version.data)
    rating.rule_version = version.version_id
    rating.change_reason = reason
    after = {
        "hasil_kerja": hasil_kerja.value,
        "perilaku_kerja": perilaku_kerja.value,
        "predikat": rating.predikat.value,
        "versi_aturan": version.version_id,
    }
    db.session.flush()
    audit.record(db.session, action, "performance_rating", rating.id, reason[:300], before=before, after=after)
    if rating.is_final:
        feed_payroll(rating)
        notify_employee(
            rating,
            f"Predikat kinerja {window_label(rating.period, rating.window_no)} Anda diubah "
            f"menjadi {rating.predikat.label}: {reason}",
        )
    db.session.flush()
    return rating


def notify_employee(rating: PerformanceRating, message: str) -> None:
    records.notify_employee(
        rating.employee_id,
        NOTIFY_KIND,
        message[:400],  # Notification.message is String(400); a calibration reason may be longer
        url_for(  # also from the lock job, outside any request (SERVER_NAME from config)
            "rating.rate",
            period_id=rating.period_id,
            employee_id=rating.employee_id,
            jendela=rating.window_no or None,
            _external=False,
        ),
    )


def feed_payroll(rating: PerformanceRating) -> list[PayrollPredikat]:
    """Write/refresh the employee's `PayrollPredikat` rows for the months the rating covers, so TPP follows it.

    Payroll reads them through `payroll.services.predikat_for` (domain §6.6: TPP kinerja follows the predikat).
    """
    months = window_months(rating.period, rating.window_no)
    source = f"Penilaian kinerja {window_label(rating.period, rating.window_no)}"
    existing = {
        r.month: r
        for r in db.session.scalars(
            select(PayrollPredikat).where(
                PayrollPredikat.employee_id == rating.employee_id, PayrollPredikat.month.in_(months)
            )
        )
    }
    rows = []
    for month in months:
        row = existing.get(month)
        if row is None:
            row = PayrollPredikat(employee_id=rating.employee_id, month=month)
            db.session.add(row)
        row.predikat, row.source = rating.predikat.value, source
        row.recorded_by_id = None  # the evaluation's result, not a payroll maker's entry
        rows.append(row)
    db.session.flush()
    return rows


# --- matrix for the screen ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixCell:
    predikat: str
    active: bool


def matrix(penjelasan: PenjelasanPredikat | None, version: RuleVersion | None = None) -> dict:
    """The 3×3 matrix of a rule version (default: the one in force today) in the Lampiran's layout, with the cell
    of `penjelasan` highlighted."""
    version = version or rating_rules.in_force(PREDIKAT, today_wib())
    rows = []
    for r, hasil in enumerate(BARIS_HASIL_KERJA):
        cells = [
            MatrixCell(
                version.data[hasil, perilaku].label,
                penjelasan is not None and (penjelasan.baris, penjelasan.kolom) == (r, c),
            )
            for c, perilaku in enumerate(KOLOM_PERILAKU_KERJA)
        ]
        rows.append((hasil.label, cells))
    return {
        "columns": [k.label for k in KOLOM_PERILAKU_KERJA],
        "rows": rows,
        "penjelasan": penjelasan,
        "sumber": version.citation,
        "versi": version_label(version),
    }


def explained(rating: PerformanceRating) -> dict:
    """The matrix of the version the rating recorded, its cell highlighted and explained."""
    version = rating_rules.matriks_for(rating.period, rating.rule_version)
    return matrix(
        explain(rating.hasil_kerja, rating.perilaku_kerja, version.data, version.citation),
        version,
    )


def preview(hasil_raw: str | None, perilaku_raw: str | None, period: Period | None = None) -> dict:
    """Matrix context for whatever the form holds now (both chosen → highlighted cell and explanation), under the
    version that applies to `period` (default: in force today)."""
    version = rating_rules.matriks_for(period) if period is not None else rating_rules.in_force(PREDIKAT, today_wib())
    try:
        return matrix(
            explain(Ekspektasi(hasil_raw or ""), Ekspektasi(perilaku_raw or ""), version.data, version.citation),
            version,
        )
    except ValueError:
        return matrix(None, version)


# --- 360 input ----------------------------------------------------------------------------------------


def perilaku_input(employee: Employee, period: Period):
    ev = evaluation360_results.latest_closed_evaluatee(employee.id, period.end_date)
    return evaluation360_results.perilaku_summary_for(ev) if ev else None


# --- the appraiser's list and to-do -------------------------------------------------------------------


def team_status(
    boss: Employee, period: Period, window_no: int, on: date
) -> list[tuple[Employee, PerformanceRating | None]]:
    team = appraisers.direct_subordinates(boss, on)
    ratings = ratings_by_employee(period, window_no, [e.id for e in team])
    return [(e, ratings.get(e.id)) for e in team]


def awaiting_count(boss: Employee, on: date) -> int:
    """Direct reports with an approved SKP in the newest period but no final annual rating (to-do list).

    Without an approved SKP there is nothing to rate yet (PermenPANRB 6/2022: the evaluation is of the SKP).
    """
    period = db.session.scalars(select(Period).order_by(Period.year.desc()).limit(1)).first()
    if period is None:
        return 0
    waiting = [e.id for e, r in team_status(boss, period, ANNUAL, on) if r is None or not r.is_final]
    if not waiting:
        return 0
    return (
        db.session.scalar(
            select(func.count(func.distinct(Skp.employee_id))).where(
                Skp.employee_id.in_(waiting), Skp.period_id == period.id, Skp.status == SkpStatus.APPROVED
            )
        )
        or 0
    )


def rating_todos(user: User) -> list[Todo]:
    if not user.is_authenticated or user.employee is None:
        return []
    n = awaiting_count(user.employee, today_wib())
    return (
        [Todo(n, f"{n} pegawai menunggu penilaian kinerja Anda", url_for("rating.index", _external=False))] if n else []
    )
