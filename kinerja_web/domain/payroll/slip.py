"""Monthly composition: `compute_monthly(inputs, rules, month) -> Payslip` (domain reference §4.6, §5, §6.8)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from functools import cached_property
from itertools import chain

from .. import DomainError
from .. import golongan as gol
from ..labels import bulan, tanggal
from ..org import StatusAsn
from ..predikat import Predikat
from . import deductions
from .bases import dasar_iuran
from .gaji import (
    gaji_pokok,
    tunjangan_anak,
    tunjangan_beras,
    tunjangan_jabatan,
    tunjangan_suami_istri,
    tunjangan_umum,
)
from .iuran import bpjs_dasar, bpjs_kesehatan, iwp, jkk_jkm, tapera
from .lines import Bagian, JenisTunjanganJabatan, Line, LineKind, to_rupiah
from .manual import ManualAmount, manual_lines
from .memo import PartMemo
from .pph21 import PphSetahun, PphTahunan, kategori_ter, pph21_disetahunkan, pph21_masa_terakhir, ptkp_row, ter_rate
from .rules import RuleTable, RuleVersion, first_of_month
from .tables import (
    BiayaJabatanRates,
    BpjsKesehatanRates,
    GajiPokokTable,
    IwpRates,
    JaminanTaspenRates,
    MetodePph21,
    ModePph,
    ModePphConfig,
    Pasal17Table,
    PersenCpns,
    PtkpTable,
    TaperaRates,
    TerTable,
    TppFaktorStatus,
    TppKomposisi,
    TppPagu,
    TppPersenPredikat,
    TppPotonganDisiplin,
    TunjanganBerasRates,
    TunjanganJabatanTable,
    TunjanganKeluargaRates,
    TunjanganUmumRates,
)
from .tpp import AttendanceEvent, PotonganDisiplin, tpp

# Status code added automatically to the TPP statuses of a CPNS (factor configured in TppFaktorStatus).
STATUS_TPP_CPNS = "CPNS"


@dataclass(frozen=True)
class YtdValues:
    """Sums over the earlier months of the tax year (January .. previous month), for the last-month true-up."""

    bruto: int = 0
    pph21: int = 0
    iuran_pensiun: int = 0
    bulan_bekerja: int = 0
    zakat: int = 0  # paid through the employer (deducted in the annual PPh 21 computation)


# The PTKP status's name in stored data (input snapshots, line inputs) since the first runs; the code calls it
# `ptkp_status`, as `Employee.ptkp_status` does. Kept so that stored months decode and verify unchanged.
PTKP_JSON_KEY = "status_ptkp"


@dataclass(frozen=True)
class EmployeeInputs:
    """Everything about one employee that the month's pay depends on (read from the database by the caller)."""

    status: StatusAsn
    golongan: str  # "III/b" (PNS/CPNS) or "IX" (PPPK)
    mkg: int  # masa kerja golongan in whole years, from the latest SK
    # at the start of the tax year (PP 58/2023); stored in snapshots under its older name (PTKP_JSON_KEY)
    ptkp_status: str | None = field(metadata={"json": PTKP_JSON_KEY})
    suami_istri_ditanggung: bool = False
    jumlah_anak_ditanggung: int = 0
    tunjangan_jabatan: int = 0  # struktural/fungsional amount from the SK; 0 → tunjangan umum
    jenis_tunjangan_jabatan: JenisTunjanganJabatan | None = None
    dasar_tunjangan_jabatan: str = "SK jabatan / Perpres tunjangan jabatan"
    kelas_jabatan: int | None = None  # None → no TPP this month
    predikat: Predikat | None = None
    attendance: tuple[AttendanceEvent, ...] = ()
    status_tpp: tuple[str, ...] = ()  # e.g. ("TUGAS_BELAJAR",); CPNS is added from `status`
    masa_pajak_terakhir: int = 12  # month number of the last tax period (earlier when leaving service)
    ytd: YtdValues = field(default_factory=YtdValues)
    manual: tuple[ManualAmount, ...] = ()  # approved manual amounts of the month (`manual.py`)
    # standing orders and recovery of the month (`deductions`); empty in snapshots stored before them
    potongan_lain: tuple[deductions.PotonganTetap, ...] = ()


