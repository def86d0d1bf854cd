"""Public-service demo: the holiday calendar (example SKB dates), service catalogues with standar pelayanan for
Dukcapil and an RSUD-like health unit, 12 months of service logs with a visible improvement after a change date
(imported through the real service-log import), unit operators, and approved SKPs of the units' officers with an
IKI linked to "persentase layanan selesai sesuai standar" of their service."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from ...domain.berakhlak import BERAKHLAK
from ...domain.public_service import CompletionUnit, SignalKind, month_start, next_month
from ...domain.skp import Aspek, Frequency, PeriodStatus, RhkKategori, SkpJenis
from ...domain.workflow import SkpStatus
from ...extensions import db
from ...models import (
    Employee,
    Indikator,
    IndikatorSignal,
    PerilakuExpectation,
    Period,
    Position,
    PositionKind,
    PublicService,
    Rhk,
    Role,
    ServiceOperator,
    ServiceStandard,
    Skp,
    Unit,
    User,
)
from ..org import appraisers
from ..public_service import calendar, files, log_import
from .accounts import DEMO_PASSWORD

HOLIDAYS = Path(__file__).resolve().parents[2] / "data" / "public_service" / "hari_libur_contoh.csv"

# unit code → [(code, name, time, unit, cost, product, requirements, requests a month)]
CATALOGUE = {
    "DISDUKCAPIL-B1": [
        ("KTP-EL", "Penerbitan KTP-el", 5, CompletionUnit.WORKING_DAYS, 0, "KTP-el",
         "Fotokopi KK; surat pengantar RT/RW bila perubahan data", 260),
        ("KK", "Penerbitan Kartu Keluarga", 3, CompletionUnit.WORKING_DAYS, 0, "Kartu Keluarga",
         "Formulir F-1.01; dokumen peristiwa", 180),
        ("PINDAH", "Surat Keterangan Pindah", 1, CompletionUnit.WORKING_DAYS, 0, "SKPWNI", "KK; KTP-el", 90),
    ],
    "DISDUKCAPIL-B2": [
        ("AKTA-LAHIR", "Akta Kelahiran", 3, CompletionUnit.WORKING_DAYS, 0, "Kutipan akta kelahiran",
         "Surat keterangan lahir; KK; KTP-el orang tua", 150),
        ("AKTA-MATI", "Akta Kematian", 3, CompletionUnit.WORKING_DAYS, 0, "Kutipan akta kematian",
         "Surat keterangan kematian; KK", 60),
    ],
    "DINKES-B1": [  # the RSUD-like unit: hospital services timed in hours
        ("LAB", "Hasil Pemeriksaan Laboratorium", 24, CompletionUnit.HOURS, 75000, "Hasil laboratorium",
         "Surat pengantar dokter", 240),
        ("SKS", "Surat Keterangan Sehat", 2, CompletionUnit.HOURS, 25000, "Surat keterangan sehat", "KTP-el", 120),
    ],
}  # fmt: skip

OPERATORS = {"layanan": ("DISDUKCAPIL-B1", "DISDUKCAPIL-B2"), "rsud": ("DINKES-B1",)}


@dataclass
class PublicServiceDemo:
    services: int
    transactions: int
    change_date: date
    linked_ikis: int
    accounts: dict[str, str]


def _officers(unit: Unit) -> list[Employee]:
    return list(
        db.session.scalars(
            select(Employee)
            .join(Position, Position.id == Employee.position_id)
            .where(
                Position.unit_id.in_(select(Unit.id).where((Unit.id == unit.id) | (Unit.parent_id == unit.id))),
                Position.kind.in_([PositionKind.PELAKSANA, PositionKind.FUNGSIONAL]),
                Employee.active.is_(True),
            )
            .order_by(Employee.id)
        )
    )


def _log_rows(rng: random.Random, services, officers, cal, start: date, change: date, now: datetime) -> list[list[str]]:
    rows: list[list[str]] = []
    month = start
    seq = 0
    while month <= now.date():
        days = [month + timedelta(d) for d in range(31) if (month + timedelta(d)).month == month.month]
        working = [d for d in days if cal.is_working_day(d) and d <= now.date()]
        after = month >= change
        for svc, standard, unit_of_time, volume in services:
            for _ in range(int(volume * rng.uniform(0.85, 1.15)) if working else 0):
                seq += 1
                received = datetime.combine(rng.choice(working), time(rng.randint(8, 13), rng.choice((0, 15, 30, 45))))
                if unit_of_time is CompletionUnit.WORKING_DAYS:
                    factor = rng.uniform(0.2, 1.15) if after else rng.uniform(0.4, 2.0)
                    spent = max(0, round(standard * factor + (rng.random() < 0.05) * rng.randint(2, 8) * (not after)))
                    done_day = cal.add_working_days(received.date(), spent)
                    completed = datetime.combine(done_day, time(rng.randint(9, 15), rng.choice((0, 30))))
                    completed = max(completed, received + timedelta(minutes=30))
                else:
                    hours = standard * (rng.uniform(0.2, 1.1) if after else rng.uniform(0.5, 2.2))
                    completed = received + timedelta(hours=hours)
                status = "selesai"
                if rng.random() < 0.02:
                    status = "ditolak"
                if completed > now:
                    completed, status = None, "proses"
                officer = rng.choice(officers)
                rows.append([
                    svc.code, f"{svc.code}-{received:%Y%m}-{seq:06d}", f"{received:%Y-%m-%d %H:%M}",
                    f"{completed:%Y-%m-%d %H:%M}" if completed else "", officer.nip,
                    rng.choice(("loket", "loket", "daring", "jemput bola")), status,
                ])  # fmt: skip
        month = next_month(month)
    return rows


def _current_period(today: date) -> Period:
    period = db.session.scalar(select(Period).where(Period.year == today.year))
    if period is None:
        period = Period(
            year=today.year, frequency=Frequency.TRIWULAN, start_date=date(today.year, 1, 1),
            end_date=date(today.year, 12, 31), status=PeriodStatus.OPEN,
        )  # fmt: skip
        db.session.add(period)
        db.session.flush()
    return period


def _linked_skp(employee: Employee, service: PublicService, period: Period, today: date, user: User | None) -> int:
    """An approved SKP for the officer with one IKI linked to the service's completion signal (unless they have one)."""
    if db.session.scalar(select(Skp.id).where(Skp.employee_id == employee.id, Skp.period_id == period.id)):
        return 0
    found = appraisers.appraiser_of(employee, today)
    skp = Skp(
        employee=employee, period=period, jenis=SkpJenis.KUANTITATIF, status=SkpStatus.APPROVED,
        appraiser_id=found.employee.id if found else None, approved_on=period.start_date,
        approved_at=datetime.combine(period.start_date, time(9), UTC),
    )  # fmt: skip
    skp.perilaku = [PerilakuExpectation(nilai=v, position=i) for i, v in enumerate(BERAKHLAK)]
    rhk = Rhk(kategori=RhkKategori.UTAMA, uraian=f"Terselenggaranya layanan {service.name} sesuai standar pelayanan")
    iki = Indikator(aspek=Aspek.WAKTU, indikator=SignalKind.COMPLETION_WITHIN_STANDARD.label, target="90", satuan="%")
    rhk.indikators = [iki]
    skp.rhks.append(rhk)
    db.session.add(skp)
    db.session.flush()
    db.session.add(IndikatorSignal(indikator_id=iki.id, kind=SignalKind.COMPLETION_WITHIN_STANDARD, ref_id=service.id,
                                   created_by_id=user.id if user else None))  # fmt: skip
    return 1


