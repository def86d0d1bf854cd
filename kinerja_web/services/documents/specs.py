"""What a document type is (`DocSpec`: template, frozen-context builder, title, numbering, signer), and the
lookup of the specs the app was built with.

Every spec is listed once in `kinerja_web/document_specs.py`; `create_app` hands that list to the app, and the
issuing code finds a type's spec with `spec_for`. The list sits above the areas (it imports each area's spec),
so this package never imports the areas that issue through it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from flask import current_app

from ...domain.documents import DocType
from ...models import Employee

ContextBuilder = Callable[[Sequence[Employee], dict], dict]
EXTENSION = "kinerja_document_specs"


class Numbering(Enum):
    """Whether a document type takes a number from the OPD's register (buku register nomor surat)."""

    REQUIRED = "wajib"  # decrees: no register, no document
    OPTIONAL = "opsional"  # "tanpa nomor" unless the OPD opened a register for the type (e.g. the SKP)


@dataclass(frozen=True)
class DocSpec:
    doc_type: DocType
    template: str
    build: ContextBuilder  # frozen, JSON-safe values; raises DomainError for incomplete data
    title: Callable[[dict], str]
    numbering: Numbering = Numbering.REQUIRED
    # Signer taken from the frozen body (e.g. the SKP's pejabat penilai) instead of SignerConfig.
    signer: Callable[[dict], dict] | None = None
    letterhead_required: bool = True


def person_signer(person: dict, title: str, place: str, acting: str = "definitif") -> dict:
    """A `DocSpec.signer` answer from a person as a frozen body prints them (nama, nip, pangkat, jabatan)."""
    return {
        "title": title,
        "jabatan": person["jabatan"],
        "name": person["nama"],
        "nip": person["nip"],
        "pangkat": person["pangkat"],
        "place": place,
        "acting": acting,
    }


def install(app, specs: Iterable[DocSpec]) -> None:
    """Give the app its document types (called once by `create_app`); a type listed twice is a wiring bug."""
    by_type: dict[DocType, DocSpec] = {}
    for spec in specs:
        if spec.doc_type in by_type:
            raise ValueError(f"document type {spec.doc_type.value} is listed twice")
        by_type[spec.doc_type] = spec
    app.extensions[EXTENSION] = by_type


def spec_for(doc_type: DocType) -> DocSpec:
    return current_app.extensions[EXTENSION][doc_type]