@dataclass(frozen=True)
class PayrollRules:
    """All rule tables a payroll month needs, each versioned (see `rules.RuleTable`)."""

    gaji_pokok_pns: RuleTable[GajiPokokTable]
    gaji_pokok_pppk: RuleTable[GajiPokokTable]
    cpns: RuleTable[PersenCpns]
    tunjangan_keluarga: RuleTable[TunjanganKeluargaRates]
    tunjangan_umum: RuleTable[TunjanganUmumRates]
    tunjangan_beras: RuleTable[TunjanganBerasRates]
    iwp: RuleTable[IwpRates]
    bpjs_kesehatan: RuleTable[BpjsKesehatanRates]
    jkk_jkm: RuleTable[JaminanTaspenRates]
    tapera: RuleTable[TaperaRates]
    ptkp: RuleTable[PtkpTable]
    ter: RuleTable[TerTable]
    pasal17: RuleTable[Pasal17Table]
    biaya_jabatan: RuleTable[BiayaJabatanRates]
    mode_pph: RuleTable[ModePphConfig]
    tpp_pagu: RuleTable[TppPagu]
    tpp_komposisi: RuleTable[TppKomposisi]
    tpp_persen_predikat: RuleTable[TppPersenPredikat]
    tpp_potongan_disiplin: RuleTable[TppPotonganDisiplin]
    tpp_faktor_status: RuleTable[TppFaktorStatus]
    # Read when building the inputs (amount per post), not by `compute_monthly`: the amount travels in
    # `EmployeeInputs.tunjangan_jabatan` with its basis, so a run stays reproducible from its inputs.
    tunjangan_jabatan: RuleTable[TunjanganJabatanTable]
    # voluntary deductions (issue 20): the zakat rule and the net-pay floor
    zakat: RuleTable[deductions.ZakatRule]
    batas_gaji_bersih: RuleTable[deductions.BatasGajiBersih]

    def tables(self) -> tuple[RuleTable, ...]:
        return tuple(getattr(self, f.name) for f in fields(self))

    def problems(self) -> list[str]:
        """Indonesian problems of every table: effective dates (overlap, gap) and content (brackets, splits)."""
        found: list[str] = []
        for table in self.tables():
            found.extend(table.problems())
            for v in table.versions:
                check = getattr(v.data, "problems", None)
                if check is not None:
                    found.extend(f"Tabel {table.label} versi '{v.version_id}': {p}" for p in check())
        return found

    def resolve(self, month: date) -> ResolvedRules:
        """The versions in force for `month`; `DomainError` naming every table that has none (the run refuses).

        Tables only some employees need (`PER_PEGAWAI`: PPPK gaji pokok, zakat, net-pay floor) may be missing:
        they resolve to None and `compute_monthly` refuses the employees who need them.
        """
        found: dict[str, RuleVersion | None] = {}
        missing: list[RuleTable] = []
        for f in fields(self):
            table = getattr(self, f.name)
            try:
                found[f.name] = table.in_force(month)
            except DomainError:
                if f.name not in PER_PEGAWAI:
                    missing.append(table)
        if missing:
            raise DomainError(tidak_ada_versi(missing, month), field=missing[0].code)
        return ResolvedRules(**found)


# Tables a month can do without: only employees who need them are refused (`compute_monthly`).
PER_PEGAWAI = frozenset({"gaji_pokok_pppk", "zakat", "batas_gaji_bersih"})


