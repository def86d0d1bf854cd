"""The regency: unit tree, posts with consistent atasan chains, and their employees."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from ...extensions import db
from ...models import Employee, Position, PositionKind, StatusAsn, Unit, UnitKind
from .names import FUNGSIONAL, OPDS, PELAKSANA
from .people import Gen, make_employee
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


def build_regency(employees: int = 400, *, today: date, seed: int = 2026, plant_problems: bool = True) -> SeedResult:
    """Create the unit tree, posts and `employees` employees. Flushes; the caller commits."""
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
    i = 0
    while i < remaining:
        if rng.random() < 0.25:
            kabid, bu = kabid_posts[i % len(kabid_posts)]
            jf, jenjang, kelas = rng.choice(FUNGSIONAL)
            pos = Position(
                unit=bu, name=jf, kind=PositionKind.FUNGSIONAL, jenjang=jenjang, kelas_jabatan=kelas, parent=kabid
            )
        else:
            kasi, su = seksi_posts[i % len(seksi_posts)]
            pos = Position(
                unit=su,
                name=rng.choice(PELAKSANA),
                kind=PositionKind.PELAKSANA,
                kelas_jabatan=rng.choice([5, 6, 7]),
                parent=kasi,
            )
        db.session.add(pos)
        roll = rng.random()
        status = StatusAsn.PPPK if roll < 0.12 else StatusAsn.CPNS if roll < 0.15 else StatusAsn.PNS
        make_employee(gen, pos, pos.unit, status=status, min_age=22 if status != StatusAsn.PNS else 26)
        i += 1
        if i % 500 == 0:
            db.session.flush()
    db.session.flush()

    if plant_problems and plt_head is not None:
        plant(gen, plt_head, vacant_kasi, opd_units, seksi_posts, today)
    res.units = db.session.query(Unit).count()
    res.positions = db.session.query(Position).count()
    res.employees = db.session.query(Employee).count()
    return res
