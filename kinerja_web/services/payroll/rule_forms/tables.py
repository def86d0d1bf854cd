"""One form per regional payroll rule table ([R]: what the Perbup TPP, the Perkada and the yearly PP decide),
instead of raw JSON. National tables (gaji pokok, PTKP, TER, …) stay JSON-only: they change with a PP or PMK."""

from __future__ import annotations

from ....domain.org import StatusAsn
from ....domain.payroll.special import KOMPONEN_GAJI, SPECIAL_RULE_CODE
from ....domain.payroll.tables import JenisPotongan, ModePph
from ....domain.predikat import Predikat
from .cells import Cell, Column, RowSpec, TableForm, choices_of, fraction, stored_fraction

KOMPOSISI = TableForm(
    "tpp_komposisi",
    "Porsi TPP komponen kinerja dan komponen disiplin; keduanya harus berjumlah 100%.",
    lambda data: [Cell("kinerja", "Porsi kinerja", "persen"), Cell("disiplin", "Porsi disiplin", "persen")],
    lambda data: {k: fraction(data[k]) for k in ("kinerja", "disiplin")},
    lambda data, v: {**data, **{k: stored_fraction(v[k]) for k in ("kinerja", "disiplin")}},
)

PERSEN_PREDIKAT = TableForm(
    "tpp_persen_predikat",
    "Persentase TPP komponen kinerja yang dibayarkan untuk setiap predikat kinerja pegawai.",
    lambda data: [Cell(p.value, p.label, "persen") for p in Predikat],
    lambda data: {p.value: fraction(data["persen"][p.value]) for p in Predikat if p.value in data["persen"]},
    lambda data, v: {**data, "persen": {k: stored_fraction(x) for k, x in v.items()}},
)

PAGU = TableForm(
    "tpp_pagu",
    "Besaran TPP sebulan per kelas jabatan menurut Perbup (sebelum dibagi komponen kinerja dan disiplin).",
    lambda data: [Cell(k, f"Kelas jabatan {k}", "rupiah") for k in sorted(data["per_kelas"], key=int, reverse=True)],
    lambda data: {k: int(x) for k, x in data["per_kelas"].items()},
    lambda data, v: {**data, "per_kelas": {k: int(x) for k, x in v.items()}},
)

FAKTOR_STATUS = TableForm(
    "tpp_faktor_status",
    "Faktor pengali seluruh TPP untuk setiap status (100% = dibayar penuh, 0% = tidak dibayar).",
    lambda data: [Cell(k, data.get("label", {}).get(k, k), "persen") for k in data["faktor"]],
    lambda data: {k: fraction(x) for k, x in data["faktor"].items()},
    lambda data, v: {**data, "faktor": {k: stored_fraction(x) for k, x in v.items()}},
)

MODE_PPH = TableForm(
    "mode_pph",
    "Siapa yang menanggung PPh 21: atas gaji PNS pemerintah (PP 80/2010); atas TPP menurut Perkada.",
    lambda data: [
        Cell("gaji", "PPh 21 atas gaji", "pilihan", choices_of(ModePph)),
        Cell("tpp", "PPh 21 atas TPP", "pilihan", choices_of(ModePph)),
    ],
    lambda data: {k: data[k] for k in ("gaji", "tpp") if k in data},
    lambda data, v: {**data, **{k: v[k] for k in ("gaji", "tpp")}},
)


def _band_in(b: dict) -> dict:
    return {**b, "persen": fraction(b["persen"])}


def _band_out(row: dict) -> dict:
    return {
        "kode": row["kode"],
        "keterangan": row["keterangan"],
        "jenis": row["jenis"],
        "persen": stored_fraction(row["persen"]) if row["persen"] is not None else None,
        "menit_min": row["menit_min"],
        "menit_max": row["menit_max"],
        "kode_absen": row["kode_absen"],
    }


POTONGAN_DISIPLIN = TableForm(
    "tpp_potongan_disiplin",
    "Potongan komponen disiplin TPP per kejadian: keterlambatan dan pulang cepat per rentang menit, dan kode "
    "kehadiran (mis. TK). Rentang menit satu jenis harus bersambung (31 setelah 30).",
    lambda data: [
        Cell("kode_tanpa_potongan", "Kode kehadiran tanpa potongan (pisahkan dengan koma)", "daftar"),
        Cell("batas_maksimal", "Batas potongan sebulan, dari komponen disiplin", "persen"),
    ],
    lambda data: {
        "kode_tanpa_potongan": tuple(data.get("kode_tanpa_potongan", ())),
        "batas_maksimal": fraction(data.get("batas_maksimal", "1")),
    },
    lambda data, v: {
        **data,
        "kode_tanpa_potongan": list(v["kode_tanpa_potongan"]),
        "batas_maksimal": stored_fraction(v["batas_maksimal"]),
    },
    rows=RowSpec(
        "bands",
        "Rentang potongan",
        (
            Column("kode", "Kode", "teks"),
            Column("keterangan", "Keterangan", "teks"),
            Column("jenis", "Jenis", "pilihan", choices_of(JenisPotongan)),
            Column("persen", "Potongan (%)", "persen"),
            Column("menit_min", "Dari menit", "bilangan_opsional"),
            Column("menit_max", "Sampai menit", "bilangan_opsional"),
            Column("kode_absen", "Kode kehadiran", "teks_opsional"),
        ),
        lambda data: [_band_in(b) for b in data.get("bands", [])],
        lambda data, rows: {**data, "bands": [_band_out(r) for r in rows]},
    ),
)