def tidak_ada_versi(tables: list[RuleTable], month: date) -> str:
    """Indonesian refusal naming the tables without a version for `month` and how to add one."""
    names = ", ".join(t.label for t in tables)
    earliest = [min(v.berlaku_mulai for v in t.versions) for t in tables if t.versions]
    mulai = f" (versi paling awal mulai {tanggal(min(earliest))})" if earliest else ""
    return (
        f"Tidak ada versi aturan yang berlaku untuk bulan {bulan(month)} pada tabel: {names}{mulai}. Tambahkan "
        f"versi yang berlaku pada bulan itu di menu Aturan gaji (/gaji/aturan), dengan tanggal berlaku dan dasar "
        f"hukumnya (untuk TPP: Perbup TPP tahun itu); perhitungan dihentikan agar tidak menebak."
    )


@dataclass(frozen=True, kw_only=True)
class ResolvedRules:
    gaji_pokok_pns: RuleVersion[GajiPokokTable]
    # None for a month before the table's first version (`PER_PEGAWAI`): PPPK employees are refused
    gaji_pokok_pppk: RuleVersion[GajiPokokTable] | None = None
    cpns: RuleVersion[PersenCpns]
    tunjangan_keluarga: RuleVersion[TunjanganKeluargaRates]
    tunjangan_umum: RuleVersion[TunjanganUmumRates]
    tunjangan_beras: RuleVersion[TunjanganBerasRates]
    iwp: RuleVersion[IwpRates]
    bpjs_kesehatan: RuleVersion[BpjsKesehatanRates]
    jkk_jkm: RuleVersion[JaminanTaspenRates]
    tapera: RuleVersion[TaperaRates]
    ptkp: RuleVersion[PtkpTable]
    ter: RuleVersion[TerTable]
    pasal17: RuleVersion[Pasal17Table]
    biaya_jabatan: RuleVersion[BiayaJabatanRates]
    mode_pph: RuleVersion[ModePphConfig]
    tpp_pagu: RuleVersion[TppPagu]
    tpp_komposisi: RuleVersion[TppKomposisi]
    tpp_persen_predikat: RuleVersion[TppPersenPredikat]
    tpp_potongan_disiplin: RuleVersion[TppPotonganDisiplin]
    tpp_faktor_status: RuleVersion[TppFaktorStatus]
    # None when rebuilt from a run recorded before this table existed (its inputs carry no amount).
    tunjangan_jabatan: RuleVersion[TunjanganJabatanTable] | None = None
    # None when rebuilt from a run recorded before voluntary deductions existed
    zakat: RuleVersion[deductions.ZakatRule] | None = None
    batas_gaji_bersih: RuleVersion[deductions.BatasGajiBersih] | None = None

    @cached_property
    def version_ids(self) -> tuple[tuple[str, str], ...]:
        """(table code, version id) of every rule used, to record on the run (computed once per month)."""
        return tuple((f.name, v.version_id) for f in fields(self) if (v := getattr(self, f.name)) is not None)

    def pph_tahunan(
        self, ptkp_status: str, bruto: int, iuran_pensiun: int, pph_sebelumnya: int, bulan: int, zakat: int = 0
    ):
        """The annual Pasal 17 computation of the last tax month (bruto, iuran and zakat January .. this month)."""
        ptkp = ptkp_row(self.ptkp.data, ptkp_status)
        data = (self.pasal17.data, self.biaya_jabatan.data, ptkp)
        return pph21_masa_terakhir(*data, bruto, iuran_pensiun, pph_sebelumnya, bulan, zakat)

    @property
    def pph_tahunan_version_id(self) -> str:
        return f"{self.pasal17.version_id}+{self.biaya_jabatan.version_id}+{self.ptkp.version_id}"


def pph_tahunan_inputs(ptkp_status: str, tahunan: PphTahunan, *extra: tuple[str, int]) -> tuple:
    """The inputs a last-month PPh line shows (and hashes, in this order): the PTKP status, `extra`, then the
    annual computation's figures."""
    return ((PTKP_JSON_KEY, ptkp_status), *extra, *setahun_inputs(tahunan), ("pph_sebelumnya", tahunan.pph_sebelumnya))


