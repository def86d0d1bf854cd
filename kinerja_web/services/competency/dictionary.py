"""The competency dictionary (kamus kompetensi): the 8 manajerial and 1 sosial kultural competencies of
PermenPANRB 38/2017 with a description and behaviour indicators per level, shipped as data
(`data/competency/kamus_kompetensi.csv`, level 0 = the definition) [M: paraphrased from the Lampiran, to be
checked against the official text by BKPSDM]. Teknis competencies are added by HR."""

from __future__ import annotations

import csv
import io
from importlib import resources

from sqlalchemy import select

from ...domain import DomainError
from ...domain.competency import GROUP_OF_NATIONAL, LEVELS, MANAJERIAL, SOSIAL_KULTURAL, CompetencyGroup
from ...extensions import db
from ...models import Competency, CompetencyLevel

KAMUS = "data/competency/kamus_kompetensi.csv"


def _kamus_rows() -> list[dict[str, str]]:
    text = resources.files("kinerja_web").joinpath(KAMUS).read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def ensure_national_competencies() -> list[Competency]:
    """Create the 9 national competencies with their level descriptions when missing (idempotent)."""
    existing = {c.code: c for c in db.session.scalars(select(Competency))}
    names = dict(MANAJERIAL + SOSIAL_KULTURAL)
    rows = _kamus_rows()
    out = []
    for order, code in enumerate(names, start=1):
        comp = existing.get(code)
        if comp is None:
            comp = Competency(code=code, group=GROUP_OF_NATIONAL[code], name=names[code], sort_order=order)
            db.session.add(comp)
            for r in rows:
                if r["kode"] != code:
                    continue
                if r["level"] == "0":
                    comp.definition = r["deskripsi"]
                else:
                    comp.levels.append(
                        CompetencyLevel(
                            level=int(r["level"]),
                            description=r["deskripsi"],
                            indicators="\n".join(i for i in (r["indikator"] or "").split("|") if i),
                        )
                    )
        out.append(comp)
    db.session.flush()
    return out


def add_teknis(code: str, name: str, definition: str | None = None, levels: dict[int, str] | None = None) -> Competency:
    """A teknis competency of the instansi (code unique, upper case)."""
    code = (code or "").strip().upper()
    name = (name or "").strip()
    if not code or len(code) > 20 or not code.replace("_", "").replace("-", "").isalnum():
        raise DomainError("Kode kompetensi wajib diisi: huruf/angka, paling banyak 20 karakter.", field="code")
    if not name:
        raise DomainError("Nama kompetensi wajib diisi.", field="name")
    if db.session.scalar(select(Competency.id).where(Competency.code == code)) is not None:
        raise DomainError(f"Kode kompetensi {code} sudah dipakai.", field="code")
    comp = Competency(code=code, name=name[:200], group=CompetencyGroup.TEKNIS, definition=definition, sort_order=100)
    for lvl in LEVELS:
        text = (levels or {}).get(lvl)
        if text:
            comp.levels.append(CompetencyLevel(level=lvl, description=text[:500]))
    db.session.add(comp)
    db.session.flush()
    return comp
