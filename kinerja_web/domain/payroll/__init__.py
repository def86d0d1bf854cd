"""Payroll domain core: gaji, TPP and PPh 21 from versioned rule tables (domain reference §4–§6).

Pure: `Decimal` arithmetic, whole-rupiah results, no Flask/SQLAlchemy/clock. The usual entry points:

    rules = default_rules()                       # or built from the database's rule rows
    rules.problems()                              # Indonesian list; empty when the tables are valid
    slip = compute_monthly(EmployeeInputs(...), rules, date(2026, 10, 1))
    slip.lines, slip.netto(Bagian.GAJI), slip.rule_versions

For a whole run resolve the month once and pass the `ResolvedRules` (`rules.resolve(month)`) instead of
`PayrollRules`: resolving per employee costs about a third of the compute time.
"""

from .defaults import default_rules, read_rule_csv
from .gaji import gaji_pokok, lookup_gaji_pokok, tunjangan_anak, tunjangan_beras, tunjangan_suami_istri, tunjangan_umum
from .iuran import bpjs_dasar, bpjs_kesehatan, iwp, jkk_jkm, tapera
from .lines import (
    INPUT_LABELS,
    ROUNDING_COMPONENT,
    ROUNDING_PKP,
    Bagian,
    JenisTunjanganJabatan,
    Line,
    LineKind,
    describe_inputs,
    rule_version_text,
    to_rupiah,
)
from .pph21 import (
    PphTahunan,
    biaya_jabatan,
    kategori_ter,
    pasal17,
    pph21_masa_terakhir,
    pph21_ter,
    ptkp_row,
    round_down_pkp,
    ter_rate,
)
from .rules import RuleTable, RuleVersion, first_of_month
from .slip import PTKP_JSON_KEY, EmployeeInputs, PayrollRules, Payslip, ResolvedRules, YtdValues, compute_monthly
from .tpp import AttendanceEvent, PotonganDisiplin, PotonganItem, faktor_status, potongan_disiplin, tpp

__all__ = [
    "rule_version_text",
    "INPUT_LABELS",
    "ROUNDING_COMPONENT",
    "ROUNDING_PKP",
    "AttendanceEvent",
    "Bagian",
    "EmployeeInputs",
    "PTKP_JSON_KEY",
    "JenisTunjanganJabatan",
    "Line",
    "LineKind",
    "PayrollRules",
    "Payslip",
    "PotonganDisiplin",
    "PotonganItem",
    "PphTahunan",
    "ResolvedRules",
    "RuleTable",
    "RuleVersion",
    "YtdValues",
    "biaya_jabatan",
    "bpjs_dasar",
    "bpjs_kesehatan",
    "compute_monthly",
    "default_rules",
    "describe_inputs",
    "faktor_status",
    "first_of_month",
    "gaji_pokok",
    "iwp",
    "jkk_jkm",
    "kategori_ter",
    "lookup_gaji_pokok",
    "pasal17",
    "potongan_disiplin",
    "pph21_masa_terakhir",
    "pph21_ter",
    "ptkp_row",
    "read_rule_csv",
    "round_down_pkp",
    "tapera",
    "ter_rate",
    "to_rupiah",
    "tpp",
    "tunjangan_anak",
    "tunjangan_beras",
    "tunjangan_suami_istri",
    "tunjangan_umum",
]