def setahun_inputs(s: PphSetahun) -> tuple:
    """The figures of an annual Pasal 17 computation as line inputs (zakat only when there was some)."""
    zakat = getattr(s, "zakat", 0)
    return (
        ("bruto_setahun", s.bruto_setahun),
        ("biaya_jabatan", s.biaya_jabatan),
        ("iuran_pensiun", s.iuran_pensiun),
        *((("zakat_setahun", zakat),) if zakat else ()),  # absent before zakat: same lines
        ("ptkp", s.ptkp),
        ("pkp", s.pkp),
        ("pph_setahun", s.pph_setahun),
    )


@dataclass(frozen=True)
class Payslip:
    """One employee's month: the lines, the rule versions used and the figures the next month needs."""

    month: date
    lines: tuple[Line, ...]
    rule_versions: tuple[tuple[str, str], ...]
    bruto_pph: int  # taxable gross of the month (gaji + TPP, tunjangan PPh excluded)
    pph21: int  # PPh 21 of the month on gaji + TPP (negative in a lebih-bayar last month)
    iuran_pensiun: int  # employee IWP of the month (deductible in the annual computation)
    potongan_disiplin: PotonganDisiplin | None = None
    pph_tahunan: PphTahunan | None = None
    zakat: int = 0  # zakat deducted this month through the employer
    # `lines` as the consecutive groups they were composed from (gaji, BPJS, PPh, TPP…); with a memo the
    # groups are shared objects, so a writer can render each group once per run instead of once per slip.
    parts: tuple[tuple[Line, ...], ...] = ()

    def line(self, code: str) -> Line | None:
        return next((ln for ln in self.lines if ln.code == code), None)

    def amount(self, code: str) -> int:
        ln = self.line(code)
        return ln.amount if ln else 0

    def total(self, kind: LineKind, bagian: Bagian | None = None) -> int:
        return sum(ln.amount for ln in self.lines if ln.kind is kind and (bagian is None or ln.bagian is bagian))

    def netto(self, bagian: Bagian | None = None) -> int:
        """Take-home pay: penghasilan − potongan (of one part, or both)."""
        return self.total(LineKind.PENGHASILAN, bagian) - self.total(LineKind.POTONGAN, bagian)

    def ytd_after(self, before: YtdValues) -> YtdValues:
        """The year-to-date sums including this month, for the next month's inputs."""
        return YtdValues(
            bruto=before.bruto + self.bruto_pph,
            pph21=before.pph21 + self.pph21,
            iuran_pensiun=before.iuran_pensiun + self.iuran_pensiun,
            bulan_bekerja=before.bulan_bekerja + 1,
            zakat=before.zakat + self.zakat,
        )


def check_inputs(inputs: EmployeeInputs, month: date) -> None:
    """Refuse inputs that cannot be right, with the field to show the message next to."""
    if inputs.jumlah_anak_ditanggung < 0:
        raise DomainError("Jumlah anak yang ditanggung tidak boleh negatif.", field="jumlah_anak_ditanggung")
    if inputs.tunjangan_jabatan < 0:
        raise DomainError("Tunjangan jabatan tidak boleh negatif.", field="tunjangan_jabatan")
    if not 1 <= inputs.masa_pajak_terakhir <= 12:
        raise DomainError("Masa pajak terakhir harus bulan 1 s.d. 12.", field="masa_pajak_terakhir")
    for ev in inputs.attendance:
        if (ev.tanggal.year, ev.tanggal.month) != (month.year, month.month):
            raise DomainError(
                f"Data kehadiran tanggal {tanggal(ev.tanggal)} bukan untuk bulan {bulan(month)}.", field="attendance"
            )


