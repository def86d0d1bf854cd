"""Who may do what in payroll: operator prepares, verifikator verifies, pejabat approves, employees see only
their own final slips, everyone else gets 403/404."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from kinerja_web import access
from kinerja_web.blueprints.payroll import services
from kinerja_web.extensions import db
from kinerja_web.models import PayrollPredikat, PayrollRun, RunStatus
from tests.web.test_payroll_flow import as_user

OCT = date(2026, 10, 1)


@pytest.fixture
def computed(org_chart):
    services.seed_rules()
    ns = org_chart
    for e in (ns.head, ns.kabid, ns.kasi, ns.staff1, ns.staff2, ns.other):
        e.ptkp_status = "TK/0"
        db.session.add(PayrollPredikat(employee_id=e.id, month=OCT, predikat="baik", source="uji"))
    db.session.commit()
    ns.run = services.create_run(OCT, None, ns.u_operator)
    services.compute_run(ns.run, ns.u_operator)
    db.session.commit()
    return ns


ROLES = ("u_staff", "u_kasi", "u_hr", "u_operator", "u_verifikator", "u_pejabat", "u_admin")


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/gaji/", {"u_hr", "u_operator", "u_verifikator", "u_pejabat", "u_admin"}),
        ("/gaji/run/{run}", {"u_hr", "u_operator", "u_verifikator", "u_pejabat", "u_admin"}),
        ("/gaji/run/{run}/varians", {"u_hr", "u_operator", "u_verifikator", "u_pejabat", "u_admin"}),
        ("/gaji/run/{run}/daftar", {"u_hr", "u_operator", "u_verifikator", "u_pejabat", "u_admin"}),
        ("/gaji/kehadiran", {"u_hr", "u_operator", "u_admin"}),
        ("/gaji/status-tpp", {"u_hr", "u_operator", "u_admin"}),
        ("/gaji/status-tpp?month=2026-10&opd={opd}", {"u_hr", "u_operator", "u_admin"}),
        ("/gaji/aturan", {"u_admin"}),
        ("/gaji/saya", {"u_staff", "u_kasi"}),
    ],
)
def test_payroll_pages_by_role(app, computed, path, allowed):
    for role in ROLES:
        resp = as_user(app, getattr(computed, role)).get(path.format(run=computed.run.id, opd=computed.opd.id))
        assert resp.status_code == (200 if role in allowed else 403), (role, path)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("hitung", {"u_operator"}),
        ("verifikasi", {"u_verifikator"}),
    ],
)
def test_only_the_right_role_may_act_on_a_run(app, computed, url, allowed):
    for role in ROLES:
        if role in allowed:
            continue
        user = getattr(computed, role)
        resp = as_user(app, user).post(f"/gaji/run/{computed.run.id}/{url}", follow_redirects=True)
        if user.id == computed.run.prepared_by_id:  # the preparer is told why (maker-checker), nothing changes
            assert "tiga orang berbeda" in resp.text
        else:
            assert resp.status_code == 403, (role, url)
    db.session.refresh(computed.run)
    assert computed.run.status == RunStatus.DIHITUNG


def test_slips_hr_and_finance_see_all_employees_their_own_after_final_others_404(app, computed):
    ns, run = computed, computed.run
    url = f"/gaji/run/{run.id}/pegawai/{ns.staff1.id}"
    assert as_user(app, ns.u_hr).get(url).status_code == 200
    assert as_user(app, ns.u_verifikator).get(url).status_code == 200
    assert as_user(app, ns.u_staff).get(url).status_code == 404  # not final yet
    assert as_user(app, ns.u_kasi).get(url).status_code == 404  # the atasan does not see pay
    for step, who in (("verify", ns.u_verifikator), ("approve", ns.u_pejabat), ("finalise", ns.u_pejabat)):
        services.transition(run, step, who)
    db.session.commit()
    assert as_user(app, ns.u_staff).get(url).status_code == 200
    assert as_user(app, ns.u_other).get(url).status_code == 404


def test_access_rules_for_maker_checker_approver(computed):
    ns, run = computed, computed.run
    assert access.can_verify_run(ns.u_verifikator, run)
    assert not access.can_verify_run(ns.u_operator, run)
    run.verified_by_id = ns.u_verifikator.id
    assert access.can_approve_run(ns.u_pejabat, run)
    assert not access.can_approve_run(ns.u_verifikator, run)
    assert not access.can_edit_run(ns.u_operator, PayrollRun(status=RunStatus.FINAL))
    assert db.session.scalar(select(PayrollRun.id)) == run.id


def test_only_finance_operator_and_hr_record_or_end_tpp_status_periods(app, computed):
    from kinerja_web.models import PayrollStatusPeriod

    ns = computed
    period = PayrollStatusPeriod(
        employee_id=ns.staff1.id, kind="TUGAS_BELAJAR", mulai=date(2026, 9, 1), dasar="SK 1", alasan=""
    )
    db.session.add(period)
    db.session.commit()
    form = {"nip": ns.other.nip, "kind": "HUKDIS_RINGAN", "mulai": "2026-10-01", "dasar": "SK 2"}
    for role in ROLES:
        client = as_user(app, getattr(ns, role))
        add = client.post("/gaji/status-tpp", data=form)
        end = client.post(f"/gaji/status-tpp/{period.id}/akhiri", data={"sampai": "2026-12-31"})
        if role in ("u_hr", "u_operator", "u_admin"):
            assert end.status_code == 303, role
            assert add.status_code == (303 if role == "u_hr" else 422), role  # then refused as an overlap
        else:
            assert (add.status_code, end.status_code) == (403, 403), role
    assert (
        as_user(app, ns.u_operator).post("/gaji/status-tpp/999999/akhiri", data={"sampai": "2026-12-31"}).status_code
        == 404
    )
    assert db.session.scalar(select(func.count(PayrollStatusPeriod.id))) == 2
