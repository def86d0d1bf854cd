"""Authorization matrix: (who × route) → status, including ids changed in the URL.

Anonymous users are sent to /masuk; 403 where the page exists and may be known but the action is not
allowed; 404 where even existence is private (another user's notification).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from kinerja_web import access
from kinerja_web.extensions import db
from kinerja_web.models import Notification, Role

from ..helpers import Route, employee_form_data
from ..skp_fixtures import make_period

ACTORS = ["anon", "staff", "kasi", "other", "hr", "operator", "verifikator", "pejabat", "admin", "pimpinan"]
LOGGED_IN = set(ACTORS) - {"anon"}
HR = {"hr", "admin"}
FINANCE = {"operator", "verifikator", "pejabat"}
# The leadership dashboards: HR and the read-only pimpinan (scoped to their units); the TPP one finance too.
DASHBOARD_READERS = HR | {"pimpinan"}


ROUTES = [
    Route("dashboard", "GET", lambda ns: "/", 200, frozenset(LOGGED_IN)),
    Route("directory", "GET", lambda ns: "/pegawai/", 200, frozenset(LOGGED_IN)),
    Route("profile of staff", "GET", lambda ns: f"/pegawai/{ns.staff1.id}", 200, frozenset(LOGGED_IN)),
    Route("profile of a missing employee", "GET", lambda ns: "/pegawai/999999", 404, frozenset(), 404),
    Route("edit employee form", "GET", lambda ns: f"/pegawai/{ns.staff1.id}/ubah", 200, frozenset(HR)),
    Route(
        "edit employee save",
        "POST",
        lambda ns: f"/pegawai/{ns.staff1.id}/ubah",
        303,
        frozenset(HR),
        data=employee_form_data,
    ),
    Route("edit a missing employee", "GET", lambda ns: "/pegawai/999999/ubah", 404, frozenset(), 404),
    Route("new employee form", "GET", lambda ns: "/pegawai/baru", 200, frozenset(HR)),
    Route(
        "new employee save",
        "POST",
        lambda ns: "/pegawai/baru",
        422,
        frozenset(HR),
        data=lambda ns: {"action": "simpan"},
    ),
    Route("validate field", "POST", lambda ns: "/pegawai/validasi", 204, frozenset(HR), data=lambda ns: {"nip": "1"}),
    Route("org tree", "GET", lambda ns: "/organisasi/", 200, frozenset(LOGGED_IN)),
    Route("org unit", "GET", lambda ns: f"/organisasi/unit/{ns.opd.id}", 200, frozenset(LOGGED_IN)),
    Route("missing org unit", "GET", lambda ns: "/organisasi/unit/999999", 404, frozenset(), 404),
    Route("data quality", "GET", lambda ns: "/organisasi/kualitas-data", 200, frozenset(HR)),
    Route("admin users", "GET", lambda ns: "/admin/pengguna", 200, frozenset(HR)),
    Route("admin user detail", "GET", lambda ns: f"/admin/pengguna/{ns.u_staff.id}", 200, frozenset(HR)),
    Route(
        "admin user detail save",
        "POST",
        lambda ns: f"/admin/pengguna/{ns.u_staff.id}",
        303,
        frozenset(HR),
        data=lambda ns: {"role_pegawai": "1", "active": "1"},
    ),
    Route(
        "admin reset password",
        "POST",
        lambda ns: f"/admin/pengguna/{ns.u_staff.id}/atur-ulang-sandi",
        200,
        frozenset(HR),
    ),
    # Separation of duties: HR may not take over a finance account by resetting its password.
    Route(
        "admin reset password of a finance operator",
        "POST",
        lambda ns: f"/admin/pengguna/{ns.u_operator.id}/atur-ulang-sandi",
        200,
        frozenset({"admin"}),
    ),
    Route(
        "admin reset password of a verifikator",
        "POST",
        lambda ns: f"/admin/pengguna/{ns.u_verifikator.id}/atur-ulang-sandi",
        200,
        frozenset({"admin"}),
    ),
    Route(
        "admin reset password of a pejabat keuangan",
        "POST",
        lambda ns: f"/admin/pengguna/{ns.u_pejabat.id}/atur-ulang-sandi",
        200,
        frozenset({"admin"}),
    ),
    Route("admin create account", "POST", lambda ns: f"/admin/pengguna/buat/{ns.staff2.id}", 200, frozenset(HR)),
    Route("admin audit", "GET", lambda ns: "/admin/audit", 200, frozenset(HR)),
    Route(
        "go-live readiness checklist",
        "GET",
        lambda ns: "/admin/kesiapan",
        200,
        frozenset(HR | {"operator", "verifikator", "pejabat"}),
    ),
    Route("notifications", "GET", lambda ns: "/notifikasi/", 200, frozenset(LOGGED_IN)),
    Route(
        "mark own notification read", "POST", lambda ns: f"/notifikasi/{ns.own_note.id}/baca", 303, frozenset(LOGGED_IN)
    ),
    Route(
        "mark another user's notification read",
        "POST",
        lambda ns: f"/notifikasi/{ns.foreign_note.id}/baca",
        404,
        frozenset(),
        404,
    ),
    Route("mark all notifications read", "POST", lambda ns: "/notifikasi/baca-semua", 303, frozenset(LOGGED_IN)),
    Route(
        "family of staff",
        "GET",
        lambda ns: f"/pegawai/{ns.staff1.id}/keluarga",
        200,
        frozenset({"staff", "hr", "admin", "operator", "verifikator", "pejabat"}),
    ),
    Route(
        "add family member",
        "POST",
        lambda ns: f"/pegawai/{ns.staff1.id}/keluarga",
        303,
        frozenset(HR),
        data=lambda ns: {"relation": "anak", "name": "Anak Uji", "birth_date": "2020-01-01", "receives_allowance": "y"},
    ),
    Route(
        "delete a missing family member",
        "POST",
        lambda ns: f"/pegawai/{ns.staff1.id}/keluarga/999999/hapus",
        404,
        frozenset(HR),
    ),
    Route("edit post form", "GET", lambda ns: f"/organisasi/jabatan/{ns.p_kasi.id}", 200, frozenset(HR)),
    Route("missing post", "GET", lambda ns: "/organisasi/jabatan/999999", 404, frozenset(), 404),
    Route("new post form", "GET", lambda ns: f"/organisasi/unit/{ns.opd.id}/jabatan-baru", 200, frozenset(HR)),
    Route("new sub-unit form", "GET", lambda ns: f"/organisasi/unit/{ns.opd.id}/sub-unit-baru", 200, frozenset(HR)),
    Route(
        "add an appointment without data",
        "POST",
        lambda ns: f"/organisasi/jabatan/{ns.p_kasi.id}/penugasan",
        422,
        frozenset(HR),
        data=lambda ns: {},
    ),
    Route(
        "end an appointment",
        "POST",
        lambda ns: f"/organisasi/penugasan/{ns.kasi.assignments[0].id}/akhiri",
        303,
        frozenset(HR),
        data=lambda ns: {"end_date": "2026-12-31"},
    ),
    Route("import upload form", "GET", lambda ns: "/pegawai/impor", 200, frozenset(HR)),
    Route("import template", "GET", lambda ns: "/pegawai/impor/templat.csv", 200, frozenset(HR)),
    Route("import preview with an unknown token", "GET", lambda ns: "/pegawai/impor/tidak-ada", 303, frozenset(HR)),
    Route("import confirm with an unknown token", "POST", lambda ns: "/pegawai/impor/tidak-ada", 303, frozenset(HR)),
    Route("import job that does not exist", "GET", lambda ns: "/pegawai/impor/pekerjaan/999999", 404, frozenset(HR)),
    Route(
        "retry an import job that does not exist",
        "POST",
        lambda ns: "/pegawai/impor/pekerjaan/999999/ulangi",
        404,
        frozenset(HR),
    ),
    Route("predikat heat map", "GET", lambda ns: "/penilaian-kinerja/dasbor/", 200, frozenset(DASHBOARD_READERS)),
    Route(
        "predikat heat map xlsx",
        "GET",
        lambda ns: f"/penilaian-kinerja/dasbor/predikat.xlsx?periode={ns.period.id}",
        200,
        frozenset(DASHBOARD_READERS),
    ),
    Route("360 progress", "GET", lambda ns: "/penilaian-kinerja/dasbor/360", 200, frozenset(DASHBOARD_READERS)),
    Route("TPP spend vs pagu", "GET", lambda ns: "/gaji/dasbor", 200, frozenset(DASHBOARD_READERS | FINANCE)),
    Route("TPP dashboard xlsx", "GET", lambda ns: "/gaji/dasbor.xlsx", 200, frozenset(DASHBOARD_READERS | FINANCE)),
    Route("pagu TPP form", "GET", lambda ns: "/gaji/pagu-tpp", 200, frozenset(HR | FINANCE)),
    Route(
        "pagu TPP save",
        "POST",
        lambda ns: "/gaji/pagu-tpp",
        303,
        frozenset(HR | FINANCE),
        data=lambda ns: {"opd_id": ns.opd.id, "year": 2026, "amount": "1.000.000"},
    ),
    Route("JP coverage", "GET", lambda ns: "/pengembangan/dasbor", 200, frozenset(DASHBOARD_READERS)),
    Route("JP coverage xlsx", "GET", lambda ns: "/pengembangan/dasbor.xlsx", 200, frozenset(DASHBOARD_READERS)),
    Route("referral outcomes", "GET", lambda ns: "/pengembangan/efektivitas", 200, frozenset(DASHBOARD_READERS)),
    Route(
        "referral outcomes xlsx", "GET", lambda ns: "/pengembangan/efektivitas.xlsx", 200, frozenset(DASHBOARD_READERS)
    ),
    Route("referral queue (HR work)", "GET", lambda ns: "/pengembangan/antrean", 200, frozenset(HR)),
    Route("SKP monitoring (HR work)", "GET", lambda ns: "/skp/pemantauan", 200, frozenset(HR)),
    Route("account page", "GET", lambda ns: "/akun", 200, frozenset(LOGGED_IN)),
    Route("set new password page", "GET", lambda ns: "/akun/kata-sandi-baru", 200, frozenset(LOGGED_IN)),
    Route("sign out everywhere", "POST", lambda ns: "/akun/keluar-semua", 303, frozenset(LOGGED_IN)),
    Route(
        "appraiser on a date",
        "GET",
        lambda ns: f"/pegawai/{ns.staff1.id}/pejabat-penilai",
        200,
        frozenset({"staff"} | HR),
    ),
    Route(
        "own change history",
        "GET",
        lambda ns: f"/pegawai/{ns.staff1.id}/riwayat-perubahan",
        200,
        frozenset({"staff"} | HR),
    ),
    # A form target reloaded (GET) leads to the page with the form (303), which applies its own rules.
    *(
        Route(f"reload: {name}", "GET", path, 303, frozenset(allowed))
        for name, path, allowed in [
            ("sign out", lambda ns: "/keluar", LOGGED_IN),
            ("sign out everywhere", lambda ns: "/akun/keluar-semua", LOGGED_IN),
            ("validate field", lambda ns: "/pegawai/validasi", LOGGED_IN),
            ("delete family member", lambda ns: f"/pegawai/{ns.staff1.id}/keluarga/1/hapus", LOGGED_IN),
            ("retry import", lambda ns: "/pegawai/impor/pekerjaan/1/ulangi", LOGGED_IN),
            ("add assignment", lambda ns: f"/organisasi/jabatan/{ns.p_kasi.id}/penugasan", LOGGED_IN),
            ("end assignment", lambda ns: f"/organisasi/penugasan/{ns.kasi.assignments[0].id}/akhiri", HR),
            ("create account", lambda ns: f"/admin/pengguna/buat/{ns.staff2.id}", LOGGED_IN),
            ("reset password", lambda ns: f"/admin/pengguna/{ns.u_staff.id}/atur-ulang-sandi", LOGGED_IN),
            ("mark a notification read", lambda ns: f"/notifikasi/{ns.own_note.id}/baca", LOGGED_IN),
            ("mark all notifications read", lambda ns: "/notifikasi/baca-semua", LOGGED_IN),
        ]
    ),
]


def _user_of(org_chart, actor: str):
    return None if actor == "anon" else getattr(org_chart, f"u_{actor}")


@pytest.fixture
def world(org_chart, make_user):
    stranger = make_user("asing1", {Role.PEGAWAI})
    foreign = Notification(user_id=stranger.id, kind="uji", message="Pesan milik orang lain")
    db.session.add(foreign)
    db.session.flush()
    ns = SimpleNamespace(**vars(org_chart))
    ns.foreign_note = foreign
    ns.period = make_period()
    # A Kepala OPD granted the read-only pimpinan role over their OPD (an account without an employee record,
    # so nothing but the role opens pages to it).
    ns.u_pimpinan = make_user("pimpinan1", {Role.PIMPINAN})
    ns.u_pimpinan.set_pimpinan_unit(org_chart.opd.id)
    db.session.commit()
    return ns


def _client(app, world, actor):
    user = _user_of(world, actor)
    if user is not None:
        world.own_note = Notification(user_id=user.id, kind="uji", message="Pesan untuk saya")
        db.session.add(world.own_note)
        db.session.flush()
        return app.test_client(user=user)
    world.own_note = SimpleNamespace(id=1)
    return app.test_client()


def _expected(route: Route, actor: str) -> int | str:
    if actor == "anon":
        return "login"
    return route.ok if actor in route.allowed else route.denied


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_route_answers_each_actor_as_the_rules_say(app, world, route, actor):
    client = _client(app, world, actor)
    path = route.path(world)
    data = route.data(world) if route.data else {}
    r = client.open(path, method=route.method, data=data if route.method == "POST" else None)
    expected = _expected(route, actor)
    if expected == "login":
        assert r.status_code == 302
        assert r.headers["Location"].split("?")[0].endswith("/masuk")
    else:
        assert r.status_code == expected, r.get_data(as_text=True)[:500]


def test_every_registered_route_is_in_the_matrix(app):
    covered = {"auth.login", "auth.logout", "static"} | {
        app.url_map.bind("kinerja.test").match(r.path(_Dummy()).split("?")[0], method=r.method)[0] for r in ROUTES
    }
    # Each feature area keeps its own matrix next to its tests (SKP, penilaian 360, …); this one covers
    # the foundation's blueprints, and fails when a foundation route is added without a row here.
    foundation = {"auth", "dashboard", "employees", "org", "admin", "notifications"}
    registered = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.split(".")[0] in foundation}
    assert registered <= covered, registered - covered


class _Dummy:
    """Stands in for the world when only the URL shape matters."""

    def __getattr__(self, name):
        return SimpleNamespace(id=1, nip="x", version_id=1, assignments=[SimpleNamespace(id=1)])


# --- which parts of a profile each actor sees --------------------------------------------------------

PROFILE_SECTIONS = {
    # actor: (work data, private data) on staff1's profile
    "staff": (True, True),  # self
    "kasi": (True, False),  # atasan: work data, not private data
    "other": (False, False),
    "hr": (True, True),
    "operator": (True, True),
    "verifikator": (True, True),
    "pejabat": (True, True),
    "admin": (True, True),
}


@pytest.mark.parametrize("actor", sorted(PROFILE_SECTIONS))
def test_profile_shows_work_and_private_data_only_to_those_allowed(app, org_chart, actor):
    body = app.test_client(user=_user_of(org_chart, actor)).get(f"/pegawai/{org_chart.staff1.id}").get_data(True)
    work, private = PROFILE_SECTIONS[actor]
    assert ("Riwayat jabatan" in body) is work
    assert ("Atasan (hari ini)" in body) is work
    assert ("Data pribadi" in body) is private
    assert ("Status PTKP" in body) is private


def test_head_of_opd_sees_work_data_of_staff_three_levels_down(app, org_chart, make_user):
    boss = make_user("kepala1", {Role.PEGAWAI}, org_chart.head)
    body = app.test_client(user=boss).get(f"/pegawai/{org_chart.staff1.id}").get_data(True)
    assert "Riwayat jabatan" in body
    assert "Data pribadi" not in body


def test_staff_does_not_see_work_data_of_their_own_atasan(app, org_chart):
    body = app.test_client(user=org_chart.u_staff).get(f"/pegawai/{org_chart.kasi.id}").get_data(True)
    assert "Riwayat jabatan" not in body


# --- templates ask the same functions as the views ---------------------------------------------------


def test_templates_use_the_access_module_functions(app):
    for name in ("can_edit_employee", "can_reset_password", "can_assign_role", "is_hr"):
        assert app.jinja_env.globals[name] is getattr(access, name)


@pytest.mark.parametrize("actor", sorted(PROFILE_SECTIONS))
def test_edit_button_on_a_profile_appears_only_for_hr(app, org_chart, actor):
    body = app.test_client(user=_user_of(org_chart, actor)).get(f"/pegawai/{org_chart.staff1.id}").get_data(True)
    assert ("Ubah data" in body) is (actor in HR)


@pytest.mark.parametrize("actor", sorted(PROFILE_SECTIONS))
def test_add_employee_button_in_the_directory_appears_only_for_hr(app, org_chart, actor):
    body = app.test_client(user=_user_of(org_chart, actor)).get("/pegawai/").get_data(True)
    assert ("Tambah pegawai" in body) is (actor in HR)


@pytest.mark.parametrize("actor", sorted(PROFILE_SECTIONS))
def test_menu_lists_admin_pages_only_for_hr(app, org_chart, actor):
    body = app.test_client(user=_user_of(org_chart, actor)).get("/").get_data(True)
    for label in ("Kualitas Data", "Akun Pengguna", "Log Audit"):
        assert (f">{label}</a>" in body) is (actor in HR)
    assert ">Direktori Pegawai</a>" in body


def test_reset_password_button_is_hidden_from_hr_on_an_administrator_account(app, org_chart):
    body = app.test_client(user=org_chart.u_hr).get(f"/admin/pengguna/{org_chart.u_admin.id}").get_data(True)
    assert "Atur ulang kata sandi" not in body


def test_finance_role_boxes_are_disabled_for_hr(app, org_chart):
    body = app.test_client(user=org_chart.u_hr).get(f"/admin/pengguna/{org_chart.u_staff.id}").get_data(True)
    assert 'name="role_operator_keuangan" value="1" disabled' in body
    assert 'name="role_pegawai" value="1" checked>' in body
