"""Rule payloads to and from JSON-ready data, so rule versions can be stored as rows and read back exactly.

Pure and generic: driven by the payload dataclasses' type hints. Decimals travel as strings (exact),
enums as their value, mapping keys as strings (decoded back to int/enum by the key type).
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import cache

from .. import DomainError
from .rules import RuleTable, RuleVersion
from .slip import PayrollRules


def _json_key(f: dataclasses.Field) -> str:
    """The field's key in stored data: its name, or the older name it keeps there (`metadata["json"]`)."""
    return f.metadata.get("json", f.name)


def _stored_key(f: dataclasses.Field, data: Mapping) -> str | None:
    """The key `data` holds the field under (the stored name first, then the field's name); None if absent."""
    return next((k for k in (_json_key(f), f.name) if k in data), None)


def encode(value):
    """A payload (frozen dataclass tree) as JSON-ready data."""
    if dataclasses.is_dataclass(value):
        return {_json_key(f): encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(encode(k)): encode(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, frozenset | set):
        return sorted(encode(v) for v in value)
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    return value


@cache
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def decode(tp, data):
    """Inverse of `encode` for the declared type `tp`; `DomainError` (Indonesian) on malformed data."""
    try:
        return _decode(tp, data)
    except DomainError:
        raise
    except (KeyError, TypeError, ValueError, ArithmeticError) as e:
        raise DomainError(f"Data aturan tidak sesuai bentuk yang diharapkan ({e.__class__.__name__}: {e}).") from e


def _decode(tp, data):
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if data is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return _decode(inner[0], data)
    if dataclasses.is_dataclass(tp):
        if not isinstance(data, Mapping):
            raise TypeError(f"{tp.__name__} harus berupa objek")
        hints = _hints(tp)
        kwargs = {
            f.name: _decode(hints[f.name], data[key])
            for f in dataclasses.fields(tp)
            if f.init and (key := _stored_key(f, data)) is not None
        }
        return tp(**kwargs)
    if origin is tuple:
        return tuple(_decode(args[0], v) for v in data)
    if origin is frozenset:
        return frozenset(_decode(args[0], v) for v in data)
    if origin in (Mapping, dict, typing.Mapping) or origin is getattr(typing, "Mapping", None):
        return {_decode(args[0], k): _decode(args[1], v) for k, v in data.items()}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(data)
    if tp is Decimal:
        if isinstance(data, float):
            raise TypeError("angka desimal harus ditulis sebagai teks, bukan float")
        return Decimal(str(data))
    if tp is bool:
        if not isinstance(data, bool):
            raise TypeError("harus true/false")
        return data
    if tp is int:
        if isinstance(data, bool) or not isinstance(data, int | str):
            raise TypeError("harus bilangan bulat")
        return int(data)
    if tp is str:
        if not isinstance(data, str):
            raise TypeError("harus teks")
        return data
    if tp is date:
        return date.fromisoformat(data)
    raise TypeError(f"tipe {tp!r} tidak didukung")


@cache
def payload_types() -> dict[str, type]:
    """Table code (= `PayrollRules` field) → payload class."""
    hints = typing.get_type_hints(PayrollRules)
    return {f.name: typing.get_args(hints[f.name])[0] for f in dataclasses.fields(PayrollRules)}


def rules_from_rows(rows, labels: Mapping[str, str]) -> PayrollRules:
    """Build `PayrollRules` from stored rows (objects with code, version_id, berlaku_mulai, berlaku_sampai,
    citation, data). Tables without rows are empty (their `.problems()` says so)."""
    types_ = payload_types()
    by_code: dict[str, list[RuleVersion]] = {code: [] for code in types_}
    for r in rows:
        if r.code not in types_:
            continue
        by_code[r.code].append(
            RuleVersion(r.version_id, r.berlaku_mulai, r.citation, decode(types_[r.code], r.data), r.berlaku_sampai)
        )
    return PayrollRules(
        **{
            code: RuleTable(code, labels.get(code, code), tuple(sorted(vs, key=lambda v: v.berlaku_mulai)))
            for code, vs in by_code.items()
        }
    )
