"""compute_monthly with a run-wide memo: the same payslips as without one, parts shared between employees."""

from dataclasses import replace
from datetime import date
from itertools import product

import pytest

from kinerja_web.domain import DomainError
from kinerja_web.domain.org import StatusAsn
from kinerja_web.domain.payroll import AttendanceEvent, EmployeeInputs, YtdValues, compute_monthly
from kinerja_web.domain.predikat import Predikat

OCT = date(2026, 10, 1)


def population() -> list[EmployeeInputs]:
    """A few hundred employees varied on everything the memo keys depend on (and on what they must not)."""
    events = (
        (),
        (AttendanceEvent(date(2026, 10, 5), terlambat_menit=45),),
        (AttendanceEvent(date(2026, 10, 6), kode_absen="TK"), AttendanceEvent(date(2026, 10, 7), 0, 70)),
    )
    out = []
    for (status, golongan, mkg), family, kelas, predikat, att, ptkp in product(
        ((StatusAsn.PNS, "III/a", 4), (StatusAsn.CPNS, "II/a", 0), (StatusAsn.PPPK, "IX", 6)),
        ((False, 0), (True, 2), (True, 3)),
        (None, 7, 15),
        (Predikat.BAIK, Predikat.SANGAT_KURANG),
        events,
        ("TK/0", "K/2"),
    ):
        out.append(
            EmployeeInputs(
                status=status,
                golongan=golongan,
                mkg=mkg,
                ptkp_status=ptkp,
                suami_istri_ditanggung=family[0],
                jumlah_anak_ditanggung=family[1],
                kelas_jabatan=kelas,
                predikat=predikat,
                attendance=att,
            )
        )
    out.append(replace(out[5], tunjangan_jabatan=540_000))
    out.append(replace(out[7], status_tpp=("TUGAS_BELAJAR",)))
    return out


def test_a_shared_memo_gives_the_same_payslips_as_computing_each_alone(rules):
    memo: dict = {}
    resolved = rules.resolve(OCT)
    for inputs in population():
        assert compute_monthly(inputs, resolved, OCT, memo) == compute_monthly(inputs, resolved, OCT)


def test_the_last_tax_month_with_a_memo_uses_each_employees_own_year_to_date(rules):
    memo: dict = {}
    resolved = rules.resolve(date(2026, 12, 1))
    base = replace(population()[40], attendance=())
    for ytd in (YtdValues(), YtdValues(40_000_000, 900_000, 2_000_000, 11), YtdValues(90_000_000, 0, 0, 11)):
        inputs = replace(base, ytd=ytd)
        got = compute_monthly(inputs, resolved, date(2026, 12, 1), memo)
        assert got == compute_monthly(inputs, resolved, date(2026, 12, 1))


def test_employees_with_the_same_gaji_inputs_share_the_gaji_lines(rules):
    memo: dict = {}
    resolved = rules.resolve(OCT)
    a = EmployeeInputs(StatusAsn.PNS, "III/a", 4, "TK/0", kelas_jabatan=7, predikat=Predikat.BAIK)
    b = replace(a, attendance=(AttendanceEvent(date(2026, 10, 5), kode_absen="TK"),))
    first, second = compute_monthly(a, resolved, OCT, memo), compute_monthly(b, resolved, OCT, memo)
    assert first.parts[0] is second.parts[0]  # gaji pokok … tunjangan beras: one tuple for both
    assert first.line("TPP_DISIPLIN").amount > second.line("TPP_DISIPLIN").amount
    assert first.lines == tuple(ln for part in first.parts for ln in part)


def test_a_memo_refuses_other_rules_or_another_month(rules):
    memo: dict = {}
    inputs = population()[0]
    compute_monthly(inputs, rules.resolve(OCT), OCT, memo)
    with pytest.raises(ValueError):
        compute_monthly(inputs, rules.resolve(OCT), OCT, memo)  # an equal but different rules object
    with pytest.raises(ValueError):
        compute_monthly(inputs, rules.resolve(date(2026, 11, 1)), date(2026, 11, 1), memo)


def test_a_refused_employee_leaves_the_memo_usable_for_the_next(rules):
    memo: dict = {}
    resolved = rules.resolve(OCT)
    good = population()[0]
    with pytest.raises(DomainError):
        compute_monthly(replace(good, golongan="II/b", mkg=1), resolved, OCT, memo)
    assert compute_monthly(good, resolved, OCT, memo) == compute_monthly(good, resolved, OCT)
