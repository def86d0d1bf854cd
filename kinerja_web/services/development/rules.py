"""Referral rules, versioned: a change adds a version with its start date and who made it (old suggestions
stay explainable)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ...domain import DomainError
from ...domain.development import (
    IMPROVEMENT_MONTHS,
    MIN_ATTENDANCE_DEFAULT,
    ProgrammeBentuk,
    check_min_attendance,
)
from ...domain.predikat import Predikat
from ...extensions import db
from ...models import (
    Programme,
    ReferralRule,
    RuleKind,
    User,
    utcnow,
)

# --- rules (versioned) ---------------------------------------------------------------------------------

# Which form of development a gap in a competency suggests (domain §11.2 → §3.2) [R: BKPSDM may change it in a
# new rule version]; "teknis" stands for every teknis competency.
GAP_BENTUK: dict[str, str] = {
    "INT": ProgrammeBentuk.E_LEARNING.value,
    "KS": ProgrammeBentuk.MENTORING.value,
    "KOM": ProgrammeBentuk.PELATIHAN_KLASIKAL.value,
    "OPH": ProgrammeBentuk.COACHING.value,
    "PP": ProgrammeBentuk.BIMTEK.value,
    "PDOL": ProgrammeBentuk.COACHING.value,
    "MP": ProgrammeBentuk.PELATIHAN_MANAJERIAL.value,
    "PK": ProgrammeBentuk.PELATIHAN_MANAJERIAL.value,
    "PB": ProgrammeBentuk.SEMINAR.value,
    "teknis": ProgrammeBentuk.BIMTEK.value,
}

DEFAULT_RULES: dict[RuleKind, tuple[ProgrammeBentuk, dict, str]] = {
    RuleKind.PREDIKAT_RENDAH: (
        ProgrammeBentuk.PEMBINAAN_KINERJA,
        {
            "predikat": [
                Predikat.BUTUH_PERBAIKAN.value,
                Predikat.KURANG_MISCONDUCT.value,
                Predikat.SANGAT_KURANG.value,
            ],
            "plan_months": IMPROVEMENT_MONTHS,
        },
        "PP 30/2019 Pasal 57: kesempatan 6 bulan untuk memperbaiki kinerja.",
    ),
    RuleKind.BERAKHLAK_RENDAH: (
        ProgrammeBentuk.COACHING,
        {"threshold": "2.50"},
        "Coaching pada nilai BerAKHLAK yang rata-ratanya (rekan/atasan/bawahan) di bawah batas.",
    ),
    RuleKind.PREDIKAT_TINGGI: (
        ProgrammeBentuk.PELATIHAN_MANAJERIAL,
        {"predikat": [Predikat.SANGAT_BAIK.value]},
        "Pelatihan manajerial, kelompok rencana suksesi (talent pool) dan usulan penghargaan.",
    ),
    RuleKind.JP_KURANG: (
        ProgrammeBentuk.E_LEARNING,
        {"month": 9},
        "PP 17/2020 Pasal 203: hak pengembangan kompetensi paling sedikit 20 JP per tahun.",
    ),
    RuleKind.GAP_KOMPETENSI: (
        ProgrammeBentuk.PELATIHAN_MANAJERIAL,
        {"min_gap": "0.5", "bentuk_per_kompetensi": dict(GAP_BENTUK)},
        "Kesenjangan kompetensi dari penilaian kompetensi (PermenPANRB 38/2017; Perlan LAN 10/2018): "
        "kompetensi manajerial → bentuk pengembangan yang sesuai, teknis → bimbingan teknis.",
    ),
    RuleKind.KEHADIRAN_MINIMAL: (
        ProgrammeBentuk.PELATIHAN_KLASIKAL,
        {"percent": MIN_ATTENDANCE_DEFAULT},
        "Batas kehadiran ditetapkan BKPSDM/penyelenggara (PP 17/2020 Pasal 203 mengatur hak 20 JP, bukan batas "
        "kehadiran); nilai awal 80%, sesuaikan dengan ketentuan daerah.",
    ),
}
# The minimum attendance suggests no programme; its rows carry this form (the column is required).
ATTENDANCE_BENTUK = ProgrammeBentuk.PELATIHAN_KLASIKAL
# The rules that turn results into suggestions (all but the minimum attendance, which governs completion).
SUGGESTING = frozenset(RuleKind) - {RuleKind.KEHADIRAN_MINIMAL}


@dataclass(frozen=True)
class MinimumAttendance:
    """The minimum attendance for JP on a date, and the rule version it comes from (None: the built-in default
    of an installation that has no version yet; an inactive version means no minimum)."""

    percent: int
    rule: ReferralRule | None


def minimum_attendance(on: date) -> MinimumAttendance:
    rule = rules_in_force(on).get(RuleKind.KEHADIRAN_MINIMAL)
    if rule is None:
        return MinimumAttendance(MIN_ATTENDANCE_DEFAULT, None)
    return MinimumAttendance(int(rule.params.get("percent", MIN_ATTENDANCE_DEFAULT)) if rule.active else 0, rule)


def rules_in_force(on: date) -> dict[RuleKind, ReferralRule]:
    """The version of each rule in force on a date (latest berlaku_mulai ≤ date, then highest version)."""
    rows = db.session.scalars(
        select(ReferralRule)
        .where(ReferralRule.berlaku_mulai <= on)
        .options(joinedload(ReferralRule.programme))
        .order_by(ReferralRule.berlaku_mulai, ReferralRule.version)
    ).all()
    out: dict[RuleKind, ReferralRule] = {}
    for r in rows:
        out[r.kind] = r
    return out


def describe(rule: ReferralRule) -> str:
    """A rule version's parameters in words, for the pages (never the stored keys and codes)."""
    from ...domain.labels import NAMA_BULAN

    p = rule.params or {}
    parts = []
    if p.get("predikat"):
        parts.append("predikat " + ", ".join(Predikat(v).label for v in p["predikat"]))
    if p.get("plan_months"):
        parts.append(f"rencana perbaikan {p['plan_months']} bulan")
    if p.get("threshold"):
        parts.append(f"batas nilai {str(p['threshold']).replace('.', ',')}")
    if p.get("month"):
        parts.append(f"mulai bulan {NAMA_BULAN[p['month'] - 1]}")
    if p.get("percent"):
        parts.append(f"kehadiran minimal {p['percent']}%")
    if p.get("min_gap"):
        parts.append(f"kesenjangan minimal {str(p['min_gap']).replace('.', ',')} level")
    if p.get("bentuk_per_kompetensi"):
        labels = {b.value: b.label for b in ProgrammeBentuk}
        parts.append(
            "bentuk: " + ", ".join(f"{k} {labels.get(v, v).lower()}" for k, v in p["bentuk_per_kompetensi"].items())
        )
    return "; ".join(parts) or "–"