def compute_monthly(
    inputs: EmployeeInputs, rules: PayrollRules | ResolvedRules, month: date, memo: dict | None = None
) -> Payslip:
    """Gaji and TPP of one employee for one month, line by line (domain reference §4.6 and §6.8).

    Pure: the same inputs, rule versions and month always give the same payslip (reproducible runs).
    Raises `DomainError` (Indonesian) instead of guessing when data or rules are missing.

    `memo`: an empty dict the caller keeps for a whole run of ONE month under ONE `ResolvedRules` (checked);
    each part below is kept in it under exactly the inputs it depends on (`memo.PartMemo`). The result is the
    same payslip as without a memo (a unit test keeps them equal).
    """
    month = first_of_month(month)
    check_inputs(inputs, month)
    r = rules.resolve(month) if isinstance(rules, PayrollRules) else rules
    parts_memo = PartMemo(memo, r, month)
    status = StatusAsn(inputs.status)
    is_pppk = status is StatusAsn.PPPK
    _check_tables(r, inputs, is_pppk, month)
    golongan = parts_memo.part(
        ("golongan", inputs.golongan, is_pppk), lambda: gol.validate(inputs.golongan, is_pppk=is_pppk)
    )
    # checked first: no PTKP status, no computation
    kategori = parts_memo.part(("ptkp", inputs.ptkp_status), lambda: kategori_ter(r.ptkp.data, inputs.ptkp_status))

    key = (
        "gaji",
        status,
        golongan,
        inputs.mkg,
        inputs.suami_istri_ditanggung,
        inputs.jumlah_anak_ditanggung,
        inputs.tunjangan_jabatan,
        inputs.jenis_tunjangan_jabatan,
        inputs.dasar_tunjangan_jabatan,
    )
    gaji = parts_memo.part(key, lambda: _gaji_part(r, inputs, status, golongan))
    gaji_head, dasar_bpjs_gaji, gaji_tail, iuran_pensiun, bruto_gaji = gaji

    tpp_res = None
    tpp_lines: tuple[Line, ...] = ()
    bruto_tpp = 0  # penghasilan of the TPP part (the BPJS on TPP is added below)
    if inputs.kelas_jabatan is not None:
        statuses = tuple(dict.fromkeys(((STATUS_TPP_CPNS,) if status is StatusAsn.CPNS else ()) + inputs.status_tpp))
        key = ("tpp", inputs.kelas_jabatan, inputs.predikat, inputs.attendance, statuses)
        # --- TPP (PP 12/2019 Pasal 58; Perbup TPP [R])
        tpp_res = parts_memo.part(
            key,
            lambda: tpp(
                r.tpp_pagu,
                r.tpp_komposisi,
                r.tpp_persen_predikat,
                r.tpp_potongan_disiplin,
                r.tpp_faktor_status,
                inputs.kelas_jabatan,
                inputs.predikat,
                inputs.attendance,
                statuses,
            ),
        )
        tpp_lines = tpp_res.lines
        bruto_tpp = _penghasilan(tpp_lines)

    # --- contributions (Perpres 75/2019, PP 70/2015, PP 25/1981, PP 21/2024). The lines depend only on the
    # two bases after the shared ceiling, so those are the key (above the ceiling many employees share one).
    key = ("bpjs", *bpjs_dasar(r.bpjs_kesehatan.data, dasar_bpjs_gaji, tpp_res.bruto if tpp_res else 0))
    bpjs = parts_memo.part(key, lambda: _bpjs_part(r, dasar_bpjs_gaji, tpp_res.bruto if tpp_res else 0))
    has_tpp = bool(tpp_lines or bpjs[1])

    # --- PPh 21 on gaji + TPP together (PP 58/2023; PMK 168/2023), then allocated to each part.
    bruto_gaji += bpjs[2]
    bruto_tpp += bpjs[3]
    last = month.month == inputs.masa_pajak_terakhir
    items = inputs.potongan_lain
    pre_pph = tuple(chain(gaji_head, bpjs[0], gaji_tail, tpp_lines, bpjs[1])) if items else ()
    zakat_rule = r.zakat.data if items and r.zakat is not None else None
    zakat = deductions.zakat_due(zakat_rule, items, pre_pph) if last else 0
    key = (
        "pph",
        inputs.ptkp_status,
        bruto_gaji,
        bruto_tpp,
        has_tpp,
        last,
        inputs.ytd if last else None,
        iuran_pensiun if last or r.ter.data.metode is MetodePph21.DISETAHUNKAN else None,
        zakat,
    )
    pph = parts_memo.part(
        key, lambda: _pph_part(r, inputs, kategori, bruto_gaji, bruto_tpp, has_tpp, iuran_pensiun, last, zakat)
    )
    pph_gaji_lines, pph_tpp_lines, pph_total, tahunan = pph
    manual = manual_lines(inputs.manual)  # outside the PPh base (manual.py), inside the net-pay floor
    potongan_lines: tuple[Line, ...] = ()
    if items:  # voluntary deductions and recovery, within the net-pay floor (issue 20)
        ded = _deductions_part(r, items, (*pre_pph, *pph_gaji_lines, *pph_tpp_lines, *manual))
        if last and ded.zakat != zakat:  # the floor held the zakat back: the annual tax without it
            zakat = ded.zakat
            args = (r, inputs, kategori, bruto_gaji, bruto_tpp, has_tpp, iuran_pensiun, last, zakat)
            pph_gaji_lines, pph_tpp_lines, pph_total, tahunan = _pph_part(*args)
            ded = _deductions_part(r, items, (*pre_pph, *pph_gaji_lines, *pph_tpp_lines, *manual))
        potongan_lines, zakat = ded.lines, ded.zakat

    parts = tuple(
        p
        for p in (
            gaji_head,
            bpjs[0],
            gaji_tail,
            pph_gaji_lines,
            tpp_res.lines if tpp_res else (),
            bpjs[1],
            pph_tpp_lines,
            manual,
            potongan_lines,
        )
        if p
    )
    return Payslip(
        month=month,
        lines=tuple(chain.from_iterable(parts)),
        rule_versions=r.version_ids,
        bruto_pph=bruto_gaji + bruto_tpp,
        pph21=pph_total,
        iuran_pensiun=iuran_pensiun,
        potongan_disiplin=tpp_res.potongan if tpp_res is not None else None,
        pph_tahunan=tahunan,
        parts=parts,
        zakat=zakat,
    )


