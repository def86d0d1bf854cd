""" "Mengapa gaji saya sebesar ini?" for a human: plain-language sentences built from the stored lines and
their rule inputs, the steps of the gross-to-net waterfall, and the comparison with the previous final month.

Every sentence is a list of parts `(text, link)`: `link` names the input page the text should point to
("predikat", "kehadiran", "status", "aturan#versi-<id>" for one rule row); the view decides the URL, or none
if the reader may not open it.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import bindparam, select

from ...charts import Step
from ...domain.golive import is_example_citation
from ...domain.labels import NAMA_BULAN, bulan, persen, rupiah
from ...domain.payroll import INPUT_LABELS, rule_version_text
from ...domain.payroll.manual import is_manual
from ...extensions import db
from ...models import Employee, PayrollRuleVersion, PayrollRun, Period, RunKind
from . import ptkp_years, slips
from .rules import rule_labels
from .runs import previous_regular_netto, previous_regular_run

Part = tuple[str, str | None]

# Input codes whose change is worth naming in the comparison ("karena …"), in reading order.
_REASON_INPUTS = (
    "predikat",
    "persen",
    "kejadian",
    "potongan_dipakai",
    "status_tpp",
    "faktor_status",
    "kelas_jabatan",
    "pagu",
    "golongan",
    "mkg_tabel",
    "gaji_pokok_tabel",
    "gaji_pokok",
    "jumlah_anak_dibayar",
    "jiwa",
    "status_ptkp",
    "kategori_ter",
    "tarif",
    "bruto",
    "mode",
)


def _dec(value) -> Decimal:
    return Decimal(str(value))


def _rule(ln: dict) -> str:
    """Link key of the rule row a line starts from (its first version: the gaji table, the TPP pagu)."""
    return "aturan#versi-" + str(ln["rule_version"]).split("+")[0]


def _tpp_factor(v: dict) -> list[Part]:
    factor = _dec(v.get("faktor_status", 1))
    if factor == 1:
        return []
    return [(f" × {persen(factor)} faktor status (", None), (str(v.get("status_tpp", "-")), "status"), (")", None)]


def _tpp_kinerja(ln: dict, month_name: str) -> list[Part]:
    v = ln["values"]
    return [
        (
            f"TPP kinerja Anda {rupiah(ln['amount'])} = {persen(_dec(v['porsi']))} × ",
            None,
        ),
        (f"{rupiah(v['pagu'])} (pagu TPP kelas jabatan {v['kelas_jabatan']})", _rule(ln)),
        (f" × {persen(_dec(v['persen']))}", None),
        *_tpp_factor(v),
        (f" karena predikat {month_name} Anda ", None),
        (str(v["predikat"]), "predikat"),
        (".", None),
    ]


def _tpp_disiplin(ln: dict) -> list[Part]:
    v = ln["values"]
    cut = _dec(v.get("potongan_dipakai", 0))
    head = f"TPP disiplin Anda {rupiah(ln['amount'])} = {persen(_dec(v['porsi']))} × "
    parts: list[Part] = [(head, None), (rupiah(v["pagu"]), _rule(ln))]
    if cut:
        parts += [(f" × (100% − {persen(cut)} potongan)", None), *_tpp_factor(v), (" karena ", None)]
        parts += [(str(v.get("kejadian", "")), "kehadiran"), (".", None)]
    else:
        parts += [*_tpp_factor(v), (" tanpa potongan: ", None)]
        parts += [("tidak ada keterlambatan, pulang cepat, atau ketidakhadiran tercatat", "kehadiran"), (".", None)]
    return parts


def _gaji_pokok(ln: dict) -> list[Part]:
    v = ln["values"]
    parts: list[Part] = [
        (f"Gaji pokok Anda {rupiah(ln['amount'])} menurut ", None),
        ("tabel gaji", _rule(ln)),
        (
            f" golongan {v.get('golongan', '-')}, masa kerja golongan {v.get('mkg_tabel', v.get('mkg', '-'))} tahun",
            None,
        ),
    ]
    if "persen" in v:
        parts.append((f" ({rupiah(v['gaji_pokok_tabel'])} × {persen(_dec(v['persen']))} sebagai CPNS)", None))
    return [*parts, (".", None)]


def _manual(ln: dict) -> list[Part]:
    """A manual pay fact (issue 20 item 6): who approved it, why, on what basis; outside the PPh base."""
    v = ln["values"]
    jenis = "ditambahkan" if ln["kind"] == "penghasilan" else "dipotong"
    return [
        (
            f"{ln['label']} {rupiah(ln['amount'])} {jenis} secara manual (bukan hasil aturan): {v.get('alasan', '')}; "
            f"dasar {v.get('dokumen', '')}, disetujui oleh {v.get('disetujui_oleh', '')}. Jumlah ini tidak termasuk "
            "dasar PPh 21 bulan ini.",
            None,
        )
    ]


_SENTENCES = {"GAPOK": _gaji_pokok, "TPP_DISIPLIN": _tpp_disiplin}


def _totals(slip: dict, run: PayrollRun) -> str:
    money = f"penghasilan {rupiah(slip['penghasilan'])} dikurangi potongan {rupiah(slip['potongan'])}"
    if run.kind == RunKind.REGULAR:
        return f"Bulan {bulan(run.month)} Anda menerima {rupiah(slip['netto'])}: {money}."
    if run.kind == RunKind.COMPENSATING:
        return (
            f"Proses koreksi ini membayar selisih bersih {rupiah(slip['netto'])} atas gaji {bulan(run.month)}: "
            f"selisih {money}."
        )
    return f"{run.kind.label} {bulan(run.month)} yang Anda terima {rupiah(slip['netto'])}: {money}."


def summary(slip: dict, run: PayrollRun) -> list[list[Part]]:
    """The plain-language summary: first the totals, then (for a monthly run, whose lines are whole amounts
    rather than differences) one sentence per line explained from its inputs."""
    out: list[list[Part]] = [[(_totals(slip, run), None)]]
    if run.kind != RunKind.REGULAR:
        return out
    for ln in slip["lines"]:
        if ln["code"] == "TPP_KINERJA":
            out.append(_tpp_kinerja(ln, NAMA_BULAN[run.month.month - 1]))
        elif ln["code"] in _SENTENCES:
            out.append(_SENTENCES[ln["code"]](ln))
        elif is_manual(ln["code"]):
            out.append(_manual(ln))
    used = next((ln["values"].get("status_ptkp") for ln in slip["lines"] if ln["code"] == "POT_PPH"), None)
    employee = db.session.get(Employee, slip["employee"]["id"])
    if (sentence := ptkp_years.explanation(employee, run.month, used)) if employee else None:
        out.append([(sentence, None)])
    return out


def waterfall_steps(slip: dict) -> list[Step]:
    """Gross to net: every penghasilan line up, every potongan line down, then the net as a total."""
    steps = [Step(ln["label"], int(ln["amount"])) for ln in slip["lines"] if ln["kind"] == "penghasilan"]
    steps.append(Step("Jumlah penghasilan", int(slip["penghasilan"]), total=True))
    steps += [Step(ln["label"], -int(ln["amount"])) for ln in slip["lines"] if ln["kind"] == "potongan"]
    steps.append(Step("Diterima (gaji bersih)", int(slip["netto"]), total=True))
    return steps


def previous_run(run: PayrollRun, employee_id: int) -> PayrollRun | None:
    """The employee's latest final regular run of an earlier month (the month to compare with)."""
    return previous_regular_run(employee_id, run.month)


