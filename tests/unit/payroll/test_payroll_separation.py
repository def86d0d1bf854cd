"""Maker-checker-approver for a payroll run: who may not verify, approve or finalise (domain rule)."""

from __future__ import annotations

import pytest

from kinerja_web.domain.payroll.separation import RunPart, refusal

OPERATOR, OTHER_OPERATOR, HR, VERIFIER, APPROVER = 1, 2, 3, 4, 5
RUN = [
    (OPERATOR, RunPart.PREPARED),
    (OPERATOR, RunPart.COMPUTED),
    (OTHER_OPERATOR, RunPart.COMPUTED),
    (HR, RunPart.ATTENDANCE),
    (VERIFIER, RunPart.VERIFIED),
]


@pytest.mark.parametrize("maker", [OPERATOR, OTHER_OPERATOR, HR])
@pytest.mark.parametrize("step", ["verify", "approve", "finalise"])
def test_no_maker_verifies_approves_or_finalises(maker, step):
    assert refusal(step, maker, RUN) is not None


def test_the_verifier_may_verify_but_neither_approve_nor_finalise():
    assert refusal("verify", VERIFIER, RUN) is None  # a double click on "Verifikasi" is not a refusal
    assert refusal("approve", VERIFIER, RUN).startswith("Anda telah memverifikasi proses penggajian ini; persetujuan")
    assert refusal("finalise", VERIFIER, RUN).startswith("Anda telah memverifikasi proses penggajian ini; finalisasi")


def test_someone_who_had_no_hand_in_the_run_may_take_every_step():
    assert all(refusal(step, APPROVER, RUN) is None for step in ("verify", "approve", "finalise"))


def test_the_message_names_the_most_direct_involvement_and_the_step():
    assert refusal("verify", OPERATOR, RUN).startswith(
        "Anda menyiapkan proses penggajian ini; verifikasi harus oleh orang lain"
    )
    assert refusal("verify", OTHER_OPERATOR, RUN).startswith(
        "Anda telah menghitung proses penggajian ini; verifikasi harus oleh orang lain"
    )
    assert refusal("approve", HR, RUN).startswith(
        "Anda mengimpor atau mengoreksi data kehadiran yang dipakai proses penggajian ini; persetujuan harus oleh orang lain"
    )


def test_unknown_people_are_never_matched():
    assert refusal("verify", None, [(None, RunPart.ATTENDANCE)]) is None
