"""SKM pages for the unit's operator and HR: periods, results (NRR, IKM, mutu, sample check), paper entry,
XLSX import, the Laporan Hasil SKM, and the trend per unit."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ... import access, charts
from ...domain.public_feedback import ANSWERS, MUTU_RANGES, UNSUR, Mutu, percent
from ...extensions import db
from ...models import SkmPeriod, Unit
from ...services.documents import issuing as docs
from ...services.documents import search as doc_search
from ...services.skm import report, surveys
from ...timeutil import today_wib
from ...web import attempt, form_targets_answer_get
from . import bp
from .forms import ImportForm, PaperForm, PeriodForm, ReportForm


def _units_for_user() -> list[Unit]:
    scope = access.operated_unit_ids(current_user)
    units = surveys.service_units()
    return units if scope is None else [u for u in units if u.id in scope]


def _period_form(form: PeriodForm | None = None) -> PeriodForm:
    form = form or PeriodForm(formdata=None)
    form.unit_id.choices = [(u.id, u.name) for u in _units_for_user()]
    return form


def _index(status: int = 200, form: PeriodForm | None = None):
    periods = surveys.periods_of(access.operated_unit_ids(current_user))
    return render_template(
        "skm/index.html", periods=periods, results=surveys.results(periods), form=_period_form(form)
    ), status


@bp.get("/")
@login_required
def index():
    access.require(access.is_feedback_operator(current_user))
    return _index()


@bp.post("/periode/baru")
@login_required
def create_period():
    access.require(access.is_feedback_operator(current_user))
    form = _period_form(PeriodForm())
    if not form.validate():
        return _index(422, form)
    unit = db.get_or_404(Unit, form.unit_id.data)
    access.require(access.can_operate_unit(current_user, unit.id))
    with attempt(form) as done:
        period = surveys.create_period(
            unit, form.name.data, form.start_date.data, form.end_date.data, form.population.data, current_user
        )
    if not done:
        return _index(422, form)
    flash(f"Periode survei {period.name} untuk {unit.name} dibuka.", "success")
    return redirect(url_for("skm.period", period_id=period.id), 303)


def _period_or_404(period_id: int) -> SkmPeriod:
    period = db.get_or_404(SkmPeriod, period_id)
    if not access.can_manage_skm(current_user, period):
        abort(404)
    return period


def _period_page(period: SkmPeriod, status: int = 200, **forms):
    pr = surveys.result_of(period)
    return render_template(
        "skm/period.html",
        period=period,
        pr=pr,
        unsur=UNSUR,
        answers=ANSWERS,
        percent=percent,
        mutu_scale=[(m, MUTU_RANGES[m]) for m in Mutu],
        sources=surveys.source_counts(period),
        report_doc=report.current_report(period),
        paper_form=forms.get("paper_form") or PaperForm(formdata=None),
        import_form=forms.get("import_form") or ImportForm(formdata=None),
        report_form=forms.get("report_form") or ReportForm(formdata=None, issued_on=today_wib()),
        chart=charts.value_bars(
            [f"{c} {n}" for c, n in UNSUR],
            [charts.Series("NRR", list(pr.result.nrr))],
            title="Nilai rata-rata per unsur",
            fmt=percent,
        )
        if pr.result.respondents
        else None,
    ), status


@bp.get("/periode/<int:period_id>")
@login_required
def period(period_id: int):
    return _period_page(_period_or_404(period_id))


def _act(period: SkmPeriod, form, key: str, action, message):
    """Validate, run `action()` in one unit of work, and answer: back to the period with `message(result)`, or the
    period page with the form's messages (422), what was typed kept."""
    if form.validate():
        with attempt(form) as done:
            result = action()
        if done:
            flash(message(result), "success")
            return redirect(url_for("skm.period", period_id=period.id), 303)
    return _period_page(period, 422, **{key: form})


@bp.post("/periode/<int:period_id>/kertas")
@login_required
def paper(period_id: int):
    period = _period_or_404(period_id)
    form = PaperForm()
    return _act(
        period,
        form,
        "paper_form",
        lambda: surveys.add_paper_batch(period, form.lines.data, current_user),
        lambda n: f"{n} kuesioner kertas disimpan.",
    )


@bp.post("/periode/<int:period_id>/impor")
@login_required
def import_xlsx(period_id: int):
    period = _period_or_404(period_id)
    form = ImportForm()
    return _act(
        period,
        form,
        "import_form",
        lambda: surveys.import_xlsx(period, form.berkas.data.read(), current_user),
        lambda n: f"{n} kuesioner diimpor.",
    )


@bp.post("/periode/<int:period_id>/kios/<any(buka, tutup):aksi>")
@login_required
def kiosk_toggle(period_id: int, aksi: str):
    period = _period_or_404(period_id)
    with attempt() as done:
        surveys.set_kiosk_open(period, aksi == "buka")
    if done:
        flash("Kios survei dibuka." if aksi == "buka" else "Kios survei ditutup.", "success")
    return redirect(url_for("skm.period", period_id=period.id), 303)


@bp.post("/periode/<int:period_id>/laporan")
@login_required
def issue_report(period_id: int):
    period = _period_or_404(period_id)
    form = ReportForm()
    return _act(
        period,
        form,
        "report_form",
        lambda: report.issue_report(period, form.issued_on.data, current_user, docs.public_base_url()),
        lambda doc: f"Laporan Hasil SKM diterbitkan ({doc.number or 'tanpa nomor'}).",
    )


@bp.get("/periode/<int:period_id>/laporan.pdf")
@login_required
def report_pdf(period_id: int):
    period = _period_or_404(period_id)
    doc = report.current_report(period)
    if doc is None:
        abort(404)
    resp = current_app.response_class(doc_search.stored_pdf(doc), mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f'attachment; filename="laporan-skm-{period.id}.pdf"'
    return resp


@bp.get("/unit/<int:unit_id>/tren")
@login_required
def trend(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    if not (access.can_operate_unit(current_user, unit.id) or access.can_view_unit_dashboard(current_user, unit)):
        abort(404)
    rows = surveys.trend(unit.id)
    chart = charts.value_bars(
        [r.period.name for r in rows],
        [charts.Series("IKM (konversi)", [r.result.converted if r.result.respondents else None for r in rows])],
        title=f"Tren IKM {unit.name}",
        fmt=percent,
    )
    return render_template("skm/trend.html", unit=unit, rows=rows, chart=chart, percent=percent)


form_targets_answer_get(
    bp,
    {
        "create_period": lambda: url_for("skm.index"),
        "paper": lambda period_id: url_for("skm.period", period_id=period_id),
        "import_xlsx": lambda period_id: url_for("skm.period", period_id=period_id),
        "kiosk_toggle": lambda period_id, aksi: url_for("skm.period", period_id=period_id),
        "issue_report": lambda period_id: url_for("skm.period", period_id=period_id),
    },
)
