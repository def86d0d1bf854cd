"""The request lifecycle helper: commit once on success; roll back and report a domain error or a conflict."""

from __future__ import annotations

import pytest
from flask import get_flashed_messages
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from wtforms import StringField

from kinerja_web.domain import DomainError
from kinerja_web.extensions import db
from kinerja_web.forms import BaseForm
from kinerja_web.models import Employee, Unit
from kinerja_web.web import CONFLICT_MESSAGE, attempt


class NameForm(BaseForm):
    class Meta:
        csrf = False

    name = StringField()


def _unit_named(name: str) -> Unit | None:
    return db.session.scalar(select(Unit).where(Unit.name == name))


def _bump_version(emp: Employee) -> None:
    """Another user saved the row meanwhile (a plain UPDATE: the loaded object keeps its old version)."""
    t = Employee.__table__
    db.session.execute(update(t).where(t.c.id == emp.id).values(version_id=t.c.version_id + 1))


def test_success_commits_once_and_is_truthy(app, make_unit):
    unit = make_unit("Sebelum")
    with app.test_request_context(), attempt() as done:
        unit.name = "Sesudah"
    assert done and not done.failed and done.message is None
    db.session.expire_all()
    assert _unit_named("Sesudah") is not None


def test_domain_error_rolls_back_and_flashes_to_pesan(app, make_unit):
    unit = make_unit("Tetap")
    with app.test_request_context():
        with attempt() as done:
            unit.name = "Berubah"
            db.session.flush()
            raise DomainError("Aturan dilanggar.")
        assert not done and done.message == "Aturan dilanggar."
        assert get_flashed_messages(with_categories=True) == [("error", "Aturan dilanggar.")]
    db.session.expire_all()
    assert _unit_named("Tetap") is not None and _unit_named("Berubah") is None


def test_domain_error_goes_on_the_named_field_and_keeps_what_was_typed(app):
    with app.test_request_context(method="POST", data={"name": "ketikan pengguna"}):
        form = NameForm()
        with attempt(form) as done:
            raise DomainError("Nama sudah dipakai.", field="name")
        assert not done and done.field == "name"
        assert form.name.errors == ["Nama sudah dipakai."]
        assert form.name.data == "ketikan pengguna"
        assert get_flashed_messages() == []  # on the field, not twice


def test_domain_error_without_a_known_field_is_a_form_error(app):
    with app.test_request_context(method="POST"):
        form = NameForm()
        with attempt(form):
            raise DomainError("Periode sudah ditutup.", field="tidak_ada")
        assert form.form_errors == ["Periode sudah ditutup."]


def test_no_flash_when_the_caller_shows_the_message_itself(app):
    with app.test_request_context():
        with attempt(flash_category=None) as done:
            raise DomainError("Baris 3 salah.")
        assert done.message == "Baris 3 salah." and get_flashed_messages() == []


def test_stale_row_is_a_conflict_with_the_areas_message(app, make_employee):
    emp = make_employee("Pegawai Versi")
    _bump_version(emp)
    with app.test_request_context():
        with attempt(conflict="Data pegawai ini telah diubah.") as done:
            emp.name = "Tulisan Saya"
        assert not done and done.conflict and done.message == "Data pegawai ini telah diubah."
        assert get_flashed_messages() == ["Data pegawai ini telah diubah."]
    db.session.expire_all()
    assert db.session.get(Employee, emp.id).name == "Pegawai Versi"


def test_default_conflict_message_is_indonesian(app, make_employee):
    emp = make_employee("Pegawai Dua")
    _bump_version(emp)
    with app.test_request_context():
        with attempt() as done:
            emp.name = "Lain"
    assert done.message == CONFLICT_MESSAGE and "telah diubah" in CONFLICT_MESSAGE


def test_integrity_error_is_a_bug_unless_the_view_says_it_is_a_race(app, make_unit):
    make_unit("Kembar", code="SAMA")
    with app.test_request_context():
        with pytest.raises(IntegrityError), attempt():
            db.session.add(Unit(code="SAMA", name="Kembar 2", kind=make_unit().kind))
        db.session.rollback()
        with attempt(conflict_on_integrity=True) as done:
            db.session.add(Unit(code="SAMA", name="Kembar 3", kind=make_unit().kind))
        assert done.conflict


def test_other_exceptions_propagate(app):
    with app.test_request_context(), pytest.raises(ZeroDivisionError), attempt():
        _ = 1 / 0