def _check_tables(r: ResolvedRules, inputs: EmployeeInputs, is_pppk: bool, month: date) -> None:
    """Refuse an employee who needs a `PER_PEGAWAI` table that has no version for the month."""
    needed = [
        label
        for needs, label, version in (
            (is_pppk, "Gaji pokok PPPK", r.gaji_pokok_pppk),
            (bool(inputs.potongan_lain), "Batas gaji bersih setelah potongan lain-lain", r.batas_gaji_bersih),
            (
                any(i.jenis is deductions.JenisPotonganLain.ZAKAT for i in inputs.potongan_lain),
                "Zakat profesi melalui pemberi kerja",
                r.zakat,
            ),
        )
        if needs and version is None
    ]
    if needed:
        raise DomainError(
            f"Tidak ada versi aturan yang berlaku untuk bulan {bulan(month)} pada tabel: "
            f"{', '.join(needed)}. Tambahkan versinya di menu Aturan gaji (/gaji/aturan), "
            f"atau jalankan `flask payroll muat-aturan` bila tabel itu belum dimuat."
        )


def _deductions_part(r: ResolvedRules, items: tuple, lines: tuple[Line, ...]) -> deductions.Hasil:
    z = r.zakat
    b = r.batas_gaji_bersih
    zakat = (z.data, z.citation, z.version_id) if z is not None else None
    return deductions.apply(items, zakat, (b.data, b.citation, b.version_id), lines)


def _penghasilan(lines: tuple[Line, ...]) -> int:
    return sum(ln.amount for ln in lines if ln.kind is LineKind.PENGHASILAN)


