"""Voluntary and third-party deductions (issue 20 item 4): payees, standing orders with their consent
documents, the month's items for a run's inputs, the zakat paid so far in the tax year, and the transfer list
per payee (CSV and PDF) of a run."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, or_, select

from ... import exports, uploads
from ...domain import DomainError
from ...domain.labels import bulan, rupiah
from ...domain.payroll import Bagian, Line, LineKind
from ...domain.payroll import deductions as rules_
from ...domain.payroll.deductions import JENIS_PERINTAH, JenisPotonganLain, ModeZakat, PotonganTetap
from ...extensions import db
from ...models import (
    Employee,
    PayrollLine,
    PayrollPayee,
    PayrollRun,
    PayrollRunEmployee,
    PayrollStandingOrder,
    RunKind,
    RunStatus,
    User,
)
from .months import parse_month
from .rules import load_rules

CONSENT_MAX = 5 * 1024 * 1024
CONSENT_TYPES = (uploads.PDF, uploads.PNG, uploads.JPEG)
DEDUCTION_CODES = (rules_.CODE_ZAKAT, rules_.CODE_KELEBIHAN)
_ORDER_REF = re.compile(r"PT#(\d+)")


@dataclass
class Upload:
    filename: str
    data: bytes


# ------------------------------------------------------------------------------------------- parsing


def parse_persen(text: str) -> Decimal | None:
    """ "2,5" (percent, as typed) → Decimal("0.025"); empty → None; `DomainError` at the field otherwise."""
    text = (text or "").strip().replace("%", "").replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation as e:
        raise DomainError("Persentase harus berupa angka, misalnya 2,5.", field="persen") from e
    if value.as_tuple().exponent < -2:
        raise DomainError("Persentase paling banyak dua angka di belakang koma.", field="persen")
    return value / 100


def parse_rupiah(text: str, field_: str = "jumlah") -> int | None:
    text = (text or "").strip().replace("Rp", "").replace(".", "").replace(" ", "")
    if not text:
        return None
    if not text.lstrip("-").isdigit():
        raise DomainError("Jumlah harus berupa angka rupiah tanpa desimal, misalnya 250.000.", field=field_)
    return int(text)


def persen_of(order: PayrollStandingOrder) -> Decimal | None:
    return None if order.persen_bp is None else Decimal(order.persen_bp) / 10000


# -------------------------------------------------------------------------------------------- payees


def payees(active_only: bool = False) -> list[PayrollPayee]:
    stmt = select(PayrollPayee).order_by(PayrollPayee.name)
    if active_only:
        stmt = stmt.where(PayrollPayee.active.is_(True))
    return list(db.session.scalars(stmt))


def add_payee(name: str, jenis: str, bank_name: str, bank_account: str, holder: str, actor: User) -> PayrollPayee:
    name = (name or "").strip()
    if not name:
        raise DomainError("Nama penerima wajib diisi.", field="name")
    try:
        kind = JenisPotonganLain(jenis)
    except ValueError as e:
        raise DomainError("Pilih jenis penerima.", field="jenis") from e
    if kind not in JENIS_PERINTAH:
        raise DomainError("Pilih jenis penerima.", field="jenis")
    if db.session.scalar(select(PayrollPayee.id).where(func.lower(PayrollPayee.name) == name.lower())):
        raise DomainError(f"Penerima «{name}» sudah terdaftar.", field="name")
    account = (bank_account or "").replace(" ", "")
    if not account.isdigit():
        raise DomainError("Nomor rekening penerima wajib diisi (angka saja).", field="bank_account")
    payee = PayrollPayee(
        name=name[:200],
        jenis=kind,
        bank_name=(bank_name or "").strip()[:100],
        bank_account=account[:40],
        account_holder=(holder or name).strip()[:200],
        created_by_id=actor.id,
    )
    db.session.add(payee)
    db.session.flush()
    return payee


# ---------------------------------------------------------------------------------------- standing orders


@dataclass
class OrderDraft:
    employee: Employee | None
    payee_id: int | None
    jumlah: int | None
    persen: Decimal | None
    mulai: date | None
    sampai: date | None
    reference: str = ""
    note: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def check_consent(upload: Upload | None, field_: str = "dokumen") -> uploads.Checked:
    if upload is None or not upload.data:
        raise DomainError(
            "Unggah dokumen persetujuan pegawai (surat pernyataan/kuasa potong gaji, PDF/PNG/JPEG).", field=field_
        )
    if len(upload.data) > CONSENT_MAX:
        raise DomainError("Dokumen terlalu besar; maksimal 5 MB.", field=field_)
    return uploads.check_file(
        upload.data, CONSENT_TYPES, field=field_, not_allowed="Dokumen harus berkas PDF, PNG, atau JPEG."
    )


def zakat_mode(month: date) -> ModeZakat | None:
    try:
        return load_rules().zakat.in_force(month).data.mode
    except DomainError:
        return None


def add_order(draft: OrderDraft, upload: Upload | None, actor: User) -> PayrollStandingOrder:
    """Store a standing order after every check; `DomainError` at its field otherwise (nothing stored)."""
    if draft.employee is None:
        raise DomainError("Pegawai dengan NIP ini tidak dikenal.", field="nip")
    payee = db.session.get(PayrollPayee, draft.payee_id) if draft.payee_id else None
    if payee is None or not payee.active:
        raise DomainError("Pilih penerima potongan.", field="payee_id")
    if draft.mulai is None:
        raise DomainError("Bulan mulai wajib diisi.", field="mulai")
    if draft.sampai is not None and draft.sampai < draft.mulai:
        raise DomainError("Bulan terakhir tidak boleh sebelum bulan mulai.", field="sampai")
    rules_.check_order_values(payee.jenis, draft.jumlah, draft.persen)
    checked = check_consent(upload)
    order = PayrollStandingOrder(
        employee_id=draft.employee.id,
        payee_id=payee.id,
        jenis=payee.jenis,
        jumlah=draft.jumlah or None,
        persen_bp=None if draft.persen is None else int(draft.persen * 10000),
        mulai=draft.mulai,
        sampai=draft.sampai,
        reference=(draft.reference or "").strip()[:120],
        note=(draft.note or "").strip(),
        created_by_id=actor.id,
        **{f"consent_{k}": v for k, v in checked.columns(upload.filename, "persetujuan").items()},
    )
    check_floor(draft.employee.id, draft.mulai, _item(order, payee))
    db.session.add(order)
    db.session.flush()
    return order


def end_order(order: PayrollStandingOrder, sampai: date | None, reason: str) -> None:
    """The last month of an order (an employee's opt-out of zakat, a loan paid off); a reason is required."""
    if sampai is None:
        raise DomainError("Bulan terakhir wajib diisi.", field="sampai")
    if sampai < order.mulai:
        raise DomainError("Bulan terakhir tidak boleh sebelum bulan mulai.", field="sampai")
    if not (reason or "").strip():
        raise DomainError(
            "Tuliskan alasan (misalnya pernyataan keberatan pegawai atau pinjaman lunas).", field="alasan"
        )
    order.sampai, order.ended_reason = sampai, reason.strip()
    db.session.flush()


def _item(order: PayrollStandingOrder, payee: PayrollPayee) -> PotonganTetap:
    basis = f"{order.consent_filename}" + (f"; no. {order.reference}" if order.reference else "")
    return PotonganTetap(
        ref=f"PT#{order.id}" if order.id else "PT#baru",
        jenis=order.jenis,
        penerima=payee.name,
        jumlah=order.jumlah or 0,
        persen=persen_of(order),
        dasar=basis,
    )


def _active(month: date):
    return (
        PayrollStandingOrder.mulai <= month,
        or_(PayrollStandingOrder.sampai.is_(None), PayrollStandingOrder.sampai >= month),
    )


def orders_for_month(month: date, employee_ids: Iterable[int] | None = None) -> dict[int, list[PotonganTetap]]:
    stmt = (
        select(PayrollStandingOrder, PayrollPayee)
        .join(PayrollPayee, PayrollPayee.id == PayrollStandingOrder.payee_id)
        .where(*_active(month))
        .order_by(PayrollStandingOrder.employee_id, PayrollStandingOrder.id)
    )
    ids = None if employee_ids is None else set(employee_ids)
    if ids is not None and len(ids) < 1000:
        stmt = stmt.where(PayrollStandingOrder.employee_id.in_(ids))
    out: dict[int, list[PotonganTetap]] = defaultdict(list)
    for order, payee in db.session.execute(stmt):
        if ids is None or order.employee_id in ids:
            out[order.employee_id].append(_item(order, payee))
    return dict(out)


def check_floor(employee_id: int, month: date, new: PotonganTetap) -> None:
    """Refuse a standing order that would push the employee's net pay under the floor, judged on the latest
    computed regular run (without its voluntary deductions) with every order of `month` plus the new one."""
    run_id = db.session.scalar(
        select(PayrollRunEmployee.run_id)
        .join(PayrollRun, PayrollRun.id == PayrollRunEmployee.run_id)
        .where(
            PayrollRunEmployee.employee_id == employee_id,
            PayrollRun.kind == RunKind.REGULAR,
            PayrollRun.status != RunStatus.DRAFT,
        )
        .order_by(PayrollRun.month.desc(), PayrollRun.id.desc())
        .limit(1)
    )
    if run_id is None:
        return  # nothing computed yet: the run itself keeps the floor
    lines = tuple(
        Line(code, label, int(amount), LineKind(kind), Bagian(bagian), "", "")
        for code, label, amount, kind, bagian in db.session.execute(
            select(PayrollLine.code, PayrollLine.label, PayrollLine.amount, PayrollLine.kind, PayrollLine.bagian)
            .where(PayrollLine.run_id == run_id, PayrollLine.employee_id == employee_id)
            .order_by(PayrollLine.seq)
        )
        if not _is_deduction(code)
    )
    rules = load_rules()
    try:
        z = rules.zakat.in_force(month)
        b = rules.batas_gaji_bersih.in_force(month)
    except DomainError:
        return
    items = (*orders_for_month(month, [employee_id]).get(employee_id, ()), new)
    result = rules_.apply(items, (z.data, z.citation, z.version_id), (b.data, b.citation, b.version_id), lines)
    # only the new order counts: an older order already held back by the floor is the run's business
    held = [
        ln for ln in result.lines if ln.kind is LineKind.INFO and ln.amount > 0 and ln.rule_version.endswith(new.ref)
    ]
    if held:
        net = rules_.net_after(lines)
        others = sum(ln.amount for ln in result.lines if ln.kind is LineKind.POTONGAN)
        raise DomainError(
            f"Potongan ini membuat gaji bersih di bawah batas {rupiah(result.floor)} ({b.data.persen_penghasilan * 100:g}% "
            f"penghasilan, aturan {b.version_id}): gaji bersih terakhir {rupiah(net)}, potongan lain-lain yang sudah "
            f"dapat dipotong {rupiah(others)}. Kurangi jumlahnya atau mulai setelah potongan lain berakhir.",
            field="jumlah",
        )


def _is_deduction(code: str) -> bool:
    return code in DEDUCTION_CODES or code.startswith(rules_.CODE_PREFIX) or code == rules_.CODE_INFO_TIDAK_DIPOTONG


def orders(month: date | None = None, employee_id: int | None = None) -> list[PayrollStandingOrder]:
    stmt = select(PayrollStandingOrder).join(Employee).order_by(Employee.name, PayrollStandingOrder.id)
    if month is not None:
        stmt = stmt.where(*_active(month))
    if employee_id is not None:
        stmt = stmt.where(PayrollStandingOrder.employee_id == employee_id)
    return list(db.session.scalars(stmt))


# ------------------------------------------------------------------------------------------- zakat YTD


def zakat_ytd(month: date, employee_ids: Iterable[int]) -> dict[int, int]:
    """Zakat deducted by final runs from January to the month before, for employees with a zakat order this
    year (a few): the annual PPh 21 computation deducts it (PMK 168/2023 Pasal 10 ayat 1 huruf c)."""
    if month.month == 1:
        return {}
    ids = set(employee_ids)
    start = month.replace(month=1)
    zakat_ids = {
        eid
        for (eid,) in db.session.execute(
            select(PayrollStandingOrder.employee_id).where(
                PayrollStandingOrder.jenis == JenisPotonganLain.ZAKAT,
                PayrollStandingOrder.mulai < month,
                or_(PayrollStandingOrder.sampai.is_(None), PayrollStandingOrder.sampai >= start),
            )
        )
        if eid in ids
    }
    if not zakat_ids:
        return {}
    runs = select(PayrollRun.id).where(
        PayrollRun.status == RunStatus.FINAL,
        PayrollRun.kind.in_((RunKind.REGULAR, RunKind.COMPENSATING)),
        PayrollRun.month >= start,
        PayrollRun.month < month,
    )
    rows = db.session.execute(
        select(PayrollLine.employee_id, func.sum(PayrollLine.amount))
        .where(
            PayrollLine.run_id.in_(runs),
            PayrollLine.employee_id.in_(zakat_ids),
            PayrollLine.code == rules_.CODE_ZAKAT,
        )
        .group_by(PayrollLine.employee_id)
    )
    return {eid: int(total or 0) for eid, total in rows}


# ---------------------------------------------------------------------------------------- transfer list


@dataclass
class PayeeTransfer:
    payee: PayrollPayee | None
    name: str
    rows: list[dict] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(r["jumlah"] for r in self.rows)


def transfer_list(run: PayrollRun) -> list[PayeeTransfer]:
    """Per payee, the deductions of the run to transfer (zakat, koperasi, bank, dues), by employee."""
    stmt = (
        select(
            PayrollLine.employee_id,
            PayrollLine.code,
            PayrollLine.amount,
            PayrollLine.rule_version,
            Employee.nip,
            Employee.name,
        )
        .join(Employee, Employee.id == PayrollLine.employee_id)
        .where(
            PayrollLine.run_id == run.id,
            PayrollLine.kind == LineKind.POTONGAN.value,
            PayrollLine.amount > 0,  # a correction's negative difference is settled with the payee, not sent
            or_(PayrollLine.code == rules_.CODE_ZAKAT, PayrollLine.code.startswith(rules_.CODE_PREFIX)),
        )
        .order_by(Employee.name, PayrollLine.seq)
    )
    rows = db.session.execute(stmt).all()
    order_ids = {int(m[1]) for r in rows if (m := _ORDER_REF.search(r.rule_version))}
    order_map = {
        o.id: o for o in db.session.scalars(select(PayrollStandingOrder).where(PayrollStandingOrder.id.in_(order_ids)))
    }
    groups: dict[int, PayeeTransfer] = {}
    for r in rows:
        m = _ORDER_REF.search(r.rule_version)
        order = order_map.get(int(m[1])) if m else None
        if order is None:
            continue
        group = groups.setdefault(order.payee_id, PayeeTransfer(order.payee, order.payee.name))
        group.rows.append(
            {"nip": r.nip, "nama": r.name, "jumlah": int(r.amount), "ref": order.ref, "nomor": order.reference}
        )
    return sorted(groups.values(), key=lambda g: g.name)


def payee_transfer(run: PayrollRun, payee_id: int) -> PayeeTransfer:
    for group in transfer_list(run):
        if group.payee is not None and group.payee.id == payee_id:
            return group
    raise DomainError("Tidak ada potongan untuk penerima ini pada proses penggajian ini.")


def transfer_csv(run: PayrollRun, group: PayeeTransfer) -> str:
    buf = io.StringIO()
    w = exports.CsvWriter(buf, delimiter=",", lineterminator="\r\n")
    w.writerow(["No", "NIP", "Nama", "Jumlah", "Nomor akad/anggota", "Perintah", "Keterangan"])
    note = f"Potongan {bulan(run.month)} untuk {group.name} (proses penggajian #{run.id})"
    for i, r in enumerate(group.rows, start=1):
        w.writerow([i, r["nip"], r["nama"], r["jumlah"], r["nomor"], r["ref"], note])
    w.writerow(["", "", "Jumlah", group.total, "", "", ""])
    return buf.getvalue()


def month_or_none(text: str) -> date | None:
    text = (text or "").strip()
    return parse_month(text) if text else None


# ---------------------------------------------------------------------------------------- run inputs


def month_inputs(run: PayrollRun, employee_ids: Iterable[int]) -> tuple[dict[int, tuple], dict[int, int]]:
    """For a run's inputs: employee id → the month's items (recovery first, then the standing orders), and
    employee id → zakat deducted earlier in the tax year."""
    from . import recovery

    ids = set(employee_ids)
    items = orders_for_month(run.month, ids)
    for eid, item in recovery.recovery_items(run, ids).items():
        items[eid] = [item, *items.get(eid, ())]
    return {eid: tuple(v) for eid, v in items.items()}, zakat_ytd(run.month, ids)


def employee_names(ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    ids = list(ids)
    if not ids:
        return {}
    return {
        i: (n, nip)
        for i, n, nip in db.session.execute(
            select(Employee.id, Employee.name, Employee.nip).where(Employee.id.in_(ids))
        )
    }


def enrol_zakat(nips_text: str, payee_id: int | None, mulai: date | None, upload: Upload | None, actor: User) -> int:
    """Opt-out rule: enrol the participants of the regency's list (one NIP a line) with the list as the basis
    document. All or nothing: an unknown NIP refuses the whole list; employees already paying zakat that month
    are left as they are. Returns how many orders were made."""
    if mulai is None:
        raise DomainError("Bulan mulai wajib diisi.", field="mulai")
    if zakat_mode(mulai) is not ModeZakat.OPT_OUT:
        raise DomainError(
            "Aturan zakat yang berlaku pada bulan itu bersifat opt-in: setiap pegawai memerlukan surat pernyataan "
            "sendiri (tambahkan satu per satu).",
            field="nips",
        )
    payee = db.session.get(PayrollPayee, payee_id) if payee_id else None
    if payee is None or payee.jenis is not JenisPotonganLain.ZAKAT:
        raise DomainError("Pilih badan amil zakat penerima.", field="payee_id")
    nips = [n.replace(" ", "") for n in (nips_text or "").splitlines() if n.strip()]
    if not nips:
        raise DomainError("Tuliskan NIP peserta, satu per baris.", field="nips")
    found = dict(db.session.execute(select(Employee.nip, Employee.id).where(Employee.nip.in_(nips))).all())
    unknown = [n for n in nips if n not in found]
    if unknown:
        raise DomainError(
            f"NIP tidak dikenal: {', '.join(unknown[:10])}{' …' if len(unknown) > 10 else ''}; tidak ada yang disimpan.",
            field="nips",
        )
    checked = check_consent(upload)
    paying = set(
        db.session.scalars(
            select(PayrollStandingOrder.employee_id).where(
                PayrollStandingOrder.jenis == JenisPotonganLain.ZAKAT, *_active(mulai)
            )
        )
    )
    columns = {f"consent_{k}": v for k, v in checked.columns(upload.filename, "daftar-peserta").items()}
    made = 0
    for eid in dict.fromkeys(found[n] for n in nips):
        if eid in paying:
            continue
        db.session.add(
            PayrollStandingOrder(
                employee_id=eid,
                payee_id=payee.id,
                jenis=JenisPotonganLain.ZAKAT,
                mulai=mulai,
                note="Peserta menurut daftar Perbup/Instruksi Bupati (opt-out)",
                created_by_id=actor.id,
                **columns,
            )
        )
        made += 1
    db.session.flush()
    return made
