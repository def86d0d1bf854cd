"""One demo employee: name, valid NIP (Perka BKN 22/2007), golongan, family and PTKP status, first assignment."""

from __future__ import annotations

import random
from datetime import date, timedelta

from ...extensions import db
from ...models import (
    AssignmentKind,
    Employee,
    FamilyMember,
    FamilyRelation,
    Gender,
    Position,
    PositionAssignment,
    PositionKind,
    StatusAsn,
    Unit,
)
from .names import BANKS, FEMALE, GELAR_S1, LAST, MALE


class Gen:
    def __init__(self, rng: random.Random, today: date):
        self.rng, self.today = rng, today
        self.seq: dict[str, int] = {}
        self.names: set[str] = set()

    def person(self, *, min_age: int, max_age: int, gender: Gender | None = None) -> dict:
        rng = self.rng
        gender = gender or rng.choice([Gender.L, Gender.P])
        for _ in range(50):
            first = rng.choice(MALE if gender == Gender.L else FEMALE)
            name = f"{first} {rng.choice(LAST)}"
            if rng.random() < 0.3:
                name = f"{first} {rng.choice(LAST)} {rng.choice(LAST)}"
            if name not in self.names:
                break
        self.names.add(name)
        birth = self.today - timedelta(days=rng.randint(min_age * 365, max_age * 365))
        return {"name": name, "gender": gender, "birth_date": birth}

    def nip(self, birth: date, tmt: date, gender: Gender) -> str:
        """Per Perka BKN 22/2007: birth YYYYMMDD + TMT YYYYMM + gender + sequence (domain §7.4)."""
        prefix = f"{birth:%Y%m%d}{tmt:%Y%m}{1 if gender == Gender.L else 2}"
        self.seq[prefix] = self.seq.get(prefix, 0) + 1
        return f"{prefix}{self.seq[prefix]:03d}"


def _golongan_for(kind: PositionKind, kelas: int, rng: random.Random) -> str:
    if kind == PositionKind.JPT:
        return rng.choice(["IV/c", "IV/d"])
    if kind == PositionKind.ADMINISTRATOR:
        return rng.choice(["IV/a", "IV/b"])
    if kind == PositionKind.PENGAWAS:
        return rng.choice(["III/c", "III/d", "IV/a"])
    if kind == PositionKind.FUNGSIONAL:
        return rng.choice(["III/a", "III/b", "III/c", "III/d"]) if kelas >= 8 else rng.choice(["II/c", "II/d", "III/a"])
    return rng.choice(["II/a", "II/b", "II/c", "II/d", "III/a", "III/b", "III/c"])


def _first_gaji_step(status: StatusAsn, golongan: str, mkg: int) -> int:
    """An SK never gives an MKG below the first row of the gaji pokok table (PP 5/2024: I/b–I/d and II/b–II/d
    start at 3 years); demo data must not either, or a payroll run would rightly refuse it."""
    from ...domain.payroll import default_rules

    global _GAJI_TABLES
    if _GAJI_TABLES is None:
        resolved = default_rules().resolve(date(2025, 1, 1))
        _GAJI_TABLES = (resolved.gaji_pokok_pns.data, resolved.gaji_pokok_pppk.data)
    table = _GAJI_TABLES[1] if status == StatusAsn.PPPK else _GAJI_TABLES[0]
    steps = table.steps(golongan)
    return max(mkg, steps[0][0]) if steps else mkg


_GAJI_TABLES = None


