"""Manual pay facts (issue 20 item 6): the line they make, its marks, outside the PPh base, the snapshot JSON,
and the refusals (missing reason/document, amount not positive, approval by its own maker)."""

import json
from datetime import date

import pytest

from kinerja_web.domain import DomainError
from kinerja_web.domain.payroll import compute_monthly, rule_version_text
from kinerja_web.domain.payroll.codec import decode, encode
from kinerja_web.domain.payroll.lines import Bagian, LineKind, describe_inputs
from kinerja_web.domain.payroll.manual import ManualAmount, approval_refusal, check_manual, is_manual
from kinerja_web.services.payroll.loading import inputs_json
from kinerja_web.services.payroll.special_history import snapshot_inputs

from .test_payslip import OCT, staff

COURT = ManualAmount(
    7,
    "Koreksi gaji putusan PTUN",
    1_250_000,
    LineKind.PENGHASILAN,
    Bagian.GAJI,
    "Putusan PTUN atas SK mutasi",
    "Putusan PTUN Bandar Lampung No. 12/G/2026/PTUN.BL, 2 September 2026",
    "Verifikator Satu",
)


def test_an_approved_manual_amount_is_a_marked_line_outside_the_pph_base(rules):
    plain = compute_monthly(staff(), rules, OCT)
    slip = compute_monthly(staff(manual=(COURT,)), rules, OCT)
    line = slip.line("MANUAL_7")
    assert line.amount == 1_250_000 and line.label.endswith("(manual)") and is_manual(line.code)
    assert line.rule_version == "manual#7" and rule_version_text(line.rule_version) == "penetapan manual #7"
    assert "Putusan PTUN" in line.citation and "Verifikator Satu" in line.citation
    assert ("Jumlah manual (bukan hasil aturan)", "ya") in describe_inputs(line)
    assert slip.netto() == plain.netto() + 1_250_000
    assert (slip.bruto_pph, slip.pph21) == (plain.bruto_pph, plain.pph21)


def test_a_manual_deduction_lowers_net_pay(rules):
    cut = ManualAmount(8, "Pengembalian", 100_000, LineKind.POTONGAN, Bagian.TPP, "r", "d", "a")
    plain = compute_monthly(staff(), rules, OCT)
    assert compute_monthly(staff(manual=(cut,)), rules, OCT).netto() == plain.netto() - 100_000


def test_snapshot_json_round_trips_and_old_snapshots_decode_without_manual_amounts():
    inputs = staff(manual=(COURT,))
    text = inputs_json(inputs)
    assert text == json.dumps(encode(inputs), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    assert decode(type(inputs), json.loads(text)) == inputs == snapshot_inputs(text)
    old = json.loads(inputs_json(staff()))
    del old["manual"]  # a snapshot stored before manual amounts existed
    assert decode(type(inputs), old) == staff() == snapshot_inputs(json.dumps(old))


def test_entering_a_manual_amount_needs_every_field():
    errors = check_manual("", 0, "x", "y", " ", "")
    assert set(errors) == {"label", "amount", "kind", "bagian", "reason", "document"}
    assert "Alasan wajib diisi" in errors["reason"] and "lebih dari nol" in errors["amount"]
    assert check_manual("Koreksi", 5, "penghasilan", "gaji", "alasan", "dokumen") == {}


def test_its_maker_never_approves_it():
    with pytest.raises(DomainError, match="tidak dapat disetujui oleh pembuatnya sendiri"):
        approval_refusal(3, 3)
    assert approval_refusal(3, 4) is None


def test_months_without_manual_amounts_compute_as_before(rules):
    assert (
        compute_monthly(staff(), rules, date(2026, 10, 1)).lines == compute_monthly(staff(manual=()), rules, OCT).lines
    )