def _bpjs_part(r: ResolvedRules, dasar_gaji: int, bruto_tpp: int) -> tuple:
    """The BPJS Kesehatan lines on gaji and on TPP with their penghasilan (Perpres 75/2019)."""
    shares = bpjs_kesehatan(r.bpjs_kesehatan, dasar_gaji, bruto_tpp)
    on_gaji = tuple(ln for ln in shares.lines if ln.bagian is Bagian.GAJI)
    on_tpp = tuple(ln for ln in shares.lines if ln.bagian is Bagian.TPP)
    return (on_gaji, on_tpp, _penghasilan(on_gaji), _penghasilan(on_tpp))


def _gaji_part(
    r: ResolvedRules, inputs: EmployeeInputs, status: StatusAsn, golongan: str
) -> tuple[tuple[Line, ...], int, tuple[Line, ...], int, int]:
    """Gaji lines before and after BPJS, the BPJS base from gaji, the IWP (pension) of the month and the
    penghasilan of those lines.

    Depends only on status, golongan, MKG, family, tunjangan jabatan (the memo key in `compute_monthly`).
    """
    # --- gaji (PP 5/2024, PP 7/1977 Pasal 16, Perpres 12/2006, PER-3/PB/2015)
    is_pppk = status is StatusAsn.PPPK
    gaji_table = r.gaji_pokok_pppk if is_pppk else r.gaji_pokok_pns
    gapok_line = gaji_pokok(gaji_table, r.cpns, status, golongan, inputs.mkg)
    gapok = gapok_line.amount
    istri = tunjangan_suami_istri(r.tunjangan_keluarga, gapok, inputs.suami_istri_ditanggung)
    anak = tunjangan_anak(r.tunjangan_keluarga, gapok, inputs.jumlah_anak_ditanggung)
    tunj_keluarga = sum(ln.amount for ln in (istri, anak) if ln)
    jabatan = tunjangan_jabatan(
        inputs.tunjangan_jabatan, inputs.jenis_tunjangan_jabatan, inputs.dasar_tunjangan_jabatan, "input-pegawai"
    )
    umum = tunjangan_umum(r.tunjangan_umum, status, golongan, inputs.tunjangan_jabatan)
    anak_dibayar = min(max(inputs.jumlah_anak_ditanggung, 0), r.tunjangan_keluarga.data.maks_anak)
    jiwa = 1 + int(inputs.suami_istri_ditanggung) + anak_dibayar
    beras = tunjangan_beras(r.tunjangan_beras, jiwa)
    head = tuple(ln for ln in (gapok_line, istri, anak, jabatan, umum, beras) if ln)
    parts = (gapok, tunj_keluarga, (jabatan.amount if jabatan else 0) + (umum.amount if umum else 0))
    dasar_bpjs_gaji = dasar_iuran(r.bpjs_kesehatan.data.dasar_gaji, *parts)  # bases: rule data (bases.py)
    tail = list(jkk_jkm(r.jkk_jkm, *parts))
    iuran_pensiun = 0
    if not is_pppk:  # Taspen pension/THT is not part of PP 49/2018 for PPPK (§4.4)
        iwp_line = iwp(r.iwp, *parts)
        iuran_pensiun = iwp_line.amount
        tail.append(iwp_line)
    tail += tapera(r.tapera, *parts)
    return head, dasar_bpjs_gaji, tuple(tail), iuran_pensiun, _penghasilan(head) + _penghasilan(tail)


