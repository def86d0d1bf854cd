"""Who may do what in payroll: operator prepares, verifikator verifies, pejabat approves, employees see only
their own final slips, everyone else gets 403/404."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from kinerja_web import access
from kinerja_web.domain import DomainError
from kinerja_web.domain.payroll.separation import RunPart
from kinerja_web.extensions import db
from kinerja_web.models import PayrollPredikat, PayrollRun, PayrollRunContributor, Role, RunStatus
from kinerja_web.services.payroll import compute, rules, runs
from tests.web.payroll.test_payroll_flow import as_user, post_csv

OCT = date(2026, 10, 1)


@pytest.fixture
def computed(org_chart):
    rules.seed_rules()
    ns = org_chart
    for e in (ns.head, ns.kabid, ns.kasi, ns.staff1, ns.staff2, ns.other):
        e.ptkp_status = "TK/0"
        db.session.add(PayrollPredikat(employee_id=e.id, month=OCT, predikat="baik", source="uji"))
    db.session.commit()
    ns.run = runs.create_run(OCT, None, ns.u_operator)
    compute.compute_run(ns.run, ns.u_operator)
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
        # Finance and HR read the rule tables (issue 19 item 3); only the administrator adds versions.
        ("/gaji/aturan", {"u_hr", "u_operator", "u_verifikator", "u_pejabat", "u_admin"}),
        ("/gaji/aturan/tpp_pagu", {"u_hr", "u_operator", "u_verifikator", "u_pejabat", "u_admin"}),
        ("/gaji/aturan/tpp_pagu/formulir", {"u_admin"}),
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
        ("kembalikan", {"u_verifikator"}),
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
        runs.transition(run, step, who)
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


# --- separation of duties: one person in two payroll roles (or HR entering the inputs) -------------------
# Whoever prepared, computed or recomputed a run, or entered the inputs its computation used, may not verify,
# approve or finalise it; the verifier may not approve it. Each row: the two roles of one account, what it
# does to the run first, the step it then tries, and what it is told. The role holder who had no hand in
# the run then takes the same step.

OP, VER, PEJ, HR_ROLE = Role.OPERATOR_KEUANGAN, Role.VERIFIKATOR_KEUANGAN, Role.PEJABAT_KEUANGAN, Role.ADMIN_KEPEGAWAIAN
STEP_OF = {"verifikasi": "verify", "setujui": "approve", "final": "finalise"}
ROLE_HOLDER = {"verifikasi": "u_verifikator", "setujui": "u_pejabat", "final": "u_pejabat"}


def _first_act(app, ns, client, act: str) -> None:
    run = ns.run
    if act == "recompute":
        assert client.post(f"/gaji/run/{run.id}/hitung").status_code == 303
        return
    if act == "attendance":
        resp = post_csv(
            client, "/gaji/kehadiran/impor", f"nip,tanggal,terlambat_menit\n{ns.staff1.nip},2026-10-05,40\n"
        )
    elif act == "predikat":
        resp = post_csv(client, "/gaji/predikat/impor", f"nip,predikat\n{ns.staff1.nip},butuh_perbaikan\n")
    elif act == "status":
        form = {"nip": ns.other.nip, "kind": "HUKDIS_RINGAN", "mulai": "2026-10-01", "dasar": "SK 9"}
        resp = client.post("/gaji/status-tpp", data=form)
    elif act == "verify":
        assert client.post(f"/gaji/run/{run.id}/verifikasi").status_code == 303
        return
    assert resp.status_code == 303, resp.text
    assert as_user(app, ns.u_operator).post(f"/gaji/run/{run.id}/hitung").status_code == 303  # the run uses them


def _advance_to(ns, step: str) -> None:
    db.session.refresh(ns.run)
    if step in ("setujui", "final") and ns.run.status == RunStatus.DIHITUNG:
        runs.transition(ns.run, "verify", ns.u_verifikator)
    if step == "final":
        runs.transition(ns.run, "approve", ns.u_pejabat)
    db.session.commit()


@pytest.mark.parametrize(
    ("roles", "act", "step", "told"),
    [
        (
            {OP, VER},
            "recompute",
            "verifikasi",
            "Anda telah menghitung proses penggajian ini; verifikasi harus oleh orang lain",
        ),
        (
            {OP, PEJ},
            "recompute",
            "setujui",
            "Anda telah menghitung proses penggajian ini; persetujuan harus oleh orang lain",
        ),
        (
            {OP, PEJ},
            "recompute",
            "final",
            "Anda telah menghitung proses penggajian ini; finalisasi harus oleh orang lain",
        ),
        ({HR_ROLE, VER}, "attendance", "verifikasi", "Anda mengimpor atau mengoreksi data kehadiran yang dipakai"),
        (
            {HR_ROLE, PEJ},
            "predikat",
            "setujui",
            "Anda mengisi predikat kinerja yang dipakai proses penggajian ini; persetujuan",
        ),
        (
            {HR_ROLE, VER},
            "status",
            "verifikasi",
            "Anda mencatat status TPP yang dipakai proses penggajian ini; verifikasi",
        ),
        (
            {VER, PEJ},
            "verify",
            "setujui",
            "Anda telah memverifikasi proses penggajian ini; persetujuan harus oleh orang lain",
        ),
    ],
    ids=[
        "operator+verifikator recomputes then verifies",
        "operator+pejabat recomputes then approves",
        "operator+pejabat recomputes then finalises",
        "HR+verifikator imports attendance then verifies",
        "HR+pejabat imports predikat then approves",
        "HR+verifikator records a TPP status then verifies",
        "verifikator+pejabat verifies then approves",
    ],
)
def test_same_person_in_two_payroll_roles_is_refused_the_second(app, computed, make_user, roles, act, step, told):
    ns, run = computed, computed.run
    dual = make_user("ganda1", roles)
    client = as_user(app, dual)
    _first_act(app, ns, client, act)
    _advance_to(ns, step)
    before = run.status
    resp = client.post(f"/gaji/run/{run.id}/{step}", follow_redirects=True)
    assert resp.status_code == 200 and told in resp.text
    db.session.refresh(run)
    assert run.status == before
    page = client.get(f"/gaji/run/{run.id}").text  # no button; the page says why
    assert f"/gaji/run/{run.id}/{step}" not in page and told in page
    with pytest.raises(DomainError, match=told.split(";")[0]):  # the service that performs it refuses too
        runs.transition(run, STEP_OF[step], dual)
    db.session.rollback()
    holder = as_user(app, getattr(ns, ROLE_HOLDER[step]))
    assert holder.post(f"/gaji/run/{run.id}/{step}").status_code == 303
    db.session.refresh(run)
    assert run.status != before


def test_run_records_everyone_who_computed_it_and_whose_inputs_it_used(app, computed, make_user):
    ns, run = computed, computed.run
    op2 = make_user("op2", {OP})
    post_csv(
        as_user(app, ns.u_hr), "/gaji/kehadiran/impor", f"nip,tanggal,terlambat_menit\n{ns.staff1.nip},2026-10-05,40\n"
    )
    assert as_user(app, op2).post(f"/gaji/run/{run.id}/hitung").status_code == 303
    db.session.refresh(run)
    assert {(c.user_id, c.part) for c in run.contributors} == {
        (ns.u_operator.id, RunPart.COMPUTED),
        (op2.id, RunPart.COMPUTED),
        (ns.u_hr.id, RunPart.ATTENDANCE),
    }
    page = as_user(app, ns.u_verifikator).get(f"/gaji/run/{run.id}").text
    assert "Dihitung oleh" in page and "op2" in page


def test_inputs_the_run_no_longer_uses_do_not_bar_their_maker(app, computed, make_user):
    """The HR officer's attendance row is corrected by the operator and the run recomputed: the run no longer
    uses anything the officer entered, so the officer (also a verifikator) may verify it."""
    ns, run = computed, computed.run
    hr_ver = make_user("hrver1", {HR_ROLE, VER})
    post_csv(
        as_user(app, hr_ver), "/gaji/kehadiran/impor", f"nip,tanggal,terlambat_menit\n{ns.staff1.nip},2026-10-05,40\n"
    )
    op = as_user(app, ns.u_operator)
    assert op.post(f"/gaji/run/{run.id}/hitung").status_code == 303
    assert not access.can_verify_run(hr_ver, db.session.get(PayrollRun, run.id))
    fix = {"nip": ns.staff1.nip, "tanggal": "2026-10-05", "terlambat_menit": "0", "reason": "Salah impor"}
    assert op.post("/gaji/kehadiran/koreksi", data=fix).status_code == 303
    assert op.post(f"/gaji/run/{run.id}/hitung").status_code == 303
    assert as_user(app, hr_ver).post(f"/gaji/run/{run.id}/verifikasi").status_code == 303
    db.session.refresh(run)
    assert run.status == RunStatus.DIVERIFIKASI
    assert db.session.query(PayrollRunContributor).filter_by(user_id=hr_ver.id).count() == 0


def test_a_recompute_as_a_background_job_counts_for_whoever_asked_for_it(app, computed, make_user, monkeypatch):
    monkeypatch.setattr(compute, "INLINE_MAX", 2)  # the six employees compute as a job
    run = computed.run
    dual = make_user("ganda2", {OP, VER})
    client = as_user(app, dual)
    assert "job=" in client.post(f"/gaji/run/{run.id}/hitung").location
    db.session.refresh(run)
    assert (dual.id, RunPart.COMPUTED) in run.contributions
    assert (
        "Anda telah menghitung proses penggajian ini"
        in client.post(f"/gaji/run/{run.id}/verifikasi", follow_redirects=True).text
    )
