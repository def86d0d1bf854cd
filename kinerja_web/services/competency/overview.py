"""The OPD/regency competency view: JPM distribution, the most common gaps, and the list behind them.

Reads the JPM snapshots of each employee's latest assessment (`jpm.latest_snapshots`) and the gap snapshots of
its results (`AssessmentResult.required_level`): a constant number of queries whatever the population."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from ... import exports
from ...domain.competency import KATEGORI_ORDER, JpmKategori, jpm_text
from ...extensions import db
from ...models import AssessmentResult, Competency, Employee, Position, Unit
from ..org.units import subtree_ids
from .jpm import LatestSnapshot, latest_snapshots

# JPM bands for the distribution chart (percent, lower bound inclusive).
BANDS: tuple[tuple[str, Decimal, Decimal | None], ...] = (
    ("< 60 %", Decimal(0), Decimal(60)),
    ("60–< 70 %", Decimal(60), Decimal(70)),
    ("70–< 78 %", Decimal(70), Decimal(78)),
    ("78–< 90 %", Decimal(78), Decimal(90)),
    ("≥ 90 %", Decimal(90), None),
)
PAGE_SIZE = 50


@dataclass(frozen=True)
class GapCount:
    code: str
    name: str
    count: int
    share: Decimal  # of the assessed, percent


@dataclass(frozen=True)
class Row:
    employee_id: int
    name: str
    nip: str
    position: str
    snapshot: LatestSnapshot

    @property
    def jpm_text(self) -> str:
        return jpm_text(self.snapshot.jpm)


@dataclass
class Overview:
    population: int
    assessed: int
    by_kategori: list[tuple[JpmKategori, int]]
    bands: list[tuple[str, int]]
    gaps: list[GapCount]
    rows: list[Row]  # the page shown (lowest JPM first)
    page: int
    pages: int
    needs: dict[int, list[str]]  # participant id → codes with a gap (rows on the page only)


def _population(opd: Unit | None) -> list[tuple[int, str, str, int | None]]:
    stmt = select(Employee.id, Employee.name, Employee.nip, Employee.position_id).where(Employee.active.is_(True))
    if opd is not None:
        stmt = stmt.where(Employee.unit_id.in_(subtree_ids(opd)))
    return list(db.session.execute(stmt).all())


def _snapshots(people, opd: Unit | None, on: date | None) -> dict[int, LatestSnapshot]:
    ids = {p[0] for p in people}
    snaps = latest_snapshots(None if opd is None else ids, on)
    return {eid: s for eid, s in snaps.items() if eid in ids and s.jpm is not None}


def gap_counts(participant_ids: list[int]) -> Counter:
    """competency id → how many of these participants fall short of their post's required level."""
    if not participant_ids:
        return Counter()
    rows = db.session.execute(
        select(AssessmentResult.competency_id, func.count())
        .where(
            AssessmentResult.participant_id.in_(participant_ids),
            AssessmentResult.required_level.is_not(None),
            AssessmentResult.level_x2 < AssessmentResult.required_level * 2,
        )
        .group_by(AssessmentResult.competency_id)
    )
    return Counter(dict(rows.all()))


def needs_of(participant_ids: list[int]) -> dict[int, list[str]]:
    if not participant_ids:
        return {}
    out: dict[int, list[str]] = {pid: [] for pid in participant_ids}
    for pid, code in db.session.execute(
        select(AssessmentResult.participant_id, Competency.code)
        .join(Competency)
        .where(
            AssessmentResult.participant_id.in_(participant_ids),
            AssessmentResult.required_level.is_not(None),
            AssessmentResult.level_x2 < AssessmentResult.required_level * 2,
        )
        .order_by(AssessmentResult.participant_id, Competency.sort_order)
    ):
        out[pid].append(code)
    return out


def overview(opd: Unit | None, on: date | None = None, page: int = 1) -> Overview:
    people = _population(opd)
    snaps = _snapshots(people, opd, on)
    kat = Counter(s.kategori for s in snaps.values())
    bands = []
    for label, lo, hi in BANDS:
        bands.append((label, sum(1 for s in snaps.values() if s.jpm >= lo and (hi is None or s.jpm < hi))))
    comps = {c.id: c for c in db.session.scalars(select(Competency))}
    counts = gap_counts([s.participant_id for s in snaps.values()])
    n = len(snaps)
    gaps = [
        GapCount(comps[cid].code, comps[cid].name, c, (Decimal(c) * 100 / n).quantize(Decimal("0.1")))
        for cid, c in counts.most_common()
    ]
    info = {p[0]: p for p in people}
    ordered = sorted(snaps.values(), key=lambda s: (s.jpm, info[s.employee_id][1]))
    pages = max(1, -(-n // PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = ordered[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    pos_names = _position_names({info[s.employee_id][3] for s in shown})
    rows = [
        Row(
            s.employee_id, info[s.employee_id][1], info[s.employee_id][2], pos_names.get(info[s.employee_id][3], "–"), s
        )
        for s in shown
    ]
    return Overview(
        population=len(people),
        assessed=n,
        by_kategori=[(k, kat.get(k, 0)) for k in KATEGORI_ORDER],
        bands=bands,
        gaps=gaps,
        rows=rows,
        page=page,
        pages=pages,
        needs=needs_of([r.snapshot.participant_id for r in rows]),
    )


def _position_names(ids) -> dict[int, str]:
    ids = [i for i in ids if i]
    if not ids:
        return {}
    return {p.id: p.full_name for p in db.session.scalars(select(Position).where(Position.id.in_(ids)))}


def export_xlsx(opd: Unit | None, on: date | None = None) -> bytes:
    """Every assessed employee of the OPD (or regency): JPM, category, gaps; then the summary sheets."""
    people = _population(opd)
    snaps = _snapshots(people, opd, on)
    info = {p[0]: p for p in people}
    needs = needs_of([s.participant_id for s in snaps.values()])
    pos_names = _position_names({info[e][3] for e in snaps})
    wb = exports.workbook(write_only=True)
    ws = wb.create_sheet("JPM pegawai")
    ws.append(
        exports.row(["NIP", "Nama", "Jabatan saat dinilai", "Tanggal penilaian", "JPM (%)", "Kategori", "Kesenjangan"])
    )
    for s in sorted(snaps.values(), key=lambda s: (s.jpm, info[s.employee_id][1])):
        e = info[s.employee_id]
        ws.append(
            exports.row(
                [
                    e[2],
                    e[1],
                    pos_names.get(e[3], ""),
                    s.held_on,
                    float(s.jpm),
                    s.kategori.label if s.kategori else "",
                    ", ".join(needs.get(s.participant_id, [])),
                ]
            )
        )
    ov = overview(opd, on)
    ws2 = wb.create_sheet("Ringkasan")
    ws2.append(exports.row(["Kategori", "Jumlah"]))
    for k, c in ov.by_kategori:
        ws2.append(exports.row([k.label, c]))
    ws2.append(exports.row(["Kompetensi", "Pegawai dengan kesenjangan", "% dari yang dinilai"]))
    for g in ov.gaps:
        ws2.append(exports.row([f"{g.code} {g.name}", g.count, float(g.share)]))
    return exports.xlsx_bytes(wb)
