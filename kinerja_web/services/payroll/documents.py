"""Payroll outputs as official documents (issue 7 item 8): slip gaji per employee and daftar gaji per OPD.

Both go through the shared documents service (`services/documents/issuing.py`): the context frozen here is plain
data taken from the payroll tables of a *final* run, the service numbers it in the issuing unit's register
(the service requires a number for every document), renders it with the one WeasyPrint renderer, stores
the bytes and SHA-256 and prints a QR code to `/verifikasi/<kode>`.

Slips are issued by the documents batch job (`dokumen_batch`, progress bar, idempotency key per run and
employee, so a re-run issues nothing twice); a daftar gaji is issued for one OPD at a time from the run page.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import bindparam, func, select

from ...domain import DomainError
from ...domain.documents import DocStatus, DocType
from ...domain.golive import EXAMPLE_MARK, is_example_citation
from ...domain.labels import bulan
from ...domain.terbilang import terbilang
from ...extensions import db
from ...models import (
    Employee,
    IssuedDocument,
    Job,
    PayrollLine,
    PayrollRun,
    PayrollRunEmployee,
    RunKind,
    RunStatus,
    Unit,
    User,
)
from ..documents import issuing as docs
from ..documents.specs import DocSpec
from ..jobs import enqueue
from .explain import example_lines, run_example_rules
from .outputs import daftar_gaji
from .slips import slip_context

NOT_FINAL = "Dokumen gaji hanya dapat diterbitkan setelah proses penggajian berstatus final (proses penggajian ini berstatus {status})."


def slip_key(run_id: int, employee_id: int) -> str:
    """The documents batch's idempotency key of one slip (see services.documents.batches.idempotency_key)."""
    return f"run{run_id}:{DocType.SLIP_GAJI.value}:{employee_id}"


def daftar_key(run_id: int, opd_id: int) -> str:
    return f"run{run_id}:{DocType.DAFTAR_GAJI.value}:opd{opd_id}"


def require_final(run: PayrollRun | None) -> PayrollRun:
    if run is None:
        raise DomainError("Proses penggajian tidak ditemukan.")
    if run.status != RunStatus.FINAL:
        raise DomainError(NOT_FINAL.format(status=run.status.label))
    return run


def _run_from(params: dict) -> PayrollRun:
    run_id = params.get("run_id")
    return require_final(db.session.get(PayrollRun, run_id) if run_id else None)


def _person(user: User | None) -> dict:
    if user is None:
        return {"name": "-", "nip": None}
    emp = user.employee
    return {"name": user.display_name, "nip": emp.nip if emp else None}


# --- slip gaji --------------------------------------------------------------------------------------


def _full_slip(run: PayrollRun, emp: Employee) -> dict | None:
    """slip_context, but for a compensating run the corrected full pay: its original's (recursively) lines
    plus its differences per component, so its slip can replace the original slip. None if not in the run."""
    ctx = slip_context(run, emp)
    if run.kind != RunKind.COMPENSATING or not run.original_run_id:
        return ctx
    original = db.session.get(PayrollRun, run.original_run_id)
    base = _full_slip(original, emp) if original is not None else None
    if base is None:
        return ctx
    if ctx is None:
        return base
    merged: dict[str, dict] = {ln["code"]: dict(ln) for ln in base["lines"]}
    for ln in ctx["lines"]:
        old = merged.get(ln["code"])
        if old is None:
            merged[ln["code"]] = dict(ln)
            continue
        # A recomputed component takes the citation of the rule now applied; a reversal keeps the old one.
        meta = old if str(ln["rule_version"]).startswith("run#") else ln
        merged[ln["code"]] = {**meta, "amount": old["amount"] + ln["amount"]}
    return {
        **ctx,
        "predikat": ctx["predikat"] or base["predikat"],
        "lines": [ln for ln in merged.values() if ln["amount"]],
        "penghasilan": int(base["penghasilan"]) + int(ctx["penghasilan"]),
        "potongan": int(base["potongan"]) + int(ctx["potongan"]),
        "netto": int(base["netto"]) + int(ctx["netto"]),
        "selisih": int(ctx["netto"]),
    }


