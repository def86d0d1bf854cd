"""Penilaian kinerja pages: the pejabat penilai's final rating, the employee's result, unit calibration."""

from __future__ import annotations

from calendar import monthrange
from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ... import access
from ...domain import DomainError
from ...domain.labels import persen
from ...domain.predikat import Ekspektasi, Predikat, PredikatOrganisasi, explain
from ...extensions import db
from ...htmx import render
from ...models import ANNUAL, Period, Unit
from ...request_input import query_int
from ...services.public_service import evidence as public_service_evidence
from ...services.rating import documents, keberatan, organisation, ratings, windows
from ...timeutil import today_wib
from ...web import attempt, form_targets_answer_get
from . import bp
from .forms import EKSPEKTASI, CalibrationForm, KeberatanForm, RatingForm, UnitPredikatForm


def _window(period: Period) -> int:
    """`?jendela=` picks a periodic window; 0 (default) is the annual rating. Unknown windows are 404."""
    raw = request.args.get("jendela", "0")
    try:
        window_no = int(raw)
        windows.window_label(period, window_no)
    except (ValueError, DomainError):
        abort(404)
    return window_no


def _period_from_args() -> Period | None:
    periods = windows.periods()
    wanted = request.args.get("periode", type=query_int)
    return next((p for p in periods if p.id == wanted), periods[0] if periods else None)


@bp.get("/")
@login_required
def index():
    """Pegawai yang Anda nilai, hasil Anda sendiri, dan unit yang dapat Anda kalibrasi."""
    period = _period_from_args()
    ctx = {
        "period": period,
        "periods": windows.periods(),
        "team": [],
        "units": [],
        "window_no": ANNUAL,
        "keberatan_open": keberatan.open_for(current_user, today_wib()),
    }
    if period is not None:
        window_no = _window(period)
        ctx["window_no"] = window_no
        ctx["windows"] = windows.window_choices(period)
        ctx["window_label"] = windows.window_label(period, window_no)
        today = today_wib()
        if current_user.employee is not None:
            ctx["team"] = ratings.team_status(current_user.employee, period, window_no, today)
        ctx["units"] = [u for u in organisation.units_to_calibrate() if access.can_calibrate_unit(current_user, u)]
    return render_template("rating/index.html", **ctx)


# --- the rating screen ----------------------------------------------------------------------------------


def _load(period_id: int, employee_id: int):
    period = db.get_or_404(Period, period_id)
    employee = access.get_employee_or_404(employee_id)
    if not access.can_view_performance(current_user, employee):
        abort(404)
    return period, employee, _window(period)


def _rate_ctx(period, employee, window_no, form=None, status=200, keberatan_form=None, keberatan_errors=None):
    today = today_wib()
    rating = windows.rating_of(employee.id, period.id, window_no)
    keb = keberatan.keberatan_of(rating) if rating is not None else None
    evaluation_doc = (
        documents.valid_evaluation_document(rating)
        if access.can_download_evaluation(current_user, employee, rating)
        else None
    )
    leader = organisation.leader_prefill(employee, period, window_no, today)
    can_rate = access.can_rate_performance(current_user, employee, today)
    if form is None:
        form = RatingForm()
        if rating is not None:
            form.hasil_kerja.data = rating.hasil_kerja.value
            form.perilaku_kerja.data = rating.perilaku_kerja.value
            form.catatan.data = rating.catatan
        elif leader is not None:
            form.hasil_kerja.data = leader.hasil_kerja.value
    show = access.can_see_rating_detail(current_user, employee, rating)
    if form.hasil_kerja.data and form.perilaku_kerja.data and can_rate:
        grid = ratings.preview(form.hasil_kerja.data, form.perilaku_kerja.data)
    elif show:
        grid = ratings.matrix(explain(rating.hasil_kerja, rating.perilaku_kerja))
    else:
        grid = ratings.matrix(None)
    self_view = access.is_self(current_user, employee)
    months = windows.window_months(period, window_no)
    return (
        render_template(
            "rating/rate.html",
            period=period,
            employee=employee,
            window_no=window_no,
            window_label=windows.window_label(period, window_no),
            rating=rating,
            show=show,
            form=form,
            grid=grid,
            leader=leader,
            can_rate=can_rate and not (rating and rating.is_final),
            evidence=ratings.skp_evidence(employee, period) if not self_view or show else None,
            perilaku=ratings.perilaku_input(employee, period) if not self_view else None,
            ps_evidence=public_service_evidence.evidence_for(
                employee.id, months[0], months[-1].replace(day=monthrange(months[-1].year, months[-1].month)[1])
            )
            if not self_view or show
            else None,
            self_view=self_view,
            keberatan=keb if keb is not None and access.can_view_keberatan(current_user, keb) else None,
            # the last change: an accepted keberatan (a locked window's ratings change by no other way)
            changed_by_keberatan=keb is not None and keb.is_diterima,
            evaluation_doc=evaluation_doc,
            deadline=keberatan.deadline_of(rating) if rating is not None else None,
            can_file=(
                rating is not None
                and keb is None
                and access.can_file_keberatan(current_user, rating)
                and rating.result_given_on is not None
            ),
            keberatan_form=keberatan_form or KeberatanForm(),
            keberatan_errors=keberatan_errors or [],
            today=today,
        ),
        status,
    )


