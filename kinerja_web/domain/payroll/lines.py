"""Result lines of a payslip, rounding constants and the employee's inputs.

Every amount on a payslip is a `Line` carrying what the app needs to answer "Mengapa gaji saya sebesar
ini?": component code, Indonesian label, whole-rupiah amount, the rule's citation and version id, and
the inputs the rule used.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import NamedTuple

from ..labels import LabeledEnum, bulan, persen, rupiah

# Rounding, named once. Each component is rounded to whole rupiah half-up on its own, the way GPP/SIMGAJI
# rounds every allowance to the rupiah (domain reference §4.6; confirm against a BPKAD slip [R]).
RUPIAH = Decimal(1)
ROUNDING_COMPONENT = ROUND_HALF_UP
# PKP is rounded DOWN to whole thousands (PMK 168/2023; UU PPh Pasal 17 ayat 4; domain reference §5.4).
RIBUAN = Decimal(1000)
ROUNDING_PKP = ROUND_DOWN

InputValue = str | int | Decimal | bool | date


def to_rupiah(value: Decimal | int) -> int:
    """Whole rupiah with the component rounding mode."""
    return int(Decimal(value).quantize(RUPIAH, rounding=ROUNDING_COMPONENT))


class LineKind(LabeledEnum):
    PENGHASILAN = "penghasilan", "Penghasilan"
    POTONGAN = "potongan", "Potongan"
    INFO = "info", "Informasi (tidak dibayarkan/dipotong)"


class Bagian(LabeledEnum):
    GAJI = "gaji", "Gaji"
    TPP = "tpp", "TPP"


class JenisTunjanganJabatan(LabeledEnum):
    STRUKTURAL = "struktural", "Tunjangan jabatan struktural"
    FUNGSIONAL = "fungsional", "Tunjangan jabatan fungsional"


class Line(NamedTuple):
    """One payslip line. `inputs` is an ordered tuple of (input code, value); see `INPUT_LABELS`.

    A NamedTuple rather than a frozen dataclass: immutable all the same, and about five times cheaper to
    build, which matters at ~20 lines × 7.500 employees per run.
    """

    code: str
    label: str
    amount: int
    kind: LineKind
    bagian: Bagian
    citation: str
    rule_version: str
    inputs: tuple[tuple[str, InputValue], ...] = ()

    def input(self, code: str) -> InputValue | None:
        for key, value in self.inputs:
            if key == code:
                return value
        return None


_RUN_REFERENCE = re.compile(r"run#?(\d+)")


def rule_version_text(version: str) -> str:
    """A line's rule version as a person reads it: a reversed component (compensating run, "run#<id>") or one
    that no longer exists (rapel, "run<id>") stores the run it came from → "proses penggajian #<id>"."""
    m = _RUN_REFERENCE.fullmatch(str(version))
    if m:
        return f"proses penggajian #{m[1]}"
    if str(version).startswith("manual#"):  # a manual pay fact (manual.py)
        return f"penetapan manual #{str(version)[7:]}"
    return str(version)


# Indonesian labels for the input codes used in `Line.inputs` (for the explanation page).
INPUT_LABELS: dict[str, str] = {
    "manual": "Jumlah manual (bukan hasil aturan)",
    "alasan": "Alasan",
    "dokumen": "Dasar dokumen",
    "disetujui_oleh": "Disetujui oleh",
    "status": "Status kepegawaian",
    "golongan": "Golongan/ruang",
    "mkg": "Masa kerja golongan (tahun)",
    "mkg_tabel": "Baris tabel yang dipakai (MKG)",
    "gaji_pokok_tabel": "Gaji pokok menurut tabel",
    "persen": "Persentase",
    "dasar": "Dasar perhitungan",
    "gaji_pokok": "Gaji pokok",
    "jumlah_anak": "Jumlah anak yang ditanggung",
    "jumlah_anak_dibayar": "Jumlah anak yang dibayar (maksimal)",
    "maks_anak": "Maksimal anak",
    "jenis_tunjangan": "Jenis tunjangan",
    "jiwa": "Jumlah jiwa",
    "kg_per_jiwa": "Beras per jiwa (kg)",
    "harga_per_kg": "Harga beras per kg",
    "batas_atas": "Batas atas dasar iuran",
    "dasar_terpakai_gaji": "Dasar yang sudah dipakai gaji",
    "status_ptkp": "Status PTKP",
    "kategori_ter": "Kategori TER",
    "metode": "Metode PPh 21 bulanan",
    "bruto": "Penghasilan bruto bulan ini",
    "bruto_gaji": "Bruto gaji",
    "bruto_tpp": "Bruto TPP",
    "tarif": "Tarif",
    "mode": "Mode PPh",
    "kelas_jabatan": "Kelas jabatan",
    "pagu": "Pagu TPP",
    "porsi": "Porsi komponen",
    "predikat": "Predikat kinerja",
    "faktor_status": "Faktor status",
    "status_tpp": "Status yang memengaruhi TPP",
    "potongan_persen": "Jumlah potongan disiplin",
    "potongan_dipakai": "Potongan disiplin yang diterapkan (maksimal 100%)",
    "kejadian": "Kejadian kehadiran",
    "bruto_setahun": "Penghasilan bruto setahun",
    "biaya_jabatan": "Biaya jabatan",
    "iuran_pensiun": "Iuran pensiun dan THT setahun",
    "ptkp": "PTKP setahun",
    "pkp": "Penghasilan kena pajak (dibulatkan ke bawah ribuan)",
    "pph_setahun": "PPh 21 setahun (tarif Pasal 17)",
    "pph_sebelumnya": "PPh 21 Januari s.d. bulan sebelumnya",
    "alokasi": "Alokasi",
    # voluntary deductions and recovery (deductions.py)
    "dasar_zakat": "Dasar zakat",
    "nisab": "Nisab sebulan",
    "zakat_setahun": "Zakat melalui pemberi kerja setahun (pengurang penghasilan bruto)",
    "jumlah_tetap": "Jumlah tetap per bulan",
    "sisa_kelebihan": "Sisa kelebihan pembayaran",
    "penerima": "Penerima",
    "dasar_potongan": "Dasar potongan (dokumen persetujuan/proses asal)",
    "batas_gaji_bersih": "Batas gaji bersih",
    # THR, gaji ke-13 and rapel (special.py)
    "bruto_masa": "Bruto masa pajak ini yang sudah dibayar",
    "bruto_tambahan": "Penghasilan tidak teratur yang dibayar sekarang",
    "pph_masa": "PPh 21 masa ini yang sudah dipotong",
    "tpp_sebulan": "TPP yang diterima 1 bulan",
    "bulan_dasar": "Bulan dasar TPP",
    "bulan": "Bulan",
    "seharusnya": "Seharusnya menurut aturan yang berlaku",
    "dibayar": "Sudah dibayar",
    "run_asal": "Proses penggajian asal",
}

# Input codes whose values are rupiah amounts or fractions shown as percentages.
_RUPIAH_INPUTS = frozenset(
    {
        "gaji_pokok_tabel",
        "dasar",
        "gaji_pokok",
        "harga_per_kg",
        "batas_atas",
        "dasar_terpakai_gaji",
        "bruto",
        "bruto_gaji",
        "bruto_tpp",
        "pagu",
        "pph_setahun",
        "pph_sebelumnya",
        "bruto_setahun",
        "biaya_jabatan",
        "iuran_pensiun",
        "ptkp",
        "pkp",
        "bruto_masa",
        "bruto_tambahan",
        "pph_masa",
        "tpp_sebulan",
        "seharusnya",
        "dibayar",
        "nisab",
        "zakat_setahun",
        "jumlah_tetap",
        "sisa_kelebihan",
        "batas_gaji_bersih",
    }
)
_PERSEN_INPUTS = frozenset({"persen", "tarif", "porsi", "faktor_status", "potongan_persen", "potongan_dipakai"})


def describe_inputs(line: Line) -> list[tuple[str, str]]:
    """The line's inputs as (Indonesian label, formatted value) rows for "Mengapa gaji saya sebesar ini?"."""
    rows = []
    for code, value in line.inputs:
        if isinstance(value, bool):
            text = "ya" if value else "tidak"
        elif code == "bulan":
            text = bulan(value if isinstance(value, date) else date.fromisoformat(str(value)))
        elif code in _RUPIAH_INPUTS:
            text = rupiah(value)
        elif code in _PERSEN_INPUTS:
            text = persen(Decimal(value))
        else:
            text = str(value)
        rows.append((INPUT_LABELS.get(code, code), text))
    return rows