def build_slip(employees: Sequence[Employee], params: dict) -> dict:
    """Frozen slip: identity, every line with amount and rule citation, totals, netto, predikat, month."""
    if len(employees) != 1:
        raise DomainError("Slip gaji diterbitkan untuk satu pegawai.")
    run = _run_from(params)
    emp = employees[0]
    ctx = _full_slip(run, emp)
    if ctx is None:
        raise DomainError(f"{emp.full_name} (NIP {emp.nip}) tidak termasuk dalam {run.title}.")
    e = ctx["employee"]
    jenis = _jenis(run)
    return {
        "judul": f"Slip {jenis or 'Gaji'}",
        "jenis": jenis,
        "run_id": run.id,
        "run_title": run.title,
        "koreksi": run.kind == RunKind.COMPENSATING,
        "original_run_id": run.original_run_id,
        "month": ctx["month"],
        "month_label": ctx["month_label"],
        "pegawai": {
            "id": e["id"],
            "nama": e["nama"],
            "nip": e["nip"],
            "golongan": e["golongan"],
            "pangkat_golongan": emp.pangkat_golongan if emp.golongan else "-",
            "jabatan": e["jabatan"],
            "opd": e["opd"],
            "status_ptkp": e["status_ptkp"],
            "bank": e["bank"],
            "rekening": e["rekening"],
        },
        "predikat": ctx["predikat"],
        "lines": [
            {
                "label": ln["label"],
                "amount": int(ln["amount"]),
                "kind": ln["kind"],
                "bagian": ln["bagian"],
                "bagian_label": ln["bagian_label"],
                "citation": ln["citation"],
                "rule_version": ln["rule_version"],
                "contoh": is_example_citation(ln["citation"]),
            }
            for ln in ctx["lines"]
        ],
        "contoh": example_lines(ctx),  # computed from a rule still marked CONTOH: the document says so
        "contoh_mark": EXAMPLE_MARK,
        "penghasilan": int(ctx["penghasilan"]),
        "potongan": int(ctx["potongan"]),
        "netto": int(ctx["netto"]),
        "terbilang": terbilang(int(ctx["netto"])),
        "selisih": ctx.get("selisih"),  # compensating run: change of net pay against the original
    }


def _jenis(run: PayrollRun) -> str | None:
    """THR / Gaji ke-13 / Rapel for the special runs' documents; None for gaji (regular and compensating)."""
    return run.kind.label if run.kind in (RunKind.THR, RunKind.GAJI_13, RunKind.RAPEL) else None


def slip_title(body: dict) -> str:
    prefix = "Slip Gaji Pengganti" if body["koreksi"] else body.get("judul", "Slip Gaji")
    return f"{prefix} {body['month_label']} {body['pegawai']['nama']}"


# --- daftar gaji ------------------------------------------------------------------------------------


def build_daftar(employees: Sequence[Employee], params: dict) -> dict:
    """Frozen daftar gaji of one OPD: component columns, one row per employee, totals, the run's three officers."""
    run = _run_from(params)
    opd = db.session.get(Unit, params.get("opd_id") or 0)
    if opd is None:
        raise DomainError("OPD tidak ditemukan.", field="opd_id")
    columns, rows = daftar_gaji(run, opd.id)
    if not rows:
        raise DomainError(f"Tidak ada pegawai {opd.name} dalam {run.title}.", field="opd_id")
    meta = {  # kind and bagian are stored as their string values
        code: (kind, bagian)
        for code, kind, bagian in db.session.execute(
            select(PayrollLine.code, PayrollLine.kind, PayrollLine.bagian)
            .where(PayrollLine.run_id == run.id)
            .distinct()
        )
    }
    order = {"penghasilan": 0, "potongan": 1, "info": 2}
    sections = []
    for bagian, judul, short in (
        ("gaji", "I. GAJI", "gaji"),
        ("tpp", "II. TAMBAHAN PENGHASILAN PEGAWAI (TPP)", "TPP"),
    ):
        cols = sorted(
            ((i, c, label) for i, (c, label) in enumerate(columns) if meta.get(c, ("", ""))[1] == bagian),
            key=lambda t: (order.get(meta[t[1]][0], 3), t[0]),
        )
        if not cols:
            continue
        kinds = [meta[c][0] for _, c, _ in cols]
        sec_rows = []
        for r in rows:
            amounts = [int(r["amounts"].get(c, 0)) for _, c, _ in cols]
            pen = sum(a for a, k in zip(amounts, kinds, strict=True) if k == "penghasilan")
            pot = sum(a for a, k in zip(amounts, kinds, strict=True) if k == "potongan")
            sec_rows.append({"amounts": amounts, "penghasilan": pen, "potongan": pot, "netto": pen - pot})
        sections.append(
            {
                "bagian": bagian,
                "judul": judul,
                "short": short,
                "columns": [{"label": label, "kind": k} for (_, _, label), k in zip(cols, kinds, strict=True)],
                "spans": {k: kinds.count(k) for k in ("penghasilan", "potongan", "info")},
                "rows": sec_rows,
                "totals": {
                    "amounts": [sum(sr["amounts"][j] for sr in sec_rows) for j in range(len(cols))],
                    "penghasilan": sum(sr["penghasilan"] for sr in sec_rows),
                    "potongan": sum(sr["potongan"] for sr in sec_rows),
                    "netto": sum(sr["netto"] for sr in sec_rows),
                },
            }
        )
    netto = sum(int(r["netto"]) for r in rows)
    return {
        "judul": f"Daftar {_jenis(run) or 'Gaji'} {bulan(run.month)}",
        "jenis": _jenis(run),
        "run_id": run.id,
        "run_title": run.title,
        "koreksi": run.kind == RunKind.COMPENSATING,
        "month": run.month.isoformat(),
        "month_label": bulan(run.month),
        "opd": opd.name,
        "pegawai": [{"nama": r["nama"], "nip": r["nip"], "golongan": r["golongan"]} for r in rows],
        "sections": sections,
        "netto": [int(r["netto"]) for r in rows],
        "totals": {
            "penghasilan": sum(int(r["penghasilan"]) for r in rows),
            "potongan": sum(int(r["potongan"]) for r in rows),
            "netto": netto,
        },
        "terbilang": terbilang(netto),
        "contoh": run_example_rules(run),
        "contoh_mark": EXAMPLE_MARK,
        "disiapkan": _person(run.prepared_by),
        "diverifikasi": _person(run.verified_by),
        "disetujui": _person(run.approved_by),
    }


