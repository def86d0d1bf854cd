"""A small public-service world on the org_chart: staff2 operates the OPD's feedback, a survey period, complaints
naming staff1 (one registered, one verified), an innovation of staff1."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from kinerja_web.domain.public_feedback import (
    ComplaintCause,
    ComplaintChannel,
    ComplaintStatus,
    InnovationStatus,
    Verdict,
)
from kinerja_web.extensions import db
from kinerja_web.models import Complaint, Innovation, Role, ServiceOperator, SkmPeriod


@pytest.fixture
def feedback_world(org_chart, make_user):
    ns = SimpleNamespace(**vars(org_chart))
    ns.u_op = make_user("operator-layanan", {Role.PEGAWAI}, org_chart.staff2)
    db.session.add(ServiceOperator(unit_id=org_chart.opd.id, user_id=ns.u_op.id))
    ns.period = SkmPeriod(
        unit_id=org_chart.opd.id,
        name="Semester II 2026",
        start_date=date(2026, 7, 1),
        end_date=date(2026, 12, 31),
        population=1000,
    )
    ns.closed_period = SkmPeriod(
        unit_id=org_chart.opd.id,
        name="Semester I 2026",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 6, 30),
        kiosk_open=False,
    )

    def complaint(status, verdict=None):
        return Complaint(
            unit_id=org_chart.opd.id,
            channel=ComplaintChannel.COUNTER,
            cause=ComplaintCause.CONDUCT,
            employee_id=org_chart.staff1.id,
            text="Petugas tidak ramah.",
            received_on=date(2026, 11, 2),
            status=status,
            verdict=verdict,
            verdict_reason="Rekaman CCTV" if verdict else None,
        )

    ns.registered = complaint(ComplaintStatus.REGISTERED)
    ns.verified = complaint(ComplaintStatus.VERIFIED, Verdict.SUBSTANTIATED)
    ns.innovation = Innovation(
        unit_id=org_chart.opd.id,
        employee_id=org_chart.staff1.id,
        title="Antrean daring",
        started_on=date(2026, 3, 1),
        problem="Antre lama",
        change="Nomor antrean lewat WhatsApp",
        effect="Waktu tunggu 90 → 25 menit",
        status=InnovationStatus.SUBMITTED,
        created_by_id=org_chart.u_staff.id,
    )
    db.session.add_all([ns.period, ns.closed_period, ns.registered, ns.verified, ns.innovation])
    db.session.commit()
    return ns
