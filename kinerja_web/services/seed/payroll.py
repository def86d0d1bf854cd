"""The demo's payroll: rule tables, the months' predikat, BPKAD's document settings, TPP status periods."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import insert, select

from ...domain.documents import Acting, DocType
from ...domain.payroll.codec import encode
from ...domain.payroll.special import SPECIAL_RULE_CODE, demo_special_version
from ...domain.predikat import Predikat
from ...extensions import db
from ...models import (
    Employee,
    Letterhead,
    PayrollPredikat,
    PayrollRuleVersion,
    PayrollStatusPeriod,
    Position,
    Unit,
    User,
)
from ..documents import configuration
from ..payroll import rules
from .deductions import seed_deductions_demo
from .payroll_corrections import seed_payroll_corrections_demo
from .payroll_tax import seed_tax_year_demo


def seed_payroll_status_demo(today: date) -> int:
    """Two TPP status periods on demo employees that hold no demo account: a tugas belajar (open-ended,
    from the start of last month) and a hukuman disiplin ringan over this year, each with an SK. The
    tunjangan jabatan needs no seed: it comes from the rule table loaded by `flask payroll muat-aturan`."""

    taken = set(db.session.scalars(select(User.employee_id).where(User.employee_id.is_not(None))))
    ids = [i for i in db.session.scalars(select(Employee.id).order_by(Employee.id).limit(40)) if i not in taken]
    if len(ids) < 2 or db.session.scalar(select(PayrollStatusPeriod.id).limit(1)):
        return 0
    first_of_last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    db.session.add_all(
        [
            PayrollStatusPeriod(
                employee_id=ids[-1],
                kind="TUGAS_BELAJAR",
                mulai=first_of_last_month,
                dasar="SK Bupati 800/123/BKPSDM/" + str(today.year),
                alasan="Tugas belajar S2 (contoh data demo)",
            ),
            PayrollStatusPeriod(
                employee_id=ids[-2],
                kind="HUKDIS_RINGAN",
                mulai=date(today.year, 1, 1),
                sampai=date(today.year, 12, 31),
                dasar="SK 862/45/BKPSDM/" + str(today.year),
                alasan="Teguran tertulis PP 94/2021 (contoh data demo)",
            ),
        ]
    )
    db.session.flush()
    return 2


# ------------------------------------------------------------------------- a payroll that runs by clicking


# Demo predikat of a month: most employees Baik, some Sangat Baik, a few Butuh Perbaikan (by employee id, so
# every demo shows the same spread). Demo data only: a real Pemda's come from the ratings or the maker's import.
def _demo_predikat(employee_id: int) -> Predikat:
    if employee_id % 23 == 0:
        return Predikat.BUTUH_PERBAIKAN
    return Predikat.SANGAT_BAIK if employee_id % 7 == 0 else Predikat.BAIK


DEMO_PREDIKAT_SOURCE = "data demo (contoh, bukan hasil penilaian)"


def seed_payroll_predikat(today: date) -> int:
    """The predikat kinerja of every active employee for January to this month of this year, so that every month
    a finance user may pick computes; a month an employee already has (e.g. from a rating) is kept."""
    ids = list(db.session.scalars(select(Employee.id).where(Employee.active.is_(True)).order_by(Employee.id)))
    months = [date(today.year, m, 1) for m in range(1, today.month + 1)]
    have = {
        (employee_id, month)
        for employee_id, month in db.session.execute(
            select(PayrollPredikat.employee_id, PayrollPredikat.month).where(PayrollPredikat.month.in_(months))
        )
    }
    rows = [
        {"employee_id": i, "month": m, "predikat": _demo_predikat(i).value, "source": DEMO_PREDIKAT_SOURCE}
        for m in months
        for i in ids
        if (i, m) not in have
    ]
    if rows:  # one executemany: thousands of demo rows, written as the attendance import writes its rows
        db.session.execute(insert(PayrollPredikat), rows)
    return len(rows)


def seed_special_rules(today: date) -> int:
    """A THR/gaji ke-13 row for each year from 2026 to this one that has none, marked as demo data in its
    citation (the shipped table stops at 2025, the last PP the domain reference knows)."""
    have = set(db.session.scalars(select(PayrollRuleVersion.version_id)))
    added = 0
    for year in range(2026, today.year + 1):
        v = demo_special_version(year)
        if v.version_id in have:
            continue
        db.session.add(
            PayrollRuleVersion(
                code=SPECIAL_RULE_CODE,
                version_id=v.version_id,
                berlaku_mulai=v.berlaku_mulai,
                berlaku_sampai=v.berlaku_sampai,
                citation=v.citation,
                data=encode(v.data),
            )
        )
        added += 1
    db.session.flush()
    return added


# Demo numbering patterns; the classification codes (900.1.15: gaji) are examples, each Pemda sets its own.
PAYROLL_PATTERNS = {
    DocType.SLIP_GAJI: "900.1.15.1/{nomor}/{kode_unit}/{tahun}",
    DocType.DAFTAR_GAJI: "900.1.15/{nomor}/{kode_unit}/{tahun}",
}


def seed_payroll_documents(today: date) -> bool:
    """BPKAD's kop surat, its head as signer of slips and daftar gaji, and this year's number registers, set
    through the same services as the Dokumen › Pengaturan pages; False when the demo has no BPKAD or it already
    has a kop surat."""
    bpkad = db.session.scalar(select(Unit).where(Unit.code == "BPKAD"))
    if bpkad is None or db.session.scalar(select(Letterhead.id).where(Letterhead.unit_id == bpkad.id)):
        return False
    configuration.save_letterhead(
        bpkad.id,
        {
            "pemda_name": "Pemerintah Kabupaten Lampung Utara",
            "opd_name": bpkad.name,
            "address": "Jalan Jenderal Sudirman Nomor 2, Kotabumi, Lampung Utara 34511 (alamat contoh)",
            "city": "Kotabumi",
        },
        "Pos-el bpkad@lampungutarakab.go.id (contoh)",
        None,
    )
    head = db.session.scalar(
        select(Employee)
        .join(Position, Position.id == Employee.position_id)
        .where(Position.unit_id == bpkad.id, Position.is_leader.is_(True), Employee.active.is_(True))
        .order_by(Employee.id)
    )
    for doc_type, pattern in PAYROLL_PATTERNS.items():
        if head is not None:
            blank = {
                "jabatan": f"KEPALA {bpkad.name.upper()}",
                "name": "",
                "nip": "",
                "pangkat": "",
                "place": "Kotabumi",
            }
            data = configuration.fill_from_employee(blank, head)
            configuration.save_signer(bpkad.id, doc_type, data, Acting.DEFINITIF, head.id)
        configuration.save_register(bpkad.id, doc_type, today.year, pattern, "BPKAD")
    return True


def seed_payroll_demo(today: date) -> dict[str, int]:
    """What the demo needs for a finance user to compute, finalise, issue slips and run THR by clicking only: the
    shipped rule tables (what `flask payroll muat-aturan` loads), this year's THR/gaji ke-13 demo row, the months'
    predikat, BPKAD's document settings, and the TPP status examples."""
    return {
        "rules": rules.seed_rules() + seed_special_rules(today),
        "predikat": seed_payroll_predikat(today),
        "documents": int(seed_payroll_documents(today)),
        "statuses": seed_payroll_status_demo(today),
        **seed_tax_year_demo(today),
        "koreksi": seed_payroll_corrections_demo(today),
        "deductions": seed_deductions_demo(today),
    }