def _pph_part(
    r: ResolvedRules,
    inputs: EmployeeInputs,
    kategori: str,
    bruto_gaji: int,
    bruto_tpp: int,
    has_tpp: bool,
    iuran_pensiun: int,
    last: bool,
    zakat: int = 0,
) -> tuple[tuple[Line, ...], tuple[Line, ...], int, PphTahunan | None]:
    """PPh 21 lines for gaji and TPP, the month's PPh total and (last tax month) the annual computation.

    The tunjangan PPh lines are added after the gross: tax borne by the government (PP 80/2010) is not
    grossed up into the employee's income, while employer-paid premiums are (PMK 168/2023 Pasal 5).
    """
    bruto = bruto_gaji + bruto_tpp
    tahunan = None
    if last:
        ytd = inputs.ytd
        tahunan = r.pph_tahunan(
            inputs.ptkp_status,
            ytd.bruto + bruto,
            ytd.iuran_pensiun + iuran_pensiun,
            ytd.pph21,
            ytd.bulan_bekerja + 1,
            ytd.zakat + zakat,
        )
        pph_total = tahunan.pph_masa_terakhir
        pph_gaji = to_rupiah(Decimal(pph_total) * bruto_gaji / bruto) if bruto else pph_total
        pph_inputs: tuple = pph_tahunan_inputs(inputs.ptkp_status, tahunan)
        pph_citation = f"{r.pasal17.citation}; {r.biaya_jabatan.citation}; {r.ptkp.citation}"
        if tahunan.zakat:  # zakat through the employer reduces the annual neto
            pph_citation += f"; {deductions.CITATION_ZAKAT_PPH}"
        pph_vid = r.pph_tahunan_version_id
    elif r.ter.data.metode is MetodePph21.DISETAHUNKAN:  # months before 2024 (no TER)
        ptkp = ptkp_row(r.ptkp.data, inputs.ptkp_status)
        sebulan = pph21_disetahunkan(r.pasal17.data, r.biaya_jabatan.data, ptkp, bruto, iuran_pensiun)
        pph_total = sebulan.pph_sebulan
        pph_gaji = to_rupiah(Decimal(pph_total) * bruto_gaji / bruto) if bruto else pph_total
        pph_inputs = (
            (PTKP_JSON_KEY, inputs.ptkp_status),
            ("metode", r.ter.data.metode.label),
            ("bruto", bruto),
            *setahun_inputs(sebulan),
        )
        pph_citation = f"{r.ter.citation}; {r.pasal17.citation}; {r.biaya_jabatan.citation}; {r.ptkp.citation}"
        pph_vid = f"{r.ter.version_id}+{r.pph_tahunan_version_id}"
    else:
        rate = ter_rate(r.ter.data, kategori, bruto)
        pph_total = to_rupiah(rate * bruto)
        pph_gaji = to_rupiah(rate * bruto_gaji)
        pph_inputs = (
            (PTKP_JSON_KEY, inputs.ptkp_status),
            ("kategori_ter", kategori),
            ("bruto", bruto),
            ("tarif", rate),
        )
        pph_citation = f"{r.ter.citation}; {r.ptkp.citation}"
        pph_vid = f"{r.ter.version_id}+{r.ptkp.version_id}"
    pph_tpp = pph_total - pph_gaji
    modes = r.mode_pph.data
    out: dict[Bagian, list[Line]] = {Bagian.GAJI: [], Bagian.TPP: []}
    for bagian, amount, mode in ((Bagian.GAJI, pph_gaji, modes.gaji), (Bagian.TPP, pph_tpp, modes.tpp)):
        if bagian is Bagian.TPP and not has_tpp:
            continue
        suffix = "_TPP" if bagian is Bagian.TPP else ""
        on = " atas TPP" if bagian is Bagian.TPP else ""
        inputs_ = (
            *pph_inputs,
            ("bruto_gaji", bruto_gaji),
            ("bruto_tpp", bruto_tpp),
            ("mode", mode.label),
            ("alokasi", bagian.label),
        )
        if mode is ModePph.DITANGGUNG:
            out[bagian].append(
                Line(
                    f"TJ_PPH{suffix}",
                    f"Tunjangan PPh 21{on} (ditanggung)",
                    amount,
                    LineKind.PENGHASILAN,
                    bagian,
                    pph_citation,
                    pph_vid,
                    inputs_,
                )
            )
        out[bagian].append(
            Line(f"POT_PPH{suffix}", f"PPh 21{on}", amount, LineKind.POTONGAN, bagian, pph_citation, pph_vid, inputs_)
        )
    return tuple(out[Bagian.GAJI]), tuple(out[Bagian.TPP]), pph_total, tahunan
