"""Linking an SKP indikator (IKI) to a measured public-service signal."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .... import access
from ....extensions import db
from ....models import Indikator
from ....services.public_service import iki_links, signals
from ....web import attempt
from .. import bp


def _load(indikator_id: int):
    iki = db.session.get(Indikator, indikator_id)
    if iki is None:
        abort(404)
    skp = access.get_skp_or_404(iki.rhk.skp_id, current_user)
    access.require(access.can_link_signal(current_user, skp))
    return iki, skp


@bp.route("/iki/<int:indikator_id>/sinyal", methods=["GET", "POST"])
@login_required
def iki_signal(indikator_id: int):
    iki, skp = _load(indikator_id)
    choices = signals.choices_for(skp.employee)
    error = None
    if request.method == "POST":
        with attempt(flash_category=None) as done:
            link = iki_links.set_link(iki, request.form.get("sinyal", ""), choices, current_user)
        if done:
            flash("IKI ditautkan ke sinyal layanan." if link else "Tautan sinyal dilepas.", "success")
            return redirect(url_for("skp.realisasi", skp_id=skp.id, _anchor=f"iki-{iki.id}"), 303)
        error = done.message
    current = iki_links.links_of(skp).get(iki.id)
    return render_template(
        "public_service/iki_signal.html",
        iki=iki,
        skp=skp,
        choices=choices,
        current_key=f"{current.kind.value}:{current.ref_id}" if current else "",
        error=error,
    ), (422 if error else 200)