def employee_record(
    gen: Gen,
    kind: PositionKind,
    kelas: int,
    opd_code: str,
    *,
    status: StatusAsn = StatusAsn.PNS,
    min_age: int = 25,
    max_age: int = 57,
) -> tuple[dict, list[dict], dict]:
    """One employee as plain values: the employee's columns, their family members' and their first assignment's
    (start_date, sk_number). `make_employee` makes ORM objects of them; the bulk scale seed writes them as rows."""
    rng = gen.rng
    p = gen.person(min_age=min_age, max_age=max_age)
    if status == StatusAsn.PPPK:
        tmt = date(rng.choice([2022, 2023, 2024]), 3, 1)
        golongan = rng.choice(["V", "VII", "IX", "IX", "X"])
    elif status == StatusAsn.CPNS:
        tmt = date(gen.today.year if gen.today.month > 6 else gen.today.year - 1, 6, 1)
        golongan = rng.choice(["II/a", "III/a"])
    else:
        earliest = p["birth_date"].replace(day=1) + timedelta(days=365 * 21)
        latest = min(gen.today - timedelta(days=365 * 2), p["birth_date"] + timedelta(days=365 * 35))
        if latest <= earliest:
            latest = earliest + timedelta(days=400)
        tmt = (earliest + timedelta(days=rng.randint(0, (latest - earliest).days))).replace(day=1)
        golongan = _golongan_for(kind, kelas, rng)
    years_service = max(0, (gen.today - tmt).days // 365)
    gelar_b = None
    if kind != PositionKind.PELAKSANA or rng.random() < 0.4:
        gelar_b = rng.choice(GELAR_S1)
        if kind in (PositionKind.JPT, PositionKind.ADMINISTRATOR) and rng.random() < 0.7:
            gelar_b += rng.choice([", M.M.", ", M.Si.", ", M.H.", ", M.Pd."])
    gelar_d = "dr." if opd_code == "DINKES" and rng.random() < 0.15 else None
    values = {
        "nip": gen.nip(p["birth_date"], tmt, p["gender"]),
        "name": p["name"],
        "gelar_depan": gelar_d,
        "gelar_belakang": gelar_b,
        "status_asn": status,
        "golongan": golongan,
        "tmt_golongan": tmt + timedelta(days=365 * min(years_service, rng.randint(0, 8))),
        "mkg_years": _first_gaji_step(status, golongan, min(years_service, 32) if status != StatusAsn.CPNS else 0),
        "mkg_months": rng.randint(0, 11),
        "gender": p["gender"],
        "birth_place": rng.choice(
            ["Kotabumi", "Bandar Lampung", "Metro", "Bukit Kemuning", "Abung Selatan", "Palembang"]
        ),
        "birth_date": p["birth_date"],
        "tmt_cpns": tmt,
        "bank_name": rng.choice(BANKS),
        "bank_account": str(rng.randint(10**11, 10**12 - 1)),
        "email": None,
        "phone": f"08{rng.randint(10**9, 10**10 - 1)}",
    }
    family: list[dict] = []
    married = rng.random() < 0.8 and p["birth_date"] < gen.today - timedelta(days=365 * 26)
    children = rng.choice([0, 1, 2, 2, 3]) if married else 0
    if married:
        spouse = gen.person(min_age=25, max_age=55, gender=Gender.P if p["gender"] == Gender.L else Gender.L)
        family.append(
            {
                "relation": FamilyRelation.ISTRI if p["gender"] == Gender.L else FamilyRelation.SUAMI,
                "name": spouse["name"],
                "birth_date": spouse["birth_date"],
                "receives_allowance": p["gender"] == Gender.L,
            }
        )
    for _ in range(children):
        c = gen.person(min_age=1, max_age=20)
        family.append(
            {
                "relation": FamilyRelation.ANAK,
                "name": c["name"],
                "birth_date": c["birth_date"],
                "receives_allowance": True,
            }
        )
    # PTKP status at the start of the tax year (PP 58/2023): K/n for a married man, TK/0 for a married woman
    # unless she supports the family (PMK 168/2023); dependants capped at 3.
    values["ptkp_status"] = f"K/{min(children, 3)}" if married and p["gender"] == Gender.L else "TK/0"
    start = max(tmt, gen.today - timedelta(days=rng.randint(200, 2500)))
    assignment = {"start_date": start, "sk_number": f"821.2/{rng.randint(100, 999)}/BKPSDM/{start.year}"}
    return values, family, assignment


def make_employee(gen: Gen, position: Position, unit: Unit, **person) -> Employee:
    """The employee of `employee_record` (`person`: status, min_age, max_age) as ORM objects, added to the session."""
    values, family, assignment = employee_record(gen, position.kind, position.kelas_jabatan, unit.opd.code, **person)
    emp = Employee(**values, position=position, unit=unit)
    emp.family.extend(FamilyMember(**f) for f in family)
    emp.assignments.append(PositionAssignment(position=position, kind=AssignmentKind.DEFINITIF, **assignment))
    db.session.add(emp)
    return emp