JENIS_JABATAN = (
    ("jpt", "JPT"),
    ("administrator", "Administrator"),
    ("pengawas", "Pengawas"),
    ("fungsional", "Fungsional"),
    ("pelaksana", "Pelaksana"),
)

TUNJANGAN_JABATAN = TableForm(
    "tunjangan_jabatan",
    "Tunjangan jabatan struktural (per eselon, Perpres 26/2007) dan fungsional (per nama JF dan jenjang). Baris "
    "yang paling khusus dipakai: nama + jenjang, lalu nama, lalu jenjang, lalu jenis saja.",
    lambda data: [],
    lambda data: {},
    lambda data, v: data,
    rows=RowSpec(
        "rows",
        "Baris tunjangan",
        (
            Column("jenis_jabatan", "Jenis jabatan", "pilihan", JENIS_JABATAN),
            Column("nama", "Nama jabatan (kosong = semua)", "teks_opsional"),
            Column("jenjang", "Jenjang (kosong = semua)", "teks_opsional"),
            Column("eselon", "Eselon", "teks_opsional"),
            Column("amount", "Besaran (Rp)", "rupiah"),
            Column("keterangan", "Keterangan", "teks_opsional"),
        ),
        lambda data: [dict(r) for r in data.get("rows", [])],
        lambda data, rows: {
            **data,
            "rows": [
                {
                    "jenis_jabatan": r["jenis_jabatan"],
                    "nama": r["nama"] or "",
                    "jenjang": r["jenjang"] or "",
                    "eselon": r["eselon"] or "",
                    "amount": r["amount"],
                    "keterangan": r["keterangan"] or "",
                }
                for r in rows
            ],
        },
        blank_rows=2,
    ),
)

_KOMPONEN = tuple(KOMPONEN_GAJI.items())
_STATUS = choices_of(StatusAsn)
_KINDS = (("thr", "THR"), ("gaji13", "Gaji ke-13"))


def _special_cells(data: dict) -> list[Cell]:
    cells = []
    for kind, name in _KINDS:
        cells += [
            Cell(f"{kind}-komponen", f"{name}: komponen gaji yang dibayarkan", "centang", _KOMPONEN),
            Cell(f"{kind}-persen_tpp", f"{name}: bagian TPP sebulan", "persen"),
            Cell(f"{kind}-status_berhak", f"{name}: status kepegawaian yang berhak", "centang", _STATUS),
            Cell(f"{kind}-tmt_paling_lambat", f"{name}: TMT pengangkatan paling lambat (opsional)", "tanggal"),
        ]
    return cells


def _special_read(data: dict) -> dict:
    out = {}
    for kind, _ in _KINDS:
        part = data.get(kind, {})
        out[f"{kind}-komponen"] = frozenset(part.get("komponen", ()))
        out[f"{kind}-persen_tpp"] = fraction(part.get("persen_tpp", "1"))
        out[f"{kind}-status_berhak"] = frozenset(part.get("status_berhak", ()))
        out[f"{kind}-tmt_paling_lambat"] = part.get("tmt_paling_lambat")
    return out


def _special_write(data: dict, v: dict) -> dict:
    out = dict(data)
    for kind, _ in _KINDS:
        tmt = v[f"{kind}-tmt_paling_lambat"]
        out[kind] = {
            **data.get(kind, {}),
            "komponen": sorted(v[f"{kind}-komponen"]),
            "persen_tpp": stored_fraction(v[f"{kind}-persen_tpp"]),
            "status_berhak": sorted(v[f"{kind}-status_berhak"]),
            "tmt_paling_lambat": tmt.isoformat() if tmt else None,
        }
    return out


THR_GAJI13 = TableForm(
    SPECIAL_RULE_CODE,
    "Ketentuan THR dan gaji ke-13 satu tahun menurut PP tahun itu: komponen gaji, bagian TPP (paling banyak satu "
    "bulan), siapa yang berhak. Satu versi per tahun, berakhir 31 Desember tahun yang sama.",
    _special_cells,
    _special_read,
    _special_write,
    previewable=False,
)

FORMS = {
    f.code: f
    for f in (
        KOMPOSISI,
        PERSEN_PREDIKAT,
        PAGU,
        FAKTOR_STATUS,
        POTONGAN_DISIPLIN,
        MODE_PPH,
        TUNJANGAN_JABATAN,
        THR_GAJI13,
    )
}