@bp.get("/<int:period_id>/pegawai/<int:employee_id>")
@login_required
def rate(period_id: int, employee_id: int):
    period, employee, window_no = _load(period_id, employee_id)
    return _rate_ctx(period, employee, window_no)


@bp.post("/<int:period_id>/pegawai/<int:employee_id>")
@login_required
def rate_post(period_id: int, employee_id: int):
    period, employee, window_no = _load(period_id, employee_id)
    access.require(access.can_rate_performance(current_user, employee, today_wib()))
    form = RatingForm()
    if not form.validate():
        return _rate_ctx(period, employee, window_no, form, 422)
    with attempt(form) as done:
        rating = ratings.save_rating(
            employee,
            period,
            window_no,
            Ekspektasi(form.hasil_kerja.data),
            Ekspektasi(form.perilaku_kerja.data),
            form.catatan.data,
            current_user,
            today_wib(),
        )
        finalise = request.form.get("aksi") == "final"
        if finalise:
            newly_final = ratings.finalise(rating, current_user)
    if not done:
        return _rate_ctx(period, employee, window_no, form, 422)
    if not finalise:
        flash(f"Rating disimpan sebagai draf: predikat {rating.predikat.label}.", "success")
    elif newly_final:
        flash(f"Penilaian final: predikat {rating.predikat.label}. Pegawai sudah diberi tahu.", "success")
    else:
        flash("Penilaian ini sudah final sebelumnya.", "info")
    return redirect(
        url_for("rating.rate", period_id=period.id, employee_id=employee.id, jendela=window_no or None), 303
    )


@bp.post("/<int:period_id>/pegawai/<int:employee_id>/final")
@login_required
def finalise(period_id: int, employee_id: int):
    """Finalise the saved draft; a second click (or a second tab) finds it final and changes nothing."""
    period, employee, window_no = _load(period_id, employee_id)
    access.require(access.can_rate_performance(current_user, employee, today_wib()))
    rating = windows.rating_of(employee.id, period.id, window_no)
    back = url_for("rating.rate", period_id=period.id, employee_id=employee.id, jendela=window_no or None)
    if rating is None:
        flash("Simpan rating terlebih dahulu sebelum menetapkan final.", "error")
        return redirect(back, 303)
    with attempt() as done:
        newly_final = ratings.finalise(rating, current_user)
    if done and newly_final:
        flash(f"Penilaian final: predikat {rating.predikat.label}. Pegawai sudah diberi tahu.", "success")
    elif done:
        flash("Penilaian ini sudah final sebelumnya.", "info")
    return redirect(back, 303)


@bp.get("/pratinjau")
@login_required
def preview():
    """HTMX enhancement: the highlighted matrix cell for the ratings currently chosen (saves nothing)."""
    grid = ratings.preview(request.args.get("hasil_kerja"), request.args.get("perilaku_kerja"))
    return render("rating/preview.html", "matrix", grid=grid)


# --- organisation predikat and calibration ------------------------------------------------------------


def _load_unit(period_id: int, unit_id: int):
    period = db.get_or_404(Period, period_id)
    unit = db.get_or_404(Unit, unit_id)
    access.require(access.can_calibrate_unit(current_user, unit))
    return period, unit, _window(period)


def _unit_page(period, unit, window_no, predikat_form=None, row_errors=None, row_forms=None, status=200):
    cal = organisation.calibration(unit, period, window_no)
    if predikat_form is None:
        predikat_form = UnitPredikatForm()
        if cal.organisasi is not None:
            predikat_form.predikat.data = cal.organisasi.predikat.value
            predikat_form.note.data = cal.organisasi.note
    return (
        render_template(
            "rating/unit.html",
            period=period,
            unit=unit,
            window_no=window_no,
            window_label=windows.window_label(period, window_no),
            cal=cal,
            counts=_shares(cal.counts),
            total=sum(cal.counts.values()),
            unrated=sum(1 for r in cal.rows if r.rating is None),
            predikat_form=predikat_form,
            can_set=access.can_set_unit_predikat(current_user, unit),
            row_errors=row_errors or {},
            row_forms=row_forms or {},
            ekspektasi=EKSPEKTASI,
            penetapan_docs=documents.unit_penetapan_documents(unit.id, period.id, window_no),
            history=organisation.calibration_history(cal),
        ),
        status,
    )