def seed_public_service(today: date, *, seed: int = 2212) -> PublicServiceDemo:
    rng = random.Random(seed)
    calendar.import_holidays(HOLIDAYS.name, HOLIDAYS.read_bytes())
    cal = calendar.calendar()
    now = datetime.combine(today, time(7))
    start = month_start(date(today.year - 1, today.month, 1) + timedelta(days=32))  # 12 months to this one
    change = month_start(date(today.year, today.month, 1) - timedelta(days=150))  # "new procedure" 5 months ago
    units = {u.code: u for u in db.session.scalars(select(Unit).where(Unit.code.in_(list(CATALOGUE))))}
    period = _current_period(today)
    made = PublicServiceDemo(0, 0, change, 0, {})
    # operator accounts first: they author the linked IKIs' first link
    users: dict[str, User] = {}
    for username, codes in OPERATORS.items():
        unit = units.get(codes[0])
        officers = _officers(unit) if unit else []
        if not officers:
            continue
        user = User(username=username, employee=officers[0], session_token=secrets.token_hex(16))
        user.set_password(DEMO_PASSWORD)
        user.set_roles({Role.PEGAWAI})
        db.session.add(user)
        db.session.flush()
        for code in codes:
            if code in units:
                db.session.add(ServiceOperator(unit_id=units[code].id, user_id=user.id))
        users[username] = user
        made.accounts[username] = f"Pegawai, operator layanan {', '.join(codes)}"
    # the pejabat penilai of the Dukcapil operator, to see the evidence panel while rating
    operator = users.get("layanan")
    found = appraisers.appraiser_of(operator.employee, today) if operator is not None else None
    if found is not None and not db.session.scalar(select(User.id).where(User.employee_id == found.employee.id)):
        penilai = User(username="penilailayanan", employee=found.employee, session_token=secrets.token_hex(16))
        penilai.set_password(DEMO_PASSWORD)
        penilai.set_roles({Role.PEGAWAI})
        db.session.add(penilai)
        made.accounts["penilailayanan"] = "Pegawai, pejabat penilai operator layanan Disdukcapil"
    for code, catalogue in CATALOGUE.items():
        unit = units.get(code)
        if unit is None:
            continue
        officers = _officers(unit)
        if not officers:
            continue
        services = []
        for svc_code, name, limit, unit_of_time, cost, product, requirements, volume in catalogue:
            svc = PublicService(unit_id=unit.id, code=svc_code, name=name)
            svc.standards = [
                ServiceStandard(valid_from=start - timedelta(days=365), completion_time=limit,
                                completion_unit=unit_of_time, cost=cost, product=product, requirements=requirements)
            ]  # fmt: skip
            db.session.add(svc)
            services.append((svc, limit, unit_of_time, volume))
        db.session.flush()
        made.services += len(services)
        rows = _log_rows(rng, services, officers, cal, start, change, now)
        header = [c.header for c in log_import.COLUMNS]
        text = "\n".join(";".join(r) for r in [header, *rows]) + "\n"
        table = files.read_table("demo.csv", text.encode("utf-8"))
        preview = log_import.build_preview(unit, table, today=today)
        counts = log_import.apply_preview(preview, skip_invalid=True, now=datetime.now(UTC))
        made.transactions += counts["baru"]
        operator = next((users[u] for u, codes in OPERATORS.items() if code in codes and u in users), None)
        for i, officer in enumerate(officers[:6]):
            made.linked_ikis += _linked_skp(officer, services[i % len(services)][0], period, today, operator)
    db.session.flush()
    return made