def rule_history() -> list[ReferralRule]:
    return list(
        db.session.scalars(
            select(ReferralRule)
            .options(joinedload(ReferralRule.programme), joinedload(ReferralRule.changed_by))
            .order_by(ReferralRule.kind, ReferralRule.version.desc())
        )
    )


def _clean_params(kind: RuleKind, params: dict) -> dict:
    """Validate a rule's parameters; messages name the form field."""
    if kind in (RuleKind.PREDIKAT_RENDAH, RuleKind.PREDIKAT_TINGGI):
        allowed = {p.value for p in Predikat}
        chosen = [p for p in params.get("predikat", []) if p in allowed]
        if not chosen:
            raise DomainError("Pilih minimal satu predikat.", field="predikat")
        out: dict = {"predikat": chosen}
        if kind == RuleKind.PREDIKAT_RENDAH:
            months = params.get("plan_months")
            if not isinstance(months, int) or not 1 <= months <= 12:
                raise DomainError("Lama rencana perbaikan 1–12 bulan.", field="plan_months")
            out["plan_months"] = months
        return out
    if kind == RuleKind.BERAKHLAK_RENDAH:
        try:
            t = Decimal(str(params.get("threshold", "")).replace(",", "."))
        except InvalidOperation:
            raise DomainError("Batas nilai harus berupa angka, misalnya 2,50.", field="threshold") from None
        if not Decimal(1) <= t <= Decimal(5):
            raise DomainError("Batas nilai harus di antara 1 dan 5.", field="threshold")
        return {"threshold": str(t.quantize(Decimal("0.01")))}
    if kind == RuleKind.KEHADIRAN_MINIMAL:
        return {"percent": check_min_attendance(params.get("percent"))}
    if kind == RuleKind.GAP_KOMPETENSI:
        try:
            gap = Decimal(str(params.get("min_gap", "")).replace(",", "."))
        except InvalidOperation:
            raise DomainError("Kesenjangan minimal harus berupa angka, misalnya 0,5.", field="threshold") from None
        if not Decimal("0.5") <= gap <= Decimal(4) or (gap * 2) % 1:
            raise DomainError("Kesenjangan minimal 0,5 sampai 4 dengan kelipatan 0,5.", field="threshold")
        mapping = params.get("bentuk_per_kompetensi") or dict(GAP_BENTUK)
        allowed = {b.value for b in ProgrammeBentuk}
        if not isinstance(mapping, dict) or any(v not in allowed for v in mapping.values()):
            raise DomainError("Bentuk pengembangan per kompetensi tidak sah.", field="threshold")
        return {"min_gap": str(gap.quantize(Decimal("0.1"))), "bentuk_per_kompetensi": dict(mapping)}
    month = params.get("month")
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise DomainError("Bulan pemeriksaan 1–12.", field="month")
    return {"month": month}


def save_rule(
    kind: RuleKind,
    *,
    bentuk: ProgrammeBentuk,
    programme_id: int | None,
    params: dict,
    berlaku_mulai: date,
    active: bool,
    note: str | None,
    actor: User | None,
) -> ReferralRule:
    """Add a new version of a rule (versions are never edited, so old suggestions stay explainable)."""
    clean = _clean_params(kind, params)
    if programme_id is not None and db.session.get(Programme, programme_id) is None:
        raise DomainError("Program tidak ditemukan.", field="programme_id")
    last = db.session.scalar(select(func.max(ReferralRule.version)).where(ReferralRule.kind == kind)) or 0
    rule = ReferralRule(
        kind=kind,
        version=last + 1,
        berlaku_mulai=berlaku_mulai,
        active=active,
        bentuk=bentuk,
        programme_id=programme_id,
        params=clean,
        note=(note or "").strip()[:500] or None,
        changed_by_id=actor.id if actor else None,
        changed_at=utcnow(),
    )
    db.session.add(rule)
    db.session.flush()
    return rule


def seed_default_rules(since: date, actor: User | None = None) -> list[ReferralRule]:
    """Version 1 of each rule that has none yet (for a new installation, the demo, and a rule added by an update);
    existing rules are left alone."""
    have = set(db.session.scalars(select(ReferralRule.kind).distinct()))
    out = []
    for kind, (bentuk, params, note) in DEFAULT_RULES.items():
        if kind in have:
            continue
        programme_id = db.session.scalar(
            select(Programme.id).where(Programme.bentuk == bentuk, Programme.active.is_(True)).order_by(Programme.id)
        )
        out.append(
            save_rule(
                kind,
                bentuk=bentuk,
                programme_id=programme_id,
                params=params,
                berlaku_mulai=since,
                active=True,
                note=note,
                actor=actor,
            )
        )
    return out
