"""Months computed before issue 20 still verify IDENTIK: their stored input snapshots have no manual amounts
and their stored rule rows no contribution bases; the defaults reproduce the old lines."""

from __future__ import annotations

import json

from sqlalchemy import select

from kinerja_web.extensions import db
from kinerja_web.models import PayrollRuleVersion, PayrollRunEmployee
from kinerja_web.services.payroll import runs, verification

from . import test_payroll_flow as flow
from .test_payroll_flow import make_computed_run

pay = flow.pay

NEW_RULE_FIELDS = {"iwp": "dasar", "jkk_jkm": "dasar", "tapera": "dasar", "bpjs_kesehatan": "dasar_gaji"}


def test_a_run_stored_before_the_new_fields_verifies_identically(app, pay):
    run = make_computed_run(app, pay)
    for step, who in (("verify", pay.u_verifikator), ("approve", pay.u_pejabat), ("finalise", pay.u_pejabat)):
        runs.transition(run, step, who)
    for row in db.session.scalars(select(PayrollRunEmployee).where(PayrollRunEmployee.run_id == run.id)):
        snap = json.loads(row.inputs)
        assert snap.pop("manual") == []
        row.inputs = json.dumps(snap, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for rule in db.session.scalars(select(PayrollRuleVersion).where(PayrollRuleVersion.code.in_(NEW_RULE_FIELDS))):
        data = dict(rule.data)
        assert data.pop(NEW_RULE_FIELDS[rule.code]) is not None
        rule.data = data
    db.session.commit()
    out = app.test_cli_runner().invoke(args=["payroll", "verify", "2026-10"])
    assert out.exit_code == 0 and "IDENTIK" in out.output, out.output
    assert verification.verify_run(run).ok


def _add(admin, **data):
    return admin.post("/gaji/aturan", data={"citation": "Uji", **data})


def test_a_contribution_base_is_set_by_a_new_rule_version_and_bad_versions_are_refused(app, pay):
    from datetime import date

    from kinerja_web.services.payroll.rules import load_rules

    admin = flow.as_user(app, pay.u_admin)
    jkk = '{"jkk": "0.0024", "jkm": "0.0072", "dasar": "gaji_pokok_keluarga"}'
    resp = _add(admin, code="jkk_jkm", version_id="jkk_jkm@2027-01-01", berlaku_mulai="2027-01-01", data=jkk)
    assert resp.status_code == 303
    assert load_rules().jkk_jkm.in_force(date(2027, 1, 1)).data.dasar.value == "gaji_pokok_keluarga"
    bad = '{"jkk": "0.0024", "jkm": "0.0072", "dasar": "gaji_kotor"}'
    resp = _add(admin, code="jkk_jkm", version_id="jkk_jkm@2028-01-01", berlaku_mulai="2028-01-01", data=bad)
    assert resp.status_code == 422 and "Data aturan tidak sesuai" in resp.text
    gap = _add(
        admin,
        code="jkk_jkm",
        version_id="jkk_jkm@2023-01-01",
        berlaku_mulai="2023-01-01",
        berlaku_sampai="2023-06-30",
        data=jkk,
    )
    assert gap.status_code == 422 and "ada celah" in gap.text
    versions = set(
        db.session.scalars(select(PayrollRuleVersion.version_id).where(PayrollRuleVersion.code == "jkk_jkm"))
    )
    assert versions == {"jkk_jkm@2022-01-01", "jkk_jkm@2024-01-01", "jkk_jkm@2027-01-01"}  # nothing half-saved
