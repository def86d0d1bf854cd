"""The regency: unit tree, posts with consistent atasan chains, and their employees."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from ...extensions import db
from ...models import AssignmentKind, Employee, Position, PositionKind, StatusAsn, Unit, UnitKind
from . import bulk
from .names import FUNGSIONAL, OPDS, PELAKSANA
from .people import Gen, employee_record, make_employee
from .problems import plant


@dataclass
class SeedResult:
    units: int = 0
    positions: int = 0
    employees: int = 0
    accounts: dict[str, str] = field(default_factory=dict)  # username → role label


def _seksi(code: str, name: str, parent_unit: Unit, parent_post: Position, sort_order: int = 0):
    """A subbagian/seksi under `parent_unit` and its head (pengawas, kelas 9) reporting to `parent_post`."""
    unit = Unit(code=code, name=name, kind=UnitKind.SUBBIDANG, parent=parent_unit, sort_order=sort_order)
    post = Position(
        unit=unit,
        name=f"Kepala {name}",
        kind=PositionKind.PENGAWAS,
        kelas_jabatan=9,
        is_leader=True,
        parent=parent_post,
    )
    db.session.add_all([unit, post])
    return unit, post


def _staff_post(rng: random.Random, i: int, kabid_posts: list, seksi_posts: list) -> tuple[dict, StatusAsn]:
    """The post of the i-th staff member (a fungsional under a bidang head or a pelaksana under a seksi head),
    as Position arguments, and their status."""
    if rng.random() < 0.25:
        kabid, bu = kabid_posts[i % len(kabid_posts)]
        jf, jenjang, kelas = rng.choice(FUNGSIONAL)
        pos = {"unit": bu, "parent": kabid, "name": jf, "kind": PositionKind.FUNGSIONAL, "jenjang": jenjang}
        pos["kelas_jabatan"] = kelas
    else:
        kasi, su = seksi_posts[i % len(seksi_posts)]
        pos = {"unit": su, "parent": kasi, "name": rng.choice(PELAKSANA), "kind": PositionKind.PELAKSANA}
        pos.update(jenjang=None, kelas_jabatan=rng.choice([5, 6, 7]))
    roll = rng.random()
    status = StatusAsn.PPPK if roll < 0.12 else StatusAsn.CPNS if roll < 0.15 else StatusAsn.PNS
    return pos, status


def _bulk_staff(gen: Gen, count: int, kabid_posts: list, seksi_posts: list) -> None:
    """`count` staff with their own posts, families and first assignments, as rows (`seed.bulk`)."""
    tables = {t: db.metadata.tables[t] for t in ("position", "employee", "family_member", "position_assignment")}
    post_id, emp_id = bulk.next_id(tables["position"]), bulk.next_id(tables["employee"])
    posts = bulk.Writer(tables["position"], POSITION_COLUMNS)
    people = bulk.Writer(tables["employee"], EMPLOYEE_COLUMNS)
    families = bulk.Writer(tables["family_member"], FAMILY_COLUMNS)
    assignments = bulk.Writer(tables["position_assignment"], ASSIGNMENT_COLUMNS)
    opd_codes: dict[int, str] = {}
    for i in range(count):
        pos, status = _staff_post(gen.rng, i, kabid_posts, seksi_posts)
        unit, parent = pos.pop("unit"), pos.pop("parent")
        if unit.id not in opd_codes:
            opd_codes[unit.id] = unit.opd.code
        posts.add({**pos, "id": post_id, "unit_id": unit.id, "parent_id": parent.id, "is_leader": False})
        values, family, assignment = employee_record(
            gen,
            pos["kind"],
            pos["kelas_jabatan"],
            opd_codes[unit.id],
            status=status,
            min_age=22 if status != StatusAsn.PNS else 26,
        )
        people.add({**values, "id": emp_id, "position_id": post_id, "unit_id": unit.id})
        for f in family:
            families.add({**f, "employee_id": emp_id})
        assignments.add({**assignment, "employee_id": emp_id, "position_id": post_id, "kind": AssignmentKind.DEFINITIF})
        post_id, emp_id = post_id + 1, emp_id + 1
        if (i + 1) % bulk.CHUNK == 0:
            bulk.flush_all(posts, people, families, assignments)
    bulk.flush_all(posts, people, families, assignments)
    bulk.reset_sequence(tables["position"])
    bulk.reset_sequence(tables["employee"])


POSITION_COLUMNS = ("id", "unit_id", "parent_id", "name", "kind", "jenjang", "kelas_jabatan", "is_leader")
EMPLOYEE_COLUMNS = (
    "id", "nip", "name", "gelar_depan", "gelar_belakang", "status_asn", "golongan", "tmt_golongan", "mkg_years",
    "mkg_months", "gender", "birth_place", "birth_date", "tmt_cpns", "position_id", "unit_id", "ptkp_status",
    "bank_name", "bank_account", "email", "phone",
)  # fmt: skip
FAMILY_COLUMNS = ("employee_id", "relation", "name", "birth_date", "receives_allowance")
ASSIGNMENT_COLUMNS = ("employee_id", "position_id", "kind", "start_date", "sk_number")


def build_regency(
    employees: int = 400, *, today: date, seed: int = 2026, plant_problems: bool = True, bulk: bool = False
) -> SeedResult:
    """Create the unit tree, posts and `employees` employees. Flushes; the caller commits.

    `bulk`: the staff (all but the leaders) are written as plain rows (`seed.bulk`, COPY on PostgreSQL) instead
    of ORM objects: the same people from the same random sequence, in seconds instead of minutes at 100,000."""
    rng = random.Random(seed)
    gen = Gen(rng, today)
    res = SeedResult()
    pemda = Unit(
        code="PEMDA",
        name="Pemerintah Kabupaten Lampung Utara",
        kind=UnitKind.PEMDA,
        address="Jl. Jend. Sudirman No. 1, Kotabumi, Lampung Utara 34511",
    )
    db.session.add(pemda)
    sekda_pos = Position(
        unit=pemda, name="Sekretaris Daerah", kind=PositionKind.JPT, jenjang="Pratama", kelas_jabatan=15, is_leader=True
    )
    db.session.add(sekda_pos)
    make_employee(gen, sekda_pos, pemda, min_age=48, max_age=57)

    leaders: list[tuple[Position, Unit]] = []
    seksi_posts: list[tuple[Position, Unit]] = []
    kabid_posts: list[tuple[Position, Unit]] = []
    opd_units: dict[str, Unit] = {}
    heads: dict[str, Position] = {}
    for order, (code, name, bidangs) in enumerate(OPDS):
        opd = Unit(
            code=code,
            name=name,
            kind=UnitKind.OPD,
            parent=pemda,
            sort_order=order,
            address="Kotabumi, Kabupaten Lampung Utara",
        )
        opd_units[code] = opd
        head_title = {
            "SETDA": "Asisten Pemerintahan dan Kesejahteraan Rakyat",
            "INSP": "Inspektur",
            "KEC-KTB": "Camat Kotabumi",
        }.get(code, f"Kepala {name}")
        head_kind = PositionKind.ADMINISTRATOR if code == "KEC-KTB" else PositionKind.JPT
        head = Position(
            unit=opd,
            name=head_title,
            kind=head_kind,
            jenjang="Pratama" if head_kind == PositionKind.JPT else None,
            kelas_jabatan=14 if head_kind == PositionKind.JPT else 12,
            is_leader=True,
            parent=sekda_pos,
        )
        sec_unit = Unit(
            code=f"{code}-SEK",
            name=f"Sekretariat {name}" if code not in ("SETDA", "KEC-KTB") else f"Sekretariat {code}",
            kind=UnitKind.BIDANG,
            parent=opd,
            sort_order=0,
        )
        sec = Position(
            unit=sec_unit,
            name="Sekretaris" if code != "KEC-KTB" else "Sekretaris Kecamatan",
            kind=PositionKind.ADMINISTRATOR if code != "KEC-KTB" else PositionKind.PENGAWAS,
            kelas_jabatan=12 if code != "KEC-KTB" else 9,
            is_leader=True,
            parent=head,
        )
        db.session.add_all([opd, head, sec_unit, sec])
        leaders += [(head, opd), (sec, sec_unit)]
        heads[code] = head
        for sub_name in ("Subbagian Umum dan Kepegawaian", "Subbagian Keuangan"):
            su, kasub = _seksi(f"{code}-{'UMP' if 'Umum' in sub_name else 'KEU'}", sub_name, sec_unit, sec)
            leaders.append((kasub, su))
            seksi_posts.append((kasub, su))
        for b_order, bname in enumerate(bidangs, start=1):
            bu = Unit(code=f"{code}-B{b_order}", name=bname, kind=UnitKind.BIDANG, parent=opd, sort_order=b_order)
            kabid = Position(
                unit=bu,
                name=f"Kepala {bname}"
                if not bname.startswith(("Seksi", "Inspektur", "Bagian"))
                else (bname if bname.startswith("Inspektur") else f"Kepala {bname}"),
                kind=PositionKind.ADMINISTRATOR if code != "KEC-KTB" else PositionKind.PENGAWAS,
                kelas_jabatan=11 if code != "KEC-KTB" else 9,
                is_leader=True,
                parent=head,
            )
            db.session.add_all([bu, kabid])
            leaders.append((kabid, bu))
            kabid_posts.append((kabid, bu))
            if code == "KEC-KTB":
                seksi_posts.append((kabid, bu))
                continue
            for s in (1, 2):
                su, kasi = _seksi(
                    f"{code}-B{b_order}-S{s}", f"Seksi {s} {bname.replace('Bidang ', '')}", bu, kabid, sort_order=s
                )
                leaders.append((kasi, su))
                seksi_posts.append((kasi, su))
    db.session.flush()

    vacant_kasi = seksi_posts[7][0] if plant_problems else None
    plt_head = heads["DINKES"] if plant_problems else None  # a head post filled by a Plt (valid)
    for pos, unit in leaders:
        if pos is vacant_kasi:
            continue
        if pos is plt_head:
            continue
        min_age = 45 if pos.kind in (PositionKind.JPT, PositionKind.ADMINISTRATOR) else 35
        make_employee(gen, pos, unit, min_age=min_age, max_age=57)
    made = 1 + len(leaders) - (1 if vacant_kasi else 0) - (1 if plt_head else 0)

    # Staff: pelaksana under the seksi heads, fungsional under the bidang heads.
    remaining = max(0, employees - made)
    if bulk:
        _bulk_staff(gen, remaining, kabid_posts, seksi_posts)
    else:
        for i in range(remaining):
            pos, status = _staff_post(rng, i, kabid_posts, seksi_posts)
            unit, parent = pos.pop("unit"), pos.pop("parent")
            pos = Position(**pos, unit=unit, parent=parent)
            db.session.add(pos)
            make_employee(gen, pos, pos.unit, status=status, min_age=22 if status != StatusAsn.PNS else 26)
            if (i + 1) % 500 == 0:
                db.session.flush()
    db.session.flush()

    if plant_problems and plt_head is not None:
        plant(gen, plt_head, vacant_kasi, opd_units, seksi_posts, today)
    res.units = db.session.query(Unit).count()
    res.positions = db.session.query(Position).count()
    res.employees = db.session.query(Employee).count()
    return res