def daftar_title(body: dict) -> str:
    return f"{body['judul']} {body['opd']}"


SLIP_GAJI = DocSpec(DocType.SLIP_GAJI, "payroll/pdf/slip_gaji.html", build_slip, slip_title)
DAFTAR_GAJI = DocSpec(DocType.DAFTAR_GAJI, "payroll/pdf/daftar_gaji.html", build_daftar, daftar_title)


# --- issuing ----------------------------------------------------------------------------------------


def stored_pdf(doc: IssuedDocument) -> bytes:
    """The bytes an issued document was stored with (loaded on demand, never a re-render)."""
    return db.session.scalar(select(IssuedDocument.pdf).where(IssuedDocument.id == doc.id))


def issuer_units() -> list[Unit]:
    """Units that can issue payroll documents: a kop surat is set (signer and register are checked on issue)."""
    return docs.units_with_letterhead()


def slip_issue_refusal(year: int) -> str | None:
    """Why no unit can issue slips gaji dated in `year` now (kop surat, signer, number register), in Indonesian;
    None when one can."""
    units = issuer_units()
    if not units:
        return "Kop surat unit penerbit belum diatur (menu Dokumen › Pengaturan)."
    reason = None
    for unit in units:
        try:
            docs.check_issuer(DocType.SLIP_GAJI, unit.id, year)
        except DomainError as e:
            reason = reason or f"{unit.name}: {e.message}"
        else:
            return None
    return reason


def finalised_message(run: PayrollRun, year: int, may_issue: bool) -> str:
    """What finalising did and did not do: the run is locked and its employees see their pay; no official slip
    exists yet, and what issuing them takes (`may_issue`: the reader may issue them on the run page)."""
    done = (
        f"Proses penggajian final dan terkunci; {run.employee_count} pegawai kini dapat melihat rincian gajinya di menu Gaji Saya. "
        f"Slip gaji resmi (PDF) terbit: {slip_count(run)} slip"
    )
    refusal = slip_issue_refusal(year)
    if refusal:
        return f"{done}; belum dapat diterbitkan: {refusal}"
    if may_issue:
        return f"{done}; terbitkan dengan tombol «Terbitkan slip gaji (PDF)» di bawah."
    return f"{done}; operator keuangan atau admin kepegawaian menerbitkannya dari halaman proses penggajian ini."


def slip_subject_ids(run: PayrollRun) -> list[int]:
    """Everyone in the run; for a compensating run only the employees whose pay changed (who have lines)."""
    if run.kind == RunKind.COMPENSATING:
        stmt = select(PayrollLine.employee_id).where(PayrollLine.run_id == run.id).distinct()
    else:
        stmt = select(PayrollRunEmployee.employee_id).where(PayrollRunEmployee.run_id == run.id)
    return sorted(db.session.scalars(stmt))


