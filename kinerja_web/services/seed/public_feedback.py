"""Public-feedback demo on the service units of the public-service demo (Dukcapil and the RSUD-like health unit):
two SKM periods each with realistic answers (better after the change of procedure) and the earlier period's
Laporan Hasil SKM issued, about thirty complaints across every status (some naming officers, with their
responses), and a few innovations (accepted, submitted, returned)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from ...domain.public_feedback import (
    UNSUR_COUNT,
    AgeBand,
    ComplaintCause,
    ComplaintChannel,
    ComplaintStatus,
    Education,
    InnovationStatus,
    Occupation,
    RespondentSex,
    ResponseSource,
    Verdict,
)
from ...domain.public_service import SignalKind
from ...domain.skp import Aspek
from ...extensions import db
from ...models import (
    ComplaintResponse,
    Employee,
    Indikator,
    IndikatorSignal,
    Innovation,
    ServiceOperator,
    SkmResponse,
    Skp,
    Unit,
    User,
)
from ..complaints import register as complaints
from ..skm import report, surveys
from .public_service import OPERATORS, _officers

SURVEY_UNITS = ("DISDUKCAPIL-B1", "DINKES-B1")
# per unit: the chance of each answer 1–4 before and after the change, for a plausible IKM (C/B → B/A)
ANSWER_WEIGHTS = {False: (6, 22, 52, 20), True: (2, 8, 50, 40)}
COMPLAINT_TEXTS = [
    (ComplaintCause.TIME, "Permohonan sudah lewat dari waktu yang dijanjikan dan belum ada kabar."),
    (ComplaintCause.CONDUCT, "Petugas loket berbicara dengan nada tinggi kepada warga lanjut usia."),
    (ComplaintCause.COST, "Diminta membayar biaya map padahal layanan gratis."),
    (ComplaintCause.REQUIREMENTS, "Persyaratan yang diminta berbeda dengan yang tertulis di papan informasi."),
    (ComplaintCause.FACILITIES, "Ruang tunggu panas dan kursi kurang, antrean sampai ke luar."),
    (ComplaintCause.PRODUCT, "Nama pada dokumen salah ketik dan harus diulang."),
    (ComplaintCause.OTHER, "Nomor telepon pengaduan tidak pernah diangkat."),
]


@dataclass
class PublicFeedbackDemo:
    periods: int
    responses: int
    complaints: int
    innovations: int


def _semesters(today: date) -> list[tuple[str, date, date]]:
    """The last two semesters up to today: the earlier one complete, the current one running."""
    if today.month >= 7:
        return [
            (f"Semester I {today.year}", date(today.year, 1, 1), date(today.year, 6, 30)),
            (f"Semester II {today.year}", date(today.year, 7, 1), date(today.year, 12, 31)),
        ]
    return [
        (f"Semester II {today.year - 1}", date(today.year - 1, 7, 1), date(today.year - 1, 12, 31)),
        (f"Semester I {today.year}", date(today.year, 1, 1), date(today.year, 6, 30)),
    ]


def _responses(rng: random.Random, period_id: int, n: int, improved: bool) -> list[SkmResponse]:
    weights = ANSWER_WEIGHTS[improved]
    rows = []
    for i in range(n):
        answers = rng.choices((1, 2, 3, 4), weights=weights, k=UNSUR_COUNT)
        rows.append(
            SkmResponse(
                period_id=period_id,
                source=ResponseSource.KIOSK if i % 3 else ResponseSource.PAPER,
                age_band=rng.choice([*AgeBand, None]),
                sex=rng.choice([*RespondentSex, None]),
                education=rng.choice([*Education, None]),
                occupation=rng.choice([*Occupation, None]),
                **{f"u{k + 1}": v for k, v in enumerate(answers)},
            )
        )
    return rows


def _seed_surveys(rng: random.Random, units: dict[str, Unit], today: date, made: PublicFeedbackDemo) -> None:
    officer_user = db.session.scalar(select(User).where(User.username == "kepegawaian"))
    for code in SURVEY_UNITS:
        unit = units.get(code)
        if unit is None:
            continue
        for i, (name, start, end) in enumerate(_semesters(today)):
            period = surveys.create_period(unit, name, start, end, 1200, None)
            period.kiosk_open = i == 1
            rows = _responses(rng, period.id, 240 if i == 0 else 310, improved=i == 1)
            db.session.add_all(rows)
            db.session.flush()
            made.periods += 1
            made.responses += len(rows)
            if i == 0 and officer_user is not None and unit.opd is not None:
                report.issue_report(period, end, officer_user)


def _seed_complaints(rng: random.Random, units: dict[str, Unit], today: date, made: PublicFeedbackDemo) -> None:
    handlers = {
        code: db.session.scalar(
            select(User)
            .join(ServiceOperator, ServiceOperator.user_id == User.id)
            .where(ServiceOperator.unit_id == u.id)
        )
        for code, u in units.items()
    }
    plan = [ComplaintStatus.REGISTERED] * 7 + [ComplaintStatus.VERIFIED] * 8 + [ComplaintStatus.FOLLOWED_UP] * 7
    plan += [ComplaintStatus.CLOSED] * 10
    codes = [c for c in units if handlers.get(c) is not None]
    for n, target in enumerate(plan):
        code = codes[n % len(codes)]
        unit, actor = units[code], handlers[code]
        officers: list[Employee] = _officers(unit)
        cause, text = COMPLAINT_TEXTS[n % len(COMPLAINT_TEXTS)]
        named = officers[n % len(officers)] if officers and n % 3 != 2 else None
        received = today - timedelta(days=5 + 6 * n)
        c = complaints.register(
            complaints.ComplaintInput(
                unit=unit,
                channel=list(ComplaintChannel)[n % len(ComplaintChannel)],
                cause=cause,
                text=text,
                received_on=received,
                employee=named,
                reference=f"LAPOR-{received:%y%m}{n:03d}" if n % 5 == 3 else None,
            ),
            actor,
            received,
        )
        if target == ComplaintStatus.REGISTERED:
            continue
        # terbukti for two in three; the officer named in a terbukti one answers in writing
        verdict = Verdict.SUBSTANTIATED if n % 3 != 1 else Verdict.UNSUBSTANTIATED
        reason = (
            "Keterangan saksi dan rekaman antrean membenarkan."
            if verdict == Verdict.SUBSTANTIATED
            else "Data layanan menunjukkan permohonan selesai sesuai standar."
        )
        complaints.verify(c, verdict, reason, actor, received + timedelta(days=2))
        if named is not None and verdict == Verdict.SUBSTANTIATED and n % 2 == 0:
            db.session.add(
                ComplaintResponse(
                    complaint_id=c.id, employee_id=named.id, text="Saya mohon maaf; antrean hari itu sangat panjang."
                )
            )
        if target == ComplaintStatus.VERIFIED:
            continue
        if verdict == Verdict.SUBSTANTIATED or target == ComplaintStatus.FOLLOWED_UP:
            if c.status == ComplaintStatus.VERIFIED:
                complaints.follow_up(
                    c, "Petugas dibina dan prosedur loket diperjelas.", actor, received + timedelta(days=4)
                )
        if target == ComplaintStatus.CLOSED:
            complaints.close(
                c, "Pengadu telah menerima penjelasan dan layanannya.", actor, received + timedelta(days=7)
            )
    made.complaints = len(plan)
    db.session.flush()


def _seed_innovations(units: dict[str, Unit], today: date, made: PublicFeedbackDemo) -> None:
    hr = db.session.scalar(select(User).where(User.username == "kepegawaian"))
    b1 = units.get("DISDUKCAPIL-B1")
    rs = units.get("DINKES-B1")
    rows = []
    if b1 is not None:
        officer = next(iter(_officers(b1)), None)
        rows += [
            (b1, None, "Antrean daring KTP-el lewat WhatsApp", "Warga antre sejak subuh; rata-rata menunggu 95 menit.",
             "Nomor antrean dan jam datang dikirim lewat WhatsApp sehari sebelumnya.",
             "Waktu tunggu rata-rata 95 → 28 menit; layanan KTP-el selesai sesuai standar 61% → 89%.",
             InnovationStatus.ACCEPTED),
            (b1, officer, "Jemput bola perekaman KTP-el di sekolah", "Pemilih pemula belum merekam KTP-el.",
             "Perekaman keliling ke SMA/SMK setiap Kamis.", "1.240 siswa direkam dalam 3 bulan.",
             InnovationStatus.ACCEPTED),
        ]  # fmt: skip
    if rs is not None:
        rows += [
            (rs, None, "Hasil laboratorium lewat SMS", "Pasien kembali ke loket hanya untuk menanyakan hasil.",
             "Notifikasi SMS saat hasil siap.", "Kunjungan ulang ke loket turun 40%.", InnovationStatus.SUBMITTED),
            (rs, next(iter(_officers(rs)), None), "Loket prioritas lansia", "Lansia antre bersama pasien umum.",
             "Satu loket khusus lansia dan disabilitas.", "Belum diukur.", InnovationStatus.RETURNED),
        ]  # fmt: skip
    for n, (unit, employee, title, problem, change, effect, status) in enumerate(rows):
        db.session.add(
            Innovation(
                unit_id=unit.id, employee_id=employee.id if employee else None, title=title,
                started_on=today - timedelta(days=150 - 20 * n), problem=problem, change=change, effect=effect,
                status=status, review_note="Lengkapi angka sebelum dan sesudah." if status == InnovationStatus.RETURNED else None,
                reviewed_by_id=hr.id if hr and status != InnovationStatus.SUBMITTED else None,
            )
        )  # fmt: skip
    made.innovations = len(rows)
    db.session.flush()


def _link_ikm_iki(units: dict[str, Unit]) -> None:
    """The Dukcapil operator's SKP gets an IKI "nilai IKM unit" linked to the unit's survey (besides the completion
    IKI the public-service demo links), so the realisasi form shows both kinds of measured value."""
    user = db.session.scalar(select(User).where(User.username == "layanan"))
    unit = units.get("DISDUKCAPIL-B1")
    if user is None or unit is None:
        return
    skp = db.session.scalars(select(Skp).where(Skp.employee_id == user.employee_id).order_by(Skp.id.desc())).first()
    if skp is None or not skp.rhks:
        return
    iki = Indikator(aspek=Aspek.KUALITAS, indikator=SignalKind.UNIT_IKM.label, target="88,31", satuan="nilai")
    skp.rhks[0].indikators.append(iki)
    db.session.flush()
    db.session.add(
        IndikatorSignal(indikator_id=iki.id, kind=SignalKind.UNIT_IKM, ref_id=unit.id, created_by_id=user.id)
    )


def seed_public_feedback(today: date, *, seed: int = 2213) -> PublicFeedbackDemo:
    rng = random.Random(seed)
    codes = set(SURVEY_UNITS) | {c for group in OPERATORS.values() for c in group}
    units = {u.code: u for u in db.session.scalars(select(Unit).where(Unit.code.in_(codes)))}
    made = PublicFeedbackDemo(0, 0, 0, 0)
    _seed_surveys(rng, units, today, made)
    _seed_complaints(rng, units, today, made)
    _seed_innovations(units, today, made)
    _link_ikm_iki(units)
    db.session.flush()
    return made
