"""The guide's sections: Markdown files in `kinerja_web/data/guide/`, reviewed like code.

Each file starts with a few `kunci: nilai` lines and a line `---`:

    judul: Menyusun SKP dan cascading
    peran: pegawai, atasan            who it is written for (see ROLE_LABELS)
    layar: skp., rating.index         endpoints (or endpoint prefixes ending in ".") whose "?" opens it
    angka: predikat, kurva            live figures shown under the text (services/guide/figures.py)
    urutan: 20                        position in the guide
    ---
    Markdown text (no raw HTML).

`help_for(endpoint)` answers the "?" link of a screen: the most specific section that names the endpoint.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from markupsafe import Markup

from ...domain import DomainError

GUIDE_DIR = Path(__file__).resolve().parents[2] / "data" / "guide"

ROLE_LABELS: dict[str, str] = {
    "semua": "Semua pengguna",
    "pegawai": "Pegawai",
    "atasan": "Atasan / pejabat penilai",
    "kepegawaian": "Kepegawaian (BKPSDM)",
    "keuangan": "Keuangan (BPKAD)",
    "pimpinan": "Pimpinan",
}
KEYS = {"judul", "peran", "layar", "angka", "urutan"}


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    roles: tuple[str, ...]
    screens: tuple[str, ...]
    figures: tuple[str, ...]
    order: int
    html: Markup

    @property
    def role_labels(self) -> list[str]:
        return [ROLE_LABELS[r] for r in self.roles]


def _split_list(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def parse(slug: str, text: str) -> Section:
    """One content file as a Section; a malformed header raises DomainError naming the file and the line."""
    head, sep, body = text.partition("\n---\n")
    if not sep:
        raise DomainError(f"Panduan {slug}: baris '---' pemisah kepala dan isi tidak ditemukan.")
    meta: dict[str, str] = {}
    for no, line in enumerate(head.splitlines(), start=1):
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        key = key.strip()
        if not colon or key not in KEYS:
            raise DomainError(f"Panduan {slug}, baris {no}: kunci tidak dikenal: {line.strip()!r}.")
        meta[key] = value.strip()
    if not meta.get("judul"):
        raise DomainError(f"Panduan {slug}: judul wajib diisi.")
    roles = _split_list(meta.get("peran", "semua"))
    unknown = [r for r in roles if r not in ROLE_LABELS]
    if unknown:
        raise DomainError(f"Panduan {slug}: peran tidak dikenal: {', '.join(unknown)}.")
    try:
        order = int(meta.get("urutan", "100"))
    except ValueError:
        raise DomainError(f"Panduan {slug}: urutan harus bilangan bulat.") from None
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    return Section(
        slug=slug,
        title=meta["judul"],
        roles=roles,
        screens=_split_list(meta.get("layar", "")),
        figures=_split_list(meta.get("angka", "")),
        order=order,
        html=Markup(md.render(body)),  # html disabled: the text cannot inject markup
    )


@functools.lru_cache(maxsize=4)
def _load(directory: str, stamp: tuple) -> tuple[Section, ...]:
    folder = Path(directory)
    out = [parse(p.stem, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.md"))]
    return tuple(sorted(out, key=lambda s: (s.order, s.slug)))


def sections(directory: Path | None = None) -> tuple[Section, ...]:
    """Every section in guide order (re-read when a file changes)."""
    directory = directory or GUIDE_DIR
    # Checked on every page (its "?" link): one directory scan, not a glob plus a stat per file.
    with os.scandir(directory) as entries:
        stamp = tuple(sorted((e.name, e.stat().st_mtime_ns) for e in entries if e.name.endswith(".md")))
    return _load(str(directory), stamp)


def section(slug: str) -> Section | None:
    return next((s for s in sections() if s.slug == slug), None)


def help_for(endpoint: str | None) -> Section | None:
    """The section a screen's "?" opens: an exact endpoint wins over the longest matching prefix."""
    if not endpoint:
        return None
    best: tuple[int, Section] | None = None
    for s in sections():
        for screen in s.screens:
            if screen == endpoint:
                score = 10_000
            elif screen.endswith(".") and endpoint.startswith(screen):
                score = len(screen)
            else:
                continue
            if best is None or score > best[0]:
                best = (score, s)
    return best[1] if best else None


def for_roles(roles: set[str]) -> tuple[list[Section], list[Section]]:
    """(sections written for these audiences, the rest), each in guide order (audiences: access.guide_roles)."""
    first = [s for s in sections() if roles & set(s.roles)]
    rest = [s for s in sections() if not roles & set(s.roles)]
    return first, rest