def _change_reasons(old: dict, new: dict) -> list[tuple[str, str, str]]:
    """(input label, before, after) of the inputs that differ between two versions of one line."""
    before, after = old["texts"], new["texts"]
    reasons = [
        (INPUT_LABELS.get(code, code), before[code], after[code])
        for code in _REASON_INPUTS
        if code in before and code in after and before[code] != after[code]
    ]
    if not reasons and old["rule_version"] != new["rule_version"]:
        reasons.append(("Versi aturan", rule_version_text(old["rule_version"]), rule_version_text(new["rule_version"])))
    return reasons


def comparison(run: PayrollRun, employee: Employee, slip: dict) -> dict | None:
    """Net and per-line changes of a monthly run against the previous final month, each changed line with why;
    None for other kinds of run (their lines are differences or once-a-year pay) or without an earlier month."""
    if run.kind != RunKind.REGULAR:
        return None
    # Only the earlier month's lines and net pay are compared: not its whole slip (attendance, status periods).
    found = previous_regular_netto(employee.id, run.month)
    if found is None:
        return None
    prev_run, prev_netto = found
    old = {ln["code"]: ln for ln in slips.line_dicts(prev_run, employee) if ln["kind"] != "info"}
    new = {ln["code"]: ln for ln in slip["lines"] if ln["kind"] != "info"}
    changes = []
    for code in [*new, *(c for c in old if c not in new)]:
        a, b = old.get(code), new.get(code)
        before, after = int(a["amount"]) if a else 0, int(b["amount"]) if b else 0
        if before == after:
            continue
        ln = b or a
        reasons = _change_reasons(a, b) if a and b else []
        if a is None:
            reasons = [("Komponen", "tidak ada", "baru bulan ini")]
        elif b is None:
            reasons = [("Komponen", "ada", "tidak ada lagi bulan ini")]
        changes.append(
            {
                "code": code,
                "label": ln["label"],
                "kind": ln["kind"],
                "before": before,
                "after": after,
                "delta": after - before,
                "reasons": reasons,
            }
        )
    delta = int(slip["netto"]) - int(prev_netto)
    return {
        "run": prev_run,
        "month_label": bulan(prev_run.month),
        "netto_before": int(prev_netto),
        "delta": delta,
        "changes": changes,
    }


def example_lines(slip: dict) -> list[str]:
    """Labels of the lines computed from a rule version still marked as an example (CONTOH)."""
    return [ln["label"] for ln in slip["lines"] if is_example_citation(ln["citation"])]


_PERIOD_OF = (  # built once: the explanation page asks on every request
    select(Period.id)
    .where(Period.start_date <= bindparam("month"), Period.end_date >= bindparam("month"))
    .order_by(Period.id)
)


def rating_period_id(month) -> int | None:
    """The SKP/rating period the month's predikat comes from (the period covering that month)."""
    return db.session.scalar(_PERIOD_OF, {"month": month})


def run_example_rules(run: PayrollRun) -> list[str]:
    """Labels of the rule tables a run was computed with whose recorded version is still an example."""
    ids = list((run.rule_versions or {}).values())
    if not ids:
        return []
    labels = rule_labels()
    rows = db.session.execute(
        select(PayrollRuleVersion.code, PayrollRuleVersion.citation)
        .where(PayrollRuleVersion.version_id.in_(ids))
        .order_by(PayrollRuleVersion.code)
    )
    return [labels.get(code, code) for code, citation in rows if is_example_citation(citation)]
