"""The SKM kiosk: a public page on the office LAN (no login) where citizens answer the nine unsur with large
buttons, with or without JavaScript. One response per submission (CSRF and a one-time key), a per-device rate
limit, and nothing personal beyond the optional demographic bands (PermenPANRB 14/2017)."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for

from ...domain.public_feedback import (
    ANSWERS,
    QUESTIONS,
    UNSUR,
    AgeBand,
    Education,
    Occupation,
    RespondentSex,
    ResponseSource,
)
from ...forms import submitted_idempotency_key
from ...services.documents import verification
from ...services.skm import surveys
from ...web import attempt
from . import kiosk_bp

FLOOD_MESSAGE = (
    "Terlalu banyak isian survei dari perangkat ini dalam satu menit. Isian ini tidak disimpan. Tunggu sebentar, "
    "lalu isi kembali."
)
DEMOGRAPHICS = (
    ("usia", "Usia", AgeBand),
    ("jenis_kelamin", "Jenis kelamin", RespondentSex),
    ("pendidikan", "Pendidikan terakhir", Education),
    ("pekerjaan", "Pekerjaan", Occupation),
)


def _period_or_404(period_id: int):
    period = surveys.open_period_for_kiosk(period_id)
    if period is None:
        abort(404)
    return period


def _page(period, status: int = 200, **ctx):
    return (
        render_template(
            "skm/kiosk.html",
            period=period,
            unsur=list(zip(UNSUR, QUESTIONS, strict=True)),
            answers=ANSWERS,
            demographics=[(name, label, enum_cls.choices()) for name, label, enum_cls in DEMOGRAPHICS],
            chosen=ctx.pop("chosen", {}),
            **ctx,
        ),
        status,
    )


@kiosk_bp.get("/survei/<int:period_id>")
def kiosk(period_id: int):
    return _page(_period_or_404(period_id))


def _answer(name: str) -> int | None:
    raw = request.form.get(name, "").strip()
    if not raw:
        return None
    return int(raw) if raw.isdigit() else -1


def _choice(name: str, enum_cls):
    raw = request.form.get(name, "")
    return enum_cls(raw) if raw in enum_cls._value2member_map_ else None


@kiosk_bp.post("/survei/<int:period_id>")
def submit(period_id: int):
    period = _period_or_404(period_id)
    with attempt():  # the hit counts even when the answers are refused
        limited = verification.rate_limited(f"skm:{request.remote_addr}", current_app.config["SKM_KIOSK_RATE_LIMIT"])
    if limited:
        return _page(period, 429, flood=FLOOD_MESSAGE)
    answers = [_answer(f"u{i}") for i in range(1, 10)]
    chosen = {k: v for k, v in request.form.items() if k != "csrf_token"}
    demo = surveys.Demographics(*(_choice(name, enum_cls) for name, _, enum_cls in DEMOGRAPHICS))
    with attempt(flash_category=None) as done:
        surveys.add_response(
            period, answers, ResponseSource.KIOSK, demo, submission_key=submitted_idempotency_key("skm")
        )
    if not done:
        return _page(period, 422, error=done.message, error_field=done.field, chosen=chosen)
    return redirect(url_for("skm_kiosk.thanks", period_id=period.id), 303)


@kiosk_bp.get("/survei/<int:period_id>/terima-kasih")
def thanks(period_id: int):
    period = _period_or_404(period_id)
    return render_template("skm/kiosk_thanks.html", period=period)
