"""Demo and scale data: a realistic regency with consistent atasan chains, valid NIPs and Indonesian names.

Deterministic (seeded random), so tests and benchmarks see the same regency every time. The demo data
plants one example of every data-quality problem so the HR queue has something real to show.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..extensions import db
from ..models import (
    AssignmentKind,
    Employee,
    FamilyMember,
    FamilyRelation,
    Gender,
    Position,
    PositionAssignment,
    PositionKind,
    Role,
    StatusAsn,
    Unit,
    UnitKind,
    User,
)

DEMO_PASSWORD = "demo12345"  # demo data only; the README says so

OPDS = [
    ("SETDA", "Sekretariat Daerah", ["Bagian Pemerintahan", "Bagian Hukum", "Bagian Organisasi"]),
    (
        "BKPSDM",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        ["Bidang Mutasi dan Promosi", "Bidang Pengembangan Kompetensi", "Bidang Penilaian Kinerja dan Penghargaan"],
    ),
    (
        "BPKAD",
        "Badan Pengelolaan Keuangan dan Aset Daerah",
        ["Bidang Anggaran", "Bidang Perbendaharaan", "Bidang Aset"],
    ),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", ["Bidang Perencanaan", "Bidang Penelitian dan Pengembangan"]),
    ("INSP", "Inspektorat", ["Inspektur Pembantu Wilayah I", "Inspektur Pembantu Wilayah II"]),
    (
        "DISDIKBUD",
        "Dinas Pendidikan dan Kebudayaan",
        ["Bidang Pembinaan SD", "Bidang Pembinaan SMP", "Bidang Kebudayaan"],
    ),
    (
        "DINKES",
        "Dinas Kesehatan",
        ["Bidang Pelayanan Kesehatan", "Bidang Pencegahan Penyakit", "Bidang Sumber Daya Kesehatan"],
    ),
    (
        "DPUPR",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        ["Bidang Bina Marga", "Bidang Sumber Daya Air", "Bidang Tata Ruang"],
    ),
    ("DINSOS", "Dinas Sosial", ["Bidang Rehabilitasi Sosial", "Bidang Perlindungan dan Jaminan Sosial"]),
    (
        "DISDUKCAPIL",
        "Dinas Kependudukan dan Pencatatan Sipil",
        ["Bidang Pelayanan Pendaftaran Penduduk", "Bidang Pencatatan Sipil"],
    ),
    ("DISTAN", "Dinas Pertanian", ["Bidang Tanaman Pangan", "Bidang Hortikultura", "Bidang Penyuluhan"]),
    ("KEC-KTB", "Kecamatan Kotabumi", ["Seksi Pemerintahan", "Seksi Kesejahteraan Sosial"]),
]

MALE = [
    "Ahmad",
    "Budi",
    "Rahmat",
    "Agus",
    "Hendra",
    "Joko",
    "Andi",
    "Rudi",
    "Fajar",
    "Yusuf",
    "Dedi",
    "Eko",
    "Irwan",
    "Arif",
    "Bayu",
    "Hadi",
    "Rizki",
    "Taufik",
    "Wahyu",
    "Zulkifli",
    "Syahrul",
    "Firman",
    "Gunawan",
    "Heri",
    "Indra",
    "Kurniawan",
    "Mulyadi",
    "Nurdin",
    "Rosyid",
    "Suherman",
    "Teguh",
    "Yudi",
    "Sapri",
    "Herman",
]
FEMALE = [
    "Siti",
    "Dewi",
    "Rina",
    "Sri",
    "Nur",
    "Ani",
    "Fitri",
    "Lestari",
    "Maya",
    "Yuni",
    "Ratna",
    "Indah",
    "Wulan",
    "Eka",
    "Diah",
    "Putri",
    "Rahmawati",
    "Susanti",
    "Tuti",
    "Novi",
    "Lia",
    "Mega",
    "Yanti",
    "Nurul",
    "Desi",
    "Erna",
    "Hartini",
    "Juwita",
    "Kartika",
    "Marlina",
    "Oktavia",
    "Sulastri",
    "Wiwik",
    "Zahra",
]
LAST = [
    "Santoso",
    "Hidayat",
    "Saputra",
    "Wijaya",
    "Pratama",
    "Kurniawan",
    "Setiawan",
    "Lestari",
    "Rahman",
    "Siregar",
    "Nasution",
    "Hasibuan",
    "Syahputra",
    "Gunawan",
    "Purnomo",
    "Susanto",
    "Maulana",
    "Ramadhan",
    "Firmansyah",
    "Aminah",
    "Yulianti",
    "Handayani",
    "Permata",
    "Anggraini",
    "Marpaung",
    "Efendi",
    "Fauzi",
    "Alamsyah",
    "Irawan",
    "Sembiring",
    "Pane",
    "Harahap",
    "Daulay",
    "Rosidi",
    "Suryadi",
    "Hermawan",
    "Suhendra",
]
GELAR_S1 = ["S.E.", "S.H.", "S.Sos.", "S.Kom.", "S.T.", "S.Pd.", "S.IP.", "S.AP.", "S.Ak.", "S.P."]
PELAKSANA = [
    "Pengadministrasi Perkantoran",
    "Penata Layanan Operasional",
    "Pengolah Data dan Informasi",
    "Pengelola Layanan Operasional",
    "Operator Layanan Operasional",
    "Pengadministrasi Keuangan",
    "Penelaah Teknis Kebijakan",
    "Pengelola Umum Operasional",
]
FUNGSIONAL = [
    ("Analis Sumber Daya Manusia Aparatur", "Ahli Pertama", 8),
    ("Analis Kebijakan", "Ahli Muda", 9),
    ("Perencana", "Ahli Pertama", 8),
    ("Pranata Komputer", "Ahli Pertama", 8),
    ("Arsiparis", "Terampil", 6),
    ("Analis Keuangan Pusat dan Daerah", "Ahli Muda", 9),
    ("Auditor", "Ahli Pertama", 8),
    ("Penyuluh Pertanian", "Ahli Muda", 9),
    ("Pengawas Sekolah", "Ahli Madya", 11),
    ("Epidemiolog Kesehatan", "Ahli Pertama", 8),
    ("Teknik Jalan dan Jembatan", "Ahli Pertama", 8),
]
BANKS = ["Bank Lampung", "BRI", "BNI", "Bank Mandiri"]


@dataclass
class SeedResult:
    units: int = 0
    positions: int = 0
    employees: int = 0
    accounts: dict[str, str] = field(default_factory=dict)  # username → role label


class _Gen:
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
    from ..domain.payroll import default_rules

    global _GAJI_TABLES
    if _GAJI_TABLES is None:
        resolved = default_rules().resolve(date(2025, 1, 1))
        _GAJI_TABLES = (resolved.gaji_pokok_pns.data, resolved.gaji_pokok_pppk.data)
    table = _GAJI_TABLES[1] if status == StatusAsn.PPPK else _GAJI_TABLES[0]
    steps = table.steps(golongan)
    return max(mkg, steps[0][0]) if steps else mkg


_GAJI_TABLES = None


def _make_employee(
    gen: _Gen,
    position: Position,
    unit: Unit,
    *,
    status: StatusAsn = StatusAsn.PNS,
    min_age: int = 25,
    max_age: int = 57,
) -> Employee:
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
        golongan = _golongan_for(position.kind, position.kelas_jabatan, rng)
    years_service = max(0, (gen.today - tmt).days // 365)
    gelar_b = None
    if position.kind != PositionKind.PELAKSANA or rng.random() < 0.4:
        gelar_b = rng.choice(GELAR_S1)
        if position.kind in (PositionKind.JPT, PositionKind.ADMINISTRATOR) and rng.random() < 0.7:
            gelar_b += rng.choice([", M.M.", ", M.Si.", ", M.H.", ", M.Pd."])
    gelar_d = "dr." if unit.opd.code == "DINKES" and rng.random() < 0.15 else None
    emp = Employee(
        nip=gen.nip(p["birth_date"], tmt, p["gender"]),
        name=p["name"],
        gelar_depan=gelar_d,
        gelar_belakang=gelar_b,
        status_asn=status,
        golongan=golongan,
        tmt_golongan=tmt + timedelta(days=365 * min(years_service, rng.randint(0, 8))),
        mkg_years=_first_gaji_step(status, golongan, min(years_service, 32) if status != StatusAsn.CPNS else 0),
        mkg_months=rng.randint(0, 11),
        gender=p["gender"],
        birth_place=rng.choice(["Kotabumi", "Bandar Lampung", "Metro", "Bukit Kemuning", "Abung Selatan", "Palembang"]),
        birth_date=p["birth_date"],
        tmt_cpns=tmt,
        position=position,
        unit=unit,
        bank_name=rng.choice(BANKS),
        bank_account=str(rng.randint(10**11, 10**12 - 1)),
        email=None,
        phone=f"08{rng.randint(10**9, 10**10 - 1)}",
    )
    married = rng.random() < 0.8 and p["birth_date"] < gen.today - timedelta(days=365 * 26)
    children = rng.choice([0, 1, 2, 2, 3]) if married else 0
    if married:
        spouse = gen.person(min_age=25, max_age=55, gender=Gender.P if p["gender"] == Gender.L else Gender.L)
        emp.family.append(
            FamilyMember(
                relation=FamilyRelation.ISTRI if p["gender"] == Gender.L else FamilyRelation.SUAMI,
                name=spouse["name"],
                birth_date=spouse["birth_date"],
                receives_allowance=p["gender"] == Gender.L,
            )
        )
    for _ in range(children):
        c = gen.person(min_age=1, max_age=20)
        emp.family.append(
            FamilyMember(
                relation=FamilyRelation.ANAK, name=c["name"], birth_date=c["birth_date"], receives_allowance=True
            )
        )
    # PTKP status at the start of the tax year (PP 58/2023): K/n for a married man, TK/0 for a married woman
    # unless she supports the family (PMK 168/2023); dependants capped at 3.
    emp.ptkp_status = f"K/{min(children, 3)}" if married and p["gender"] == Gender.L else "TK/0"
    start = max(tmt, gen.today - timedelta(days=rng.randint(200, 2500)))
    emp.assignments.append(
        PositionAssignment(
            position=position,
            kind=AssignmentKind.DEFINITIF,
            start_date=start,
            sk_number=f"821.2/{rng.randint(100, 999)}/BKPSDM/{start.year}",
        )
    )
    db.session.add(emp)
    return emp


def build_regency(employees: int = 400, *, today: date, seed: int = 2026, plant_problems: bool = True) -> SeedResult:
    """Create the unit tree, posts and `employees` employees. Flushes; the caller commits."""
    rng = random.Random(seed)
    gen = _Gen(rng, today)
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
    _make_employee(gen, sekda_pos, pemda, min_age=48, max_age=57)

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
            su = Unit(
                code=f"{code}-{'UMP' if 'Umum' in sub_name else 'KEU'}",
                name=sub_name,
                kind=UnitKind.SUBBIDANG,
                parent=sec_unit,
            )
            kasub = Position(
                unit=su,
                name=f"Kepala {sub_name}",
                kind=PositionKind.PENGAWAS,
                kelas_jabatan=9,
                is_leader=True,
                parent=sec,
            )
            db.session.add_all([su, kasub])
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
                su = Unit(
                    code=f"{code}-B{b_order}-S{s}",
                    name=f"Seksi {s} {bname.replace('Bidang ', '')}",
                    kind=UnitKind.SUBBIDANG,
                    parent=bu,
                    sort_order=s,
                )
                kasi = Position(
                    unit=su,
                    name=f"Kepala Seksi {s} {bname.replace('Bidang ', '')}",
                    kind=PositionKind.PENGAWAS,
                    kelas_jabatan=9,
                    is_leader=True,
                    parent=kabid,
                )
                db.session.add_all([su, kasi])
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
        _make_employee(gen, pos, unit, min_age=min_age, max_age=57)
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
        _make_employee(gen, pos, pos.unit, status=status, min_age=22 if status != StatusAsn.PNS else 26)
        i += 1
        if i % 500 == 0:
            db.session.flush()
    db.session.flush()

    if plant_problems and plt_head is not None:
        _plant(gen, plt_head, vacant_kasi, opd_units, seksi_posts, today)
    res.units = db.session.query(Unit).count()
    res.positions = db.session.query(Position).count()
    res.employees = db.session.query(Employee).count()
    return res


def _plant(
    gen: _Gen, plt_head: Position, vacant_kasi: Position, opd_units: dict[str, Unit], seksi_posts: list, today: date
) -> None:
    """One real example of each data-quality problem, plus one valid Plt (acting head)."""
    from sqlalchemy import select

    rng = gen.rng
    # A valid Plt: the OPD's Sekretaris acts as head until three months from now.
    sec = db.session.scalars(
        select(Position).where(Position.parent_id == plt_head.id, Position.name.like("Sekretaris%"))
    ).first()
    sec_holder = db.session.scalars(select(Employee).where(Employee.position_id == sec.id)).first()
    db.session.add(
        PositionAssignment(
            employee=sec_holder,
            position=plt_head,
            kind=AssignmentKind.PLT,
            start_date=today - timedelta(days=60),
            end_date=today + timedelta(days=90),
            sk_number="800.1.3.3/045/BKPSDM/2026",
        )
    )
    # Plt past its end date: a bidang head post in DINSOS left vacant after the Plt expired.
    kabid = db.session.scalars(
        select(Position).join(Unit).where(Unit.code == "DINSOS-B2", Position.is_leader.is_(True))
    ).first()
    holder = db.session.scalars(select(Employee).where(Employee.position_id == kabid.id)).first()
    if holder:
        for a in holder.assignments:
            a.end_date = today - timedelta(days=120)
        other = db.session.scalars(
            select(Position).join(Unit).where(Unit.code == "DINSOS-B1", Position.is_leader.is_(True))
        ).first()
        holder.position, holder.unit = other, other.unit
        holder.assignments.append(
            PositionAssignment(position=other, kind=AssignmentKind.DEFINITIF, start_date=today - timedelta(days=119))
        )
        old_kabid = db.session.scalars(
            select(Employee).where(Employee.position_id == other.id, Employee.id != holder.id)
        ).first()
        if old_kabid:
            for a in old_kabid.assignments:
                if a.end_date is None:
                    a.end_date = today - timedelta(days=120)
            plt = db.session.scalars(
                select(Employee).where(
                    Employee.position_id.in_(select(Position.id).where(Position.parent_id == kabid.id))
                )
            ).first()
            db.session.add(
                PositionAssignment(
                    employee=plt or old_kabid,
                    position=kabid,
                    kind=AssignmentKind.PLT,
                    start_date=today - timedelta(days=119),
                    end_date=today - timedelta(days=14),
                    sk_number="800.1.3.3/019/BKPSDM/2026",
                )
            )
            old_kabid.position = kabid  # keeps a stale post but no running riwayat row
    # Cycle: two posts in DISTAN that name each other as atasan.
    bu = opd_units["DISTAN"]
    a = Position(
        unit=bu, name="Analis Ketahanan Pangan", kind=PositionKind.FUNGSIONAL, jenjang="Ahli Muda", kelas_jabatan=9
    )
    b = Position(
        unit=bu,
        name="Koordinator Ketahanan Pangan",
        kind=PositionKind.FUNGSIONAL,
        jenjang="Ahli Madya",
        kelas_jabatan=11,
        parent=a,
    )
    db.session.add_all([a, b])
    db.session.flush()
    a.parent = b
    _make_employee(gen, a, bu)
    _make_employee(gen, b, bu)
    # Atasan in another OPD without a reason: a DISTAN staff post reporting to a BAPPEDA seksi head.
    bappeda_kasi = next(p for p, u in seksi_posts if u.opd.code == "BAPPEDA")
    cross = Position(
        unit=opd_units["DISTAN"],
        name="Pengolah Data Perencanaan",
        kind=PositionKind.PELAKSANA,
        kelas_jabatan=6,
        parent=bappeda_kasi,
    )
    db.session.add(cross)
    _make_employee(gen, cross, opd_units["DISTAN"])
    # An employee without a post (and so without an atasan).
    lost = _make_employee(gen, cross, opd_units["DINSOS"])
    lost.position = None
    lost.assignments.clear()
    # An orphan post with no atasan at all.
    orphan = Position(
        unit=opd_units["DPUPR"], name="Pengawas Lapangan Jalan", kind=PositionKind.PELAKSANA, kelas_jabatan=6
    )
    db.session.add(orphan)
    _make_employee(gen, orphan, opd_units["DPUPR"])
    # An NIP that disagrees with the birth date on record (typed wrongly during data entry).
    some = db.session.scalars(
        select(Employee).where(Employee.position_id.is_not(None)).order_by(Employee.id).offset(50)
    ).first()
    some.birth_date = some.birth_date + timedelta(days=3)
    # A likely duplicate: the same person entered twice under two NIPs.
    twin_src = db.session.scalars(select(Employee).order_by(Employee.id).offset(80)).first()
    twin = _make_employee(gen, twin_src.position, twin_src.unit)
    twin.name, twin.birth_date, twin.gender = twin_src.name, twin_src.birth_date, twin_src.gender
    twin.nip = gen.nip(twin_src.birth_date, twin.tmt_cpns, twin.gender)
    db.session.flush()
    _ = rng


def create_demo_accounts(today: date) -> dict[str, str]:
    """One account per role, on employees that make sense for it; passwords are DEMO_PASSWORD."""
    from sqlalchemy import select

    def emp_in(opd_code: str, kind: PositionKind, leader: bool | None = None) -> Employee:
        stmt = (
            select(Employee)
            .join(Position, Position.id == Employee.position_id)
            .join(Unit, Unit.id == Employee.unit_id)
            .where(Unit.code.like(f"{opd_code}%"), Position.kind == kind, Employee.active.is_(True))
            .order_by(Employee.id)
        )
        if leader is not None:
            stmt = stmt.where(Position.is_leader.is_(leader))
        return db.session.scalars(stmt).first()

    atasan = emp_in("BKPSDM-B3", PositionKind.ADMINISTRATOR, True)  # Kepala Bidang Penilaian Kinerja
    kasi = db.session.scalars(
        select(Employee)
        .join(Position, Position.id == Employee.position_id)
        .where(Position.parent_id == atasan.position_id, Position.kind == PositionKind.PENGAWAS)
    ).first()
    staff = db.session.scalars(
        select(Employee)
        .join(Position, Position.id == Employee.position_id)
        .where(Position.parent_id == kasi.position_id, Employee.status_asn == StatusAsn.PNS)
    ).first()
    plan = [
        ("pegawai", staff, {Role.PEGAWAI}),
        ("atasan", kasi, {Role.PEGAWAI}),
        ("kabid", atasan, {Role.PEGAWAI}),
        ("kepegawaian", emp_in("BKPSDM-B1", PositionKind.PELAKSANA), {Role.PEGAWAI, Role.ADMIN_KEPEGAWAIAN}),
        ("operator", emp_in("BPKAD-B2", PositionKind.PELAKSANA), {Role.PEGAWAI, Role.OPERATOR_KEUANGAN}),
        ("verifikator", emp_in("BPKAD-B2", PositionKind.PENGAWAS), {Role.PEGAWAI, Role.VERIFIKATOR_KEUANGAN}),
        ("pejabat", emp_in("BPKAD-B2", PositionKind.ADMINISTRATOR, True), {Role.PEGAWAI, Role.PEJABAT_KEUANGAN}),
        ("admin", None, {Role.ADMINISTRATOR}),
    ]
    out: dict[str, str] = {}
    for username, emp, roles in plan:
        user = User(username=username, employee=emp, session_token=secrets.token_hex(16))
        user.set_password(DEMO_PASSWORD)
        user.set_roles(roles)
        db.session.add(user)
        out[username] = ", ".join(sorted(r.label for r in roles))
    db.session.flush()
    return out


def seed_followup_demo(today: date) -> dict[str, int]:
    """Follow-up examples on the demo accounts: one running pembinaan plan, one penghargaan proposal.

    Needs final ratings, so it adds last year's (closed) period and three final annual ratings when the
    demo has none; last year's annual predikat is what this year's follow-up acts on: a sibling of `pegawai` (Butuh Perbaikan, with a plan started two months ago and one
    coaching session), `pegawai` (Butuh Perbaikan, waiting in HR's queue for a plan) and `atasan`
    (Sangat Baik, proposed for a penghargaan by `kabid`). Existing ratings are kept as they are.
    """
    from sqlalchemy import select

    from ..domain.penghargaan import AwardSource, award_basis
    from ..domain.predikat import Ekspektasi, predikat
    from ..domain.skp import Frequency, PeriodStatus
    from ..models import ANNUAL, AwardProposal, PerformanceRating, Period, RatingStatus
    from . import pembinaan
    from .org import appraisers

    users = {
        u.username: u
        for u in db.session.scalars(
            select(User).where(User.username.in_(["pegawai", "atasan", "kabid", "kepegawaian"]))
        )
    }
    year = today.year - 1
    period = db.session.scalar(select(Period).where(Period.year == year))
    if period is None:
        period = Period(
            year=year,
            frequency=Frequency.TRIWULAN,
            start_date=date(year, 1, 1),
            end_date=date(year, 12, 31),
            status=PeriodStatus.CLOSED,
        )
        db.session.add(period)
        db.session.flush()
    atasan, pegawai, kabid = (users[n].employee for n in ("atasan", "pegawai", "kabid"))
    # A small demo (--employees) may leave `pegawai` without a colleague: then no running plan is shown.
    sibling = next((e for e in appraisers.direct_subordinates(atasan, today) if e.id != pegawai.id), None)

    def rating(emp: Employee, appraiser: Employee, hasil: Ekspektasi, perilaku: Ekspektasi) -> PerformanceRating:
        found = db.session.scalar(
            select(PerformanceRating).where(
                PerformanceRating.employee_id == emp.id,
                PerformanceRating.period_id == period.id,
                PerformanceRating.window_no == ANNUAL,
            )
        )
        if found is not None:
            return found
        r = PerformanceRating(
            employee_id=emp.id,
            period_id=period.id,
            window_no=ANNUAL,
            hasil_kerja=hasil,
            perilaku_kerja=perilaku,
            predikat=predikat(hasil, perilaku),
            status=RatingStatus.FINAL,
            appraiser_id=appraiser.id,
            rated_on=min(date(year + 1, 1, 15), today),
        )
        db.session.add(r)
        db.session.flush()
        return r

    low = rating(sibling, atasan, Ekspektasi.DI_BAWAH, Ekspektasi.SESUAI) if sibling else None
    rating(pegawai, atasan, Ekspektasi.DI_BAWAH, Ekspektasi.SESUAI)
    top = rating(atasan, kabid, Ekspektasi.DI_ATAS, Ekspektasi.DI_ATAS)
    made = {"plans": 0, "proposals": 0}
    if low is not None and pembinaan.needs_plan(low) and pembinaan.plan_of_rating(low.id) is None:
        start = today - timedelta(days=60)
        plan = pembinaan.start_improvement_plan(
            sibling,
            low,
            atasan,
            start_date=start,
            goal="Laporan kegiatan bulanan diserahkan tepat waktu dan lengkap dengan bukti dukung.",
            actions=[
                pembinaan.AgreedAction("Menyusun jadwal kerja mingguan bersama atasan", start + timedelta(days=14)),
                pembinaan.AgreedAction("Mengikuti bimbingan teknis pelaporan kinerja", start + timedelta(days=75)),
            ],
            actor=users["kepegawaian"],
        )
        pembinaan.log_session(
            plan,
            held_on=plan.check_ins[0].scheduled_on,
            notes="Membahas hambatan penyusunan laporan; pegawai menyanggupi menyerahkan draf setiap Jumat.",
            actions=[pembinaan.AgreedAction("Menyerahkan draf laporan setiap Jumat", today + timedelta(days=30))],
            check_in_id=plan.check_ins[0].id,
            coach=atasan,
            actor=users["atasan"],
            today=today,
        )
        made["plans"] = 1
    basis = award_basis(top.predikat)
    exists = db.session.scalar(
        select(AwardProposal.id).where(AwardProposal.employee_id == atasan.id, AwardProposal.period_id == period.id)
    )
    if basis is not None and top.status == RatingStatus.FINAL and exists is None:
        db.session.add(
            AwardProposal(
                employee_id=atasan.id,
                period_id=period.id,
                rating_id=top.id,
                source=AwardSource.ATASAN,
                reason=f"{basis} — penilaian tahunan {period.year}: hasil kerja {top.hasil_kerja.label}, "
                f"perilaku kerja {top.perilaku_kerja.label}",
                note="Memimpin percepatan verifikasi usul kenaikan pangkat tanpa tunggakan.",
                proposed_by_id=users["kabid"].id,
            )
        )
        made["proposals"] = 1
    db.session.flush()
    return made


def seed_development(today: date) -> int:
    """Demo catalogue of pengembangan kompetensi, version 1 of the referral rules, and BKPSDM's kop surat,
    signer and register for surat tugas / daftar peserta, so the referral queue works out of the box.
    Returns the number of programmes created."""
    from sqlalchemy import select

    from ..domain.development import ProgrammeBentuk as B
    from ..models import DocType, Letterhead, NumberRegister, Programme, SignerConfig
    from .development.rules import seed_default_rules

    def d(days: int) -> date:
        return today + timedelta(days=days)

    adm = [PositionKind.ADMINISTRATOR.value, PositionKind.PENGAWAS.value, PositionKind.FUNGSIONAL.value]
    catalogue = [
        (
            "PK-01",
            "Pembinaan Kinerja dan Rencana Perbaikan 6 Bulan",
            B.PEMBINAAN_KINERJA,
            20,
            "BKPSDM Kab. Lampung Utara",
            None,
            None,
            None,
            [],
            [],
            None,
            0,
            "Dialog kinerja bulanan dengan atasan langsung dan pendamping BKPSDM.",
        ),
        (
            "CO-01",
            "Coaching Nilai BerAKHLAK di Tempat Kerja",
            B.COACHING,
            12,
            "BKPSDM Kab. Lampung Utara",
            None,
            None,
            None,
            ["berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif"],
            [],
            None,
            0,
            "Coaching 6 sesi oleh coach bersertifikat.",
        ),
        (
            "CO-02",
            "Coaching Kolaborasi dan Harmoni Tim",
            B.COACHING,
            8,
            "BKPSDM Kab. Lampung Utara",
            d(21),
            d(22),
            25,
            ["kolaboratif", "harmonis"],
            [],
            None,
            1_500_000,
            "Lokakarya dua hari.",
        ),
        (
            "PM-01",
            "Pelatihan Manajerial Calon Pemimpin (Talent Pool)",
            B.PELATIHAN_MANAJERIAL,
            40,
            "BPSDM Provinsi Lampung",
            d(35),
            d(39),
            20,
            [],
            adm,
            "III/b",
            4_500_000,
            "Kepemimpinan, manajemen perubahan, pengambilan keputusan.",
        ),
        (
            "EL-01",
            "MOOC ASN Pembelajar: Literasi Digital",
            B.E_LEARNING,
            20,
            "Lembaga Administrasi Negara",
            None,
            None,
            None,
            ["adaptif"],
            [],
            None,
            0,
            "E-learning mandiri di portal LAN.",
        ),
        (
            "BT-01",
            "Bimbingan Teknis Penyusunan SKP dan Dialog Kinerja",
            B.BIMTEK,
            16,
            "BKPSDM Kab. Lampung Utara",
            d(14),
            d(15),
            40,
            ["akuntabel"],
            [],
            None,
            750_000,
            "Praktik menyusun RHK, IKI dan bukti dukung.",
        ),
        (
            "SM-01",
            "Seminar Pelayanan Publik Prima",
            B.SEMINAR,
            8,
            "Ombudsman RI Perwakilan Lampung",
            d(28),
            d(28),
            100,
            ["berorientasi_pelayanan"],
            [],
            None,
            0,
            "Standar pelayanan dan pengelolaan pengaduan.",
        ),
        (
            "MG-01",
            "Magang Pengelolaan Arsip Kepegawaian",
            B.MAGANG,
            40,
            "Kantor Regional V BKN",
            d(49),
            d(53),
            5,
            [],
            [PositionKind.PELAKSANA.value],
            None,
            2_000_000,
            "Praktik kerja di bidang arsip.",
        ),
    ]
    for code, name, bentuk, jp, provider, start, end, cap, values, kinds, min_gol, cost, desc in catalogue:
        db.session.add(
            Programme(
                code=code,
                name=name,
                bentuk=bentuk,
                jp=jp,
                provider=provider,
                start_date=start,
                end_date=end,
                capacity=cap,
                berakhlak_values=values,
                eligible_kinds=kinds,
                min_golongan=min_gol,
                cost=cost,
                description=desc,
                location="Kotabumi" if start else None,
                active=True,
            )
        )
    db.session.flush()
    seed_default_rules(date(today.year, 1, 1))

    bkpsdm = db.session.scalar(select(Unit).where(Unit.code == "BKPSDM"))
    if bkpsdm is not None and db.session.scalar(select(Letterhead.id).where(Letterhead.unit_id == bkpsdm.id)) is None:
        db.session.add(
            Letterhead(
                unit_id=bkpsdm.id,
                pemda_name="Pemerintah Kabupaten Lampung Utara",
                opd_name=bkpsdm.name,
                address="Jalan Jenderal Sudirman Nomor 1, Kotabumi, Lampung Utara 34511",
                contact="Telepon (0724) 21000 · Pos-el bkpsdm@lampungutarakab.go.id",
                city="Kotabumi",
            )
        )
        head = db.session.scalar(
            select(Employee)
            .join(Position, Position.id == Employee.position_id)
            .where(Position.unit_id == bkpsdm.id, Position.is_leader.is_(True))
        )
        # Demo-only signers and registers so that every document of the demo can be issued at once; the
        # classification codes after 800 (kepegawaian) are examples — each Pemda sets its own (Dokumen › Register).
        for doc_type in (DocType.SURAT_TUGAS, DocType.DAFTAR_PESERTA, DocType.SK_PENGHARGAAN, DocType.KARTU_PEGAWAI):
            if head is not None:
                db.session.add(
                    SignerConfig(
                        unit_id=bkpsdm.id,
                        doc_type=doc_type,
                        jabatan=f"Kepala {bkpsdm.name}",
                        name=head.full_name,
                        nip=head.nip,
                        pangkat=head.pangkat or head.golongan,
                        place="Kotabumi",
                        employee_id=head.id,
                    )
                )
        for doc_type, pattern in (
            (DocType.SURAT_TUGAS, "800.1.13/{nomor}/BKPSDM/{tahun}"),
            (DocType.SK_PENGHARGAAN, "800.1.12.4/{nomor}/BKPSDM/{tahun}"),
            (DocType.KARTU_PEGAWAI, "800.1.2/{nomor}/BKPSDM/{tahun}"),
        ):
            db.session.add(
                NumberRegister(
                    unit_id=bkpsdm.id, doc_type=doc_type, year=today.year, pattern=pattern, kode_unit="BKPSDM"
                )
            )
    db.session.flush()
    return len(catalogue)


def seed_payroll_status_demo(today: date) -> int:
    """Two TPP status periods on demo employees that hold no demo account: a tugas belajar (open-ended,
    from the start of last month) and a hukuman disiplin ringan over this year, each with an SK. The
    tunjangan jabatan needs no seed: it comes from the rule table loaded by `flask payroll muat-aturan`."""
    from sqlalchemy import select

    from ..models import PayrollStatusPeriod

    taken = set(db.session.scalars(select(User.employee_id).where(User.employee_id.is_not(None))))
    ids = [i for i in db.session.scalars(select(Employee.id).order_by(Employee.id).limit(40)) if i not in taken]
    if len(ids) < 2 or db.session.scalar(select(PayrollStatusPeriod.id).limit(1)):
        return 0
    first_of_last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    db.session.add_all(
        [
            PayrollStatusPeriod(
                employee_id=ids[-1],
                kind="TUGAS_BELAJAR",
                mulai=first_of_last_month,
                dasar="SK Bupati 800/123/BKPSDM/" + str(today.year),
                alasan="Tugas belajar S2 (contoh data demo)",
            ),
            PayrollStatusPeriod(
                employee_id=ids[-2],
                kind="HUKDIS_RINGAN",
                mulai=date(today.year, 1, 1),
                sampai=date(today.year, 12, 31),
                dasar="SK 862/45/BKPSDM/" + str(today.year),
                alasan="Teguran tertulis PP 94/2021 (contoh data demo)",
            ),
        ]
    )
    db.session.flush()
    return 2
