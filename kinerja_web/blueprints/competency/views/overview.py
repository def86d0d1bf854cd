"""HR's competency views: the OPD/regency map (JPM distribution, most common gaps, XLSX), the JPM rule, and the
trained-vs-not-yet-trained report on a gap."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .... import access, charts
from ....domain import DomainError
from ....domain.competency import JpmRule
from ....services.competency import editing, effect
from ....services.competency import overview as ov
from ....services.competency.standards import competencies, rule_in_force
from ....services.talent.grid import opds
from ....timeutil import today_wib
from ....web import attempt
from .. import bp
from ..forms import RuleForm
from .common import opd_from_args, xlsx_response


def _hr():
    access.require(access.can_manage_competency(current_user))


@bp.get("/opd")
@login_required
def opd():
    _hr()
    unit = opd_from_args()
    page = request.args.get("halaman", 1, type=int)
    data = ov.overview(unit, today_wib(), page)
    chart = charts.value_bars(
        [label for label, _ in data.bands],
        [charts.Series("Pegawai", [n for _, n in data.bands])],
        title="Sebaran JPM",
        fmt=str,
    )
    gap_chart = charts.value_bars(
        [f"{g.code} {g.name}" for g in data.gaps[:9]],
        [charts.Series("Pegawai dengan kesenjangan", [g.count for g in data.gaps[:9]])],
        title="Kesenjangan terbanyak",
        fmt=str,
    )
    return render_template("competency/opd.html", data=data, opd=unit, opds=opds(), chart=chart, gap_chart=gap_chart)


@bp.get("/opd/ekspor.xlsx")
@login_required
def opd_export():
    _hr()
    unit = opd_from_args()
    name = f"peta-kompetensi-{unit.code if unit else 'kabupaten'}.xlsx"
    return xlsx_response(ov.export_xlsx(unit, today_wib()), name)


def _rule_page(form, status=200):
    return (
        render_template(
            "competency/rule.html", form=form, versions=editing.rule_versions(), current=rule_in_force(today_wib())[1]
        ),
        status,
    )


@bp.get("/aturan")
@login_required
def rule():
    _hr()
    current = rule_in_force(today_wib())[1]
    form = RuleForm(formdata=None)
    form.berlaku_mulai.data = today_wib()
    form.optimal_from.data = str(current.optimal_from)
    form.cukup_from.data = str(current.cukup_from)
    form.cap_at_required.data = current.cap_at_required
    form.weight_kategori.data = str(current.potensial_weights.get("kategori", 0))
    form.weight_jpm.data = str(current.potensial_weights.get("jpm", 0))
    form.tinggi_from.data = str(current.tinggi_from)
    form.menengah_from.data = str(current.menengah_from)
    return _rule_page(form)


def _dec(form, name: str) -> Decimal:
    raw = (getattr(form, name).data or "").strip().replace(",", ".")
    try:
        return Decimal(raw)
    except ArithmeticError:
        raise DomainError("Harus berupa angka.", field=name) from None


@bp.post("/aturan")
@login_required
def rule_save():
    _hr()
    form = RuleForm()
    if not form.validate():
        return _rule_page(form, 422)
    current = rule_in_force(today_wib())[1]
    with attempt(form) as done:
        new = JpmRule(
            optimal_from=_dec(form, "optimal_from"),
            cukup_from=_dec(form, "cukup_from"),
            cap_at_required=form.cap_at_required.data,
            default_levels=current.default_levels,
            potensial_weights={"kategori": _dec(form, "weight_kategori"), "jpm": _dec(form, "weight_jpm")},
            kategori_score=current.kategori_score,
            tinggi_from=_dec(form, "tinggi_from"),
            menengah_from=_dec(form, "menengah_from"),
        )
        row = editing.save_rule(new, form.berlaku_mulai.data, form.note.data, current_user)
    if not done:
        return _rule_page(form, 422)
    flash(f"Aturan JPM versi {row.version} disimpan.", "success")
    return redirect(url_for("competency.rule"), 303)


@bp.get("/laporan/pelatihan")
@login_required
def training_report():
    _hr()
    codes = [(c.code, f"{c.code} · {c.name}") for c in competencies()]
    code = request.args.get("kompetensi") or None
    if code is not None and code not in dict(codes):
        code = None
    report = effect.trained_vs_untrained(code, today_wib())
    return render_template("competency/training_report.html", report=report, codes=codes, code=code)