def start_slip_batch(
    run: PayrollRun, unit_id: int, issued_on: date, user_id: int, base_url: str, idempotency_key: str | None = None
) -> Job:
    """Enqueue the documents batch job for the slips of a final run (the caller commits); the same form sent
    twice (same idempotency key) returns the job the first one started."""
    require_final(run)
    docs.check_issuer(DocType.SLIP_GAJI, unit_id, issued_on.year)
    ids = slip_subject_ids(run)
    if not ids:
        raise DomainError("Tidak ada pegawai dalam proses penggajian ini yang perlu diterbitkan slipnya.")
    params = {
        "doc_type": DocType.SLIP_GAJI.value,
        "unit_id": unit_id,
        "employee_ids": ids,
        "issued_on": issued_on.isoformat(),
        "doc_params": {"run_id": run.id},
        "base_url": base_url,
        "workers": 2,
        "batch_key": f"run{run.id}",  # → idempotency key run<id>:slip_gaji:<employee id> = slip_key()
        "payroll_run_id": run.id,
    }
    title = f"Terbitkan slip gaji {run.title}"
    return enqueue("dokumen_batch", title, params, user_id, total=len(ids), idempotency_key=idempotency_key)


_ISSUED = select(IssuedDocument).where(  # built once: the explanation page asks on every request
    IssuedDocument.idempotency_key == bindparam("key"), IssuedDocument.status != DocStatus.PENDING
)


def slip_document(run_id: int, employee_id: int) -> IssuedDocument | None:
    """The issued (not pending) slip of one employee in one run, valid or revoked."""
    return db.session.scalar(_ISSUED, {"key": slip_key(run_id, employee_id)})


def slip_count(run: PayrollRun) -> int:
    return (
        db.session.scalar(
            select(func.count(IssuedDocument.id)).where(
                IssuedDocument.idempotency_key.like(f"run{run.id}:{DocType.SLIP_GAJI.value}:%"),
                IssuedDocument.status != DocStatus.PENDING,
            )
        )
        or 0
    )


def daftar_document(run_id: int, opd_id: int) -> IssuedDocument | None:
    return db.session.scalar(
        select(IssuedDocument).where(
            IssuedDocument.idempotency_key == daftar_key(run_id, opd_id), IssuedDocument.status != DocStatus.PENDING
        )
    )


def daftar_documents(run: PayrollRun) -> dict[int, IssuedDocument]:
    """OPD id → issued daftar gaji of this run."""
    prefix = f"run{run.id}:{DocType.DAFTAR_GAJI.value}:opd"
    out = {}
    for doc in db.session.scalars(
        select(IssuedDocument).where(
            IssuedDocument.idempotency_key.like(prefix + "%"), IssuedDocument.status != DocStatus.PENDING
        )
    ):
        out[int(doc.idempotency_key[len(prefix) :])] = doc
    return out


def issue_daftar(
    run: PayrollRun, opd_id: int, unit_id: int, issued_on: date, user_id: int, base_url: str
) -> tuple[IssuedDocument, bool]:
    """Issue the daftar gaji PDF of one OPD (flush, never commit); an existing one is returned, not re-issued."""
    require_final(run)
    existing = daftar_document(run.id, opd_id)
    if existing is not None:
        return existing, False
    subjects = list(
        db.session.scalars(
            select(Employee)
            .join(PayrollRunEmployee, PayrollRunEmployee.employee_id == Employee.id)
            .where(PayrollRunEmployee.run_id == run.id, PayrollRunEmployee.opd_id == opd_id)
            .order_by(Employee.name, Employee.id)
        )
    )
    if not subjects:
        raise DomainError("Tidak ada pegawai OPD ini dalam proses penggajian tersebut.", field="opd_id")
    doc = docs.issue(
        DocType.DAFTAR_GAJI,
        unit_id=unit_id,
        subjects=subjects,
        params={"run_id": run.id, "opd_id": opd_id},
        issued_on=issued_on,
        user_id=user_id,
        base_url=base_url,
        idempotency_key=daftar_key(run.id, opd_id),
    )
    return doc, True


def replace_original_slips(run: PayrollRun, user_id: int) -> int:
    """Revoke the original run's slips of the employees this (final, compensating) run corrected, each with a
    link to its replacement slip (which shows the corrected full pay). Already revoked slips are skipped."""
    require_final(run)
    if run.kind != RunKind.COMPENSATING or not run.original_run_id:
        raise DomainError("Hanya slip proses koreksi yang menggantikan slip proses penggajian asli.")
    reason = f"Digantikan slip gaji {run.title} (koreksi: {run.reason or '-'})"
    done = 0
    for eid in slip_subject_ids(run):
        new = slip_document(run.id, eid)
        old = slip_document(run.original_run_id, eid)
        if new is None or old is None or not new.is_valid or not old.is_valid:
            continue
        docs.revoke(old, reason[:500], new, user_id)
        done += 1
    return done
