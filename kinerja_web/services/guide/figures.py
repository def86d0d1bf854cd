"""The live figures under the guide's text: the rules as they stand in this installation, and, for a signed-in
employee, their own numbers. Nothing here is copied into the content files, so the guide cannot drift from the
rules the app applies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import url_for
from sqlalchemy import select

from ...domain import DomainError
from ...domain import rating_rules as rr
from ...domain.development import JP_TARGET
from ...domain.evaluation360 import ANONYMOUS, BUCKET_LABELS, DEFAULT_THRESHOLD
from ...domain.golive import is_example_citation
from ...domain.kurva import KurvaRule
from ...domain.labels import bulan, rupiah
from ...domain.predikat import (
    BARIS_HASIL_KERJA,
    KOLOM_PERILAKU_KERJA,
    Predikat,
    PredikatOrganisasi,
    predikat,
)
from ...extensions import db
from ...models import Employee, PerformanceRating, Period, RatingStatus
from .. import rating_rules
from ..development.jp import jp_total
from ..payroll import rules as payroll_rules
from ..payroll.runs import employee_runs
from ..payroll.slips import slip_context

KNOWN = ("predikat", "kurva", "anonimitas", "keberatan", "tpp", "jp")


def _pct(value) -> str:
    """0,35 → "35%", 0,125 → "12,5%", 0 → "0%"."""
    text = f"{value * 100:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def kurva_sentence(rule: KurvaRule) -> str:
    """One constraint of the curve in words: "Baik: paling banyak 70 % (kelompok terbesar)"."""
    parts = []
    if rule.min_share is not None:
        parts.append(f"paling sedikit {_pct(rule.min_share)}")
    if rule.max_share is not None:
        parts.append("tidak ada" if rule.max_share == 0 else f"paling banyak {_pct(rule.max_share)}")
    if rule.must_exist:
        parts.append("harus ada")
    if rule.largest_group:
        parts.append("kelompok terbesar")
    return f"{rule.label}: {', '.join(parts)}"


@dataclass(frozen=True)
class RuleShown:
    label: str
    value: str
    citation: str
    example: bool  # an example row shipped with Kinerja, not yet replaced by the regency's own Perbup


def _predikat(employee: Employee | None, today: date) -> dict:
    version = rating_rules.in_force(rr.PREDIKAT, today)
    rows = [(h.label, [predikat(h, p, version.data).label for p in KOLOM_PERILAKU_KERJA]) for h in BARIS_HASIL_KERJA]
    mine = None
    if employee is not None:
        rating = db.session.execute(
            select(PerformanceRating, Period)
            .join(Period, Period.id == PerformanceRating.period_id)
            .where(PerformanceRating.employee_id == employee.id, PerformanceRating.status == RatingStatus.FINAL)
            .order_by(Period.year.desc(), PerformanceRating.window_no.desc())
            .limit(1)
        ).first()
        if rating is not None:
            r, period = rating
            mine = {
                "predikat": r.predikat.label,
                "hasil_kerja": r.hasil_kerja.label,
                "perilaku_kerja": r.perilaku_kerja.label,
                "tahun": period.year,
                "link": url_for("rating.rate", period_id=period.id, employee_id=employee.id),
            }
    return {"columns": [p.label for p in KOLOM_PERILAKU_KERJA], "rows": rows, "source": version.citation, "mine": mine}


def _kurva(today: date) -> dict:
    curve = rating_rules.in_force(rr.KURVA, today).data
    by_org = [(o.label, [kurva_sentence(r) for r in curve.rules if r.organisasi is o]) for o in PredikatOrganisasi]
    return {"rows": [(o, s) for o, s in by_org if s], "min_pegawai": curve.min_pegawai}


def _keberatan(today: date) -> dict:
    version = rating_rules.in_force(rr.KEBERATAN, today)
    return {"days": version.data.hari, "unit": version.data.satuan, "citation": version.citation}


def _anonimitas() -> dict:
    return {
        "threshold": DEFAULT_THRESHOLD,
        "anonymous": [BUCKET_LABELS[g] for g in ANONYMOUS],
    }


def _tpp(employee: Employee | None, today: date) -> dict:
    rules = payroll_rules.load_rules()
    shown: list[RuleShown] = []
    problems: list[str] = []
    try:
        komposisi = rules.tpp_komposisi.in_force(today)
        k = komposisi.data
        shown.append(
            RuleShown(
                "Pembagian TPP",
                f"{_pct(k.kinerja)} kinerja, {_pct(k.disiplin)} disiplin",
                komposisi.citation,
                is_example_citation(komposisi.citation),
            )
        )
        persen = rules.tpp_persen_predikat.in_force(today)
        shown.extend(
            RuleShown(
                f"Predikat {p.label}",
                f"{_pct(persen.data.persen[p])} dari bagian kinerja",
                persen.citation,
                is_example_citation(persen.citation),
            )
            for p in Predikat
            if p in persen.data.persen
        )
    except DomainError as e:  # no rule in force this month: say so instead of guessing
        problems.append(e.message)
    mine = None
    if employee is not None:
        runs = employee_runs(employee.id, final_only=True)
        ctx = slip_context(runs[0], employee) if runs else None
        if ctx is not None:
            tpp = sum(ln["amount"] for ln in ctx["lines"] if ln["bagian"] == "tpp" and ln["kind"] == "penghasilan")
            pph = sum(ln["amount"] for ln in ctx["lines"] if ln["code"].startswith("POT_PPH"))
            mine = {
                "bulan": ctx["month_label"],
                "penghasilan": rupiah(ctx["penghasilan"]),
                "tpp": rupiah(tpp),
                "pph21": rupiah(pph),
                "netto": rupiah(ctx["netto"]),
                "predikat": ctx["predikat"],
                "link": url_for("payroll.slip", run_id=runs[0].id, employee_id=employee.id),
            }
    return {"rules": shown, "problems": problems, "month": bulan(today), "mine": mine}


def _jp(employee: Employee | None, today: date) -> dict:
    have = jp_total(employee.id, today.year) if employee is not None else None
    return {"target": JP_TARGET, "year": today.year, "have": have}


def figures_for(names, employee: Employee | None, today: date) -> dict[str, dict]:
    """The figures a section asks for (its `angka:` line), each as plain data for `guide/_figures.html`."""
    out: dict[str, dict] = {}
    for name in names:
        if name == "predikat":
            out[name] = _predikat(employee, today)
        elif name == "kurva":
            out[name] = _kurva(today)
        elif name == "anonimitas":
            out[name] = _anonimitas()
        elif name == "keberatan":
            out[name] = _keberatan(today)
        elif name == "tpp":
            out[name] = _tpp(employee, today)
        elif name == "jp":
            out[name] = _jp(employee, today)
    return out
