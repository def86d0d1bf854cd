"""BerAKHLAK core values, their behaviour guides (panduan perilaku) and the anchored 1–5 rating scale.

The seven values and three guides per value come from SE MenPANRB No. 20/2021 and are the perilaku
kerja of PermenPANRB 6/2022 (domain README §2.5): the SKP's perilaku kerja and the 360 form use these same
values. The guides ship as data (`kinerja_web/data/rules/berakhlak_panduan_perilaku.csv`, a copy of the
shared domain table) and are parsed here without Flask or a database.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from . import DomainError

# Stable codes for the values (stored in responses); the CSV names are the display names.
VALUE_CODES: dict[str, str] = {
    "Berorientasi Pelayanan": "berorientasi_pelayanan",
    "Akuntabel": "akuntabel",
    "Kompeten": "kompeten",
    "Harmonis": "harmonis",
    "Loyal": "loyal",
    "Adaptif": "adaptif",
    "Kolaboratif": "kolaboratif",
}

# The value names in the regulation's order (the SKP's perilaku kerja rows).
BERAKHLAK: tuple[str, ...] = tuple(VALUE_CODES)

SCORE_MIN, SCORE_MAX = 1, 5


@dataclass(frozen=True)
class ScaleLevel:
    score: int
    label: str
    description: str


# Anchored scale used for every value: each point describes how often/how well the behaviour guides are shown,
# so raters answer against the same yardstick (behaviourally anchored rating scale).
SCALE: tuple[ScaleLevel, ...] = (
    ScaleLevel(1, "Sangat kurang", "Perilaku ini hampir tidak pernah terlihat; sering justru sebaliknya."),
    ScaleLevel(2, "Kurang", "Perilaku ini kadang terlihat, tetapi belum konsisten dan perlu banyak diingatkan."),
    ScaleLevel(3, "Cukup", "Perilaku ini terlihat pada sebagian besar situasi kerja sehari-hari."),
    ScaleLevel(4, "Baik", "Perilaku ini konsisten terlihat, juga dalam situasi sulit atau di bawah tekanan."),
    ScaleLevel(5, "Sangat baik", "Perilaku ini selalu terlihat dan menjadi teladan serta mendorong orang lain."),
)
CANNOT_RATE_LABEL = "Tidak dapat menilai"
CANNOT_RATE_DESCRIPTION = "Saya tidak cukup mengamati perilaku ini; jawaban ini tidak dihitung dalam rata-rata."


@dataclass(frozen=True)
class BerakhlakValue:
    code: str
    name: str
    guides: tuple[str, ...]


def parse_guides(text: str) -> tuple[BerakhlakValue, ...]:
    """Parse the guides table (columns nilai, no, panduan_perilaku) into the 7 values in file order.

    Refuses a table that does not hold exactly the 7 known values with 3 guides each, so a damaged
    data file fails loudly at start-up instead of producing a form with a missing value.
    """
    guides: dict[str, list[tuple[int, str]]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        name = row["nilai"].strip()
        if name not in VALUE_CODES:
            raise DomainError(f"Nilai BerAKHLAK tidak dikenal: {name}")
        guides.setdefault(name, []).append((int(row["no"]), row["panduan_perilaku"].strip()))
    if set(guides) != set(VALUE_CODES):
        raise DomainError("Tabel panduan perilaku harus memuat ketujuh nilai BerAKHLAK.")
    values = []
    for name, items in guides.items():
        if sorted(n for n, _ in items) != [1, 2, 3]:
            raise DomainError(f"Nilai {name} harus mempunyai tepat 3 panduan perilaku.")
        values.append(BerakhlakValue(VALUE_CODES[name], name, tuple(g for _, g in sorted(items))))
    return tuple(values)


@cache
def values() -> tuple[BerakhlakValue, ...]:
    """The shipped guides table, parsed once (read-only packaged data, never changed at run time)."""
    text = resources.files("kinerja_web").joinpath("data/rules/berakhlak_panduan_perilaku.csv").read_text("utf-8")
    return parse_guides(text)


def parse_guides_by_name(text: str) -> dict[str, tuple[str, ...]]:
    """Value name → its three panduan perilaku, in the regulation's order (the SKP print and form)."""
    parsed = {v.name: v.guides for v in parse_guides(text)}
    return {name: parsed[name] for name in BERAKHLAK}


@cache
def guides_by_name() -> dict[str, tuple[str, ...]]:
    """The shipped guides by value name (read-only packaged data)."""
    return {v.name: v.guides for v in sorted(values(), key=lambda v: BERAKHLAK.index(v.name))}


def value_codes() -> tuple[str, ...]:
    return tuple(v.code for v in values())


def value_names() -> dict[str, str]:
    return {v.code: v.name for v in values()}