def _shares(counts: dict) -> list[tuple[Predikat, int, str]]:
    total = sum(counts.values())
    return [
        (p, counts.get(p, 0), persen((Decimal(counts.get(p, 0)) / total).quantize(Decimal("0.001"))) if total else "–")
        for p in Predikat
    ]


@bp.get("/<int:period_id>/unit/<int:unit_id>")
@login_required
def unit(period_id: int, unit_id: int):
    period, unit, window_no = _load_unit(period_id, unit_id)
    return _unit_page(period, unit, window_no)


@bp.post("/<int:period_id>/unit/<int:unit_id>/predikat")
@login_required
def unit_predikat(period_id: int, unit_id: int):
    period, unit, window_no = _load_unit(period_id, unit_id)
    access.require(access.can_set_unit_predikat(current_user, unit))
    form = UnitPredikatForm()
    if not form.validate():
        return _unit_page(period, unit, window_no, predikat_form=form, status=422)
    with attempt(form) as done:
        organisation.set_unit_predikat(
            unit, period, window_no, PredikatOrganisasi(form.predikat.data), current_user, form.note.data
        )
    if not done:
        return _unit_page(period, unit, window_no, predikat_form=form, status=422)
    flash("Predikat kinerja organisasi disimpan.", "success")
    return redirect(url_for("rating.unit", period_id=period.id, unit_id=unit.id, jendela=window_no or None), 303)


@bp.post("/<int:period_id>/unit/<int:unit_id>/selesai")
@login_required
def unit_calibrated(period_id: int, unit_id: int):
    period, unit, window_no = _load_unit(period_id, unit_id)
    with attempt() as done:
        organisation.mark_calibrated(unit, period, window_no, current_user)
    if done:
        flash("Kalibrasi ditandai selesai. Setiap perubahan berikutnya wajib disertai alasan.", "success")
    return redirect(url_for("rating.unit", period_id=period.id, unit_id=unit.id, jendela=window_no or None), 303)


@bp.post("/<int:period_id>/unit/<int:unit_id>/kalibrasi/<int:rating_id>")
@login_required
def calibrate(period_id: int, unit_id: int, rating_id: int):
    """Change one rating from the calibration view: reason required, audited, payroll re-fed."""
    period, unit, window_no = _load_unit(period_id, unit_id)
    cal = organisation.calibration(unit, period, window_no)
    row = next((r for r in cal.rows if r.rating is not None and r.rating.id == rating_id), None)
    if row is None:
        abort(404)
    form = CalibrationForm()
    errors: list[str] = []
    if form.validate():
        with attempt(flash_category=None) as done:
            ratings.calibrate(
                row.rating,
                Ekspektasi(form.hasil_kerja.data),
                Ekspektasi(form.perilaku_kerja.data),
                form.alasan.data,
                current_user,
            )
        if not done:
            errors.append(done.message)
    else:
        errors = [m for f in form for m in f.errors]
    if errors:
        return _unit_page(
            period, unit, window_no, row_errors={rating_id: errors}, row_forms={rating_id: form}, status=422
        )
    flash(f"Predikat {row.employee.name} diubah menjadi {row.rating.predikat.label}; alasan dicatat.", "success")
    return redirect(url_for("rating.unit", period_id=period.id, unit_id=unit.id, jendela=window_no or None), 303)


# --- form targets answer GET ---------------------------------------------------------------------------
# A boosted form that answers with its page and messages (422) leaves its own URL in the address bar, and F5 then
# asks that URL with GET: every POST-only URL of this blueprint (here, keberatan_views, lock_views) answers GET with
# the page its form is on (never 405). The page itself loads, authorizes and checks `?jendela=`.


def _window_page(endpoint: str):
    def page(rating_id: int | None = None, **values) -> str:
        return url_for(endpoint, **values, jendela=request.args.get("jendela") or None)

    return page


def _keberatan_page(keberatan_id: int) -> str:
    return url_for("rating.keberatan_page", keberatan_id=keberatan_id)


form_targets_answer_get(
    bp,
    {
        "finalise": _window_page("rating.rate"),
        "file_keberatan": _window_page("rating.rate"),
        "unit_predikat": _window_page("rating.unit"),
        "unit_calibrated": _window_page("rating.unit"),
        "calibrate": _window_page("rating.unit"),
        "keberatan_ask": _keberatan_page,
        "keberatan_explain": _keberatan_page,
        "keberatan_decide": _keberatan_page,
        "lock_rerun": lambda job_id: url_for("rating.lock_status", job_id=job_id),
    },
)
