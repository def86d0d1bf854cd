"""The per-table forms of the rating rules (not raw JSON): what each input is called, its value from a payload, and
reading a submitted form back into a payload with a message per field. Everything typed stays on a refusal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from ...domain import rating_rules as rr
from ...domain.keberatan import BatasKeberatan, batas_problems
from ...domain.kurva import KurvaRule
from ...domain.nip import NipRules
from ...domain.predikat import BARIS_HASIL_KERJA, KOLOM_PERILAKU_KERJA, Predikat
from ...domain.talent import BARIS_POTENSIAL, KOLOM_KINERJA, numbering_problems

INTRO = {
    rr.PREDIKAT: "Predikat kinerja pegawai untuk setiap pasangan rating hasil kerja (baris) dan perilaku kerja (kolom).",
    rr.KURVA: "Batas sebaran predikat pegawai per predikat kinerja organisasi (persen 0–100; kosong = tanpa batas).",
    rr.KEBERATAN: "Lama waktu pengajuan keberatan setelah hasil penilaian diterima, dalam hari kalender atau hari kerja.",
    rr.NIP: "Parameter pemeriksaan NIP 18 angka (susunan angka tetap menurut Perka BKN 22/2007).",
    rr.KOTAK: "Nomor kotak talenta (1–9, masing-masing sekali) untuk setiap pasangan kinerja dan potensial.",
}
NIP_FIELDS = (
    ("kode_laki", "Angka ke-15 untuk laki-laki"),
    ("kode_perempuan", "Angka ke-15 untuk perempuan"),
    ("selisih_minimal_bulan", "Selisih minimal bulan lahir ke TMT CPNS (bulan)"),
    ("nomor_urut_minimal", "Nomor urut terkecil yang sah"),
)


def _int(raw: str | None, label: str) -> tuple[int | None, str | None]:
    text = (raw or "").strip()
    if not text:
        return None, f"{label} wajib diisi."
    if not text.isdigit():
        return None, f"{label}: isi bilangan bulat, misalnya 14."
    return int(text), None


def _pct(raw: str | None) -> tuple[Decimal | None, str | None]:
    text = (raw or "").strip().removesuffix("%").replace(",", ".")
    if not text:
        return None, None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, "Isi persen 0–100, misalnya 70 atau 12,5."
    if not value.is_finite() or not 0 <= value <= 100:
        return None, "Persen harus antara 0 dan 100."
    return (value / 100).normalize() if value else Decimal("0"), None


def pct_text(share: Decimal | None) -> str:
    if share is None:
        return ""
    return f"{(share * 100).normalize():f}".replace(".", ",")


def typed_from(code: str, data) -> dict[str, str]:
    """The form's inputs filled from a version's payload (the starting point of a new version)."""
    out: dict[str, str] = {}
    if code == rr.PREDIKAT:
        out |= {f"sel-{h.value}-{p.value}": data[h, p].value for h in BARIS_HASIL_KERJA for p in KOLOM_PERILAKU_KERJA}
    elif code == rr.KOTAK:
        out |= {f"kotak-{k.value}-{p.value}": str(data[k, p]) for p in BARIS_POTENSIAL for k in KOLOM_KINERJA}
    elif code == rr.KURVA:
        out["min_pegawai"] = str(data.min_pegawai)
        for i, r in enumerate(data.rules):
            out[f"min-{i}"], out[f"max-{i}"] = pct_text(r.min_share), pct_text(r.max_share)
            if r.must_exist:
                out[f"harus_ada-{i}"] = "1"
            if r.largest_group:
                out[f"terbesar-{i}"] = "1"
    elif code == rr.KEBERATAN:
        out["hari"] = str(data.hari)
        out["jenis"] = "kerja" if data.hari_kerja else "kalender"
        out["libur"] = "\n".join(d.isoformat() for d in sorted(data.libur))
    elif code == rr.NIP:
        out |= {name: str(getattr(data, name)) for name, _ in NIP_FIELDS}
        if data.periksa_tmt_pppk:
            out["periksa_tmt_pppk"] = "1"
    return out


def read(code: str, base, form) -> tuple[object | None, dict[str, str]]:
    """(payload, {}) or (None, {input name: Indonesian message}) from the submitted inputs; `base` is the payload
    the form started from (the kurva form edits the numbers of the base's constraints)."""
    errors: dict[str, str] = {}
    if code == rr.PREDIKAT:
        cells = {}
        for h in BARIS_HASIL_KERJA:
            for p in KOLOM_PERILAKU_KERJA:
                name = f"sel-{h.value}-{p.value}"
                try:
                    cells[h, p] = Predikat(form.get(name, ""))
                except ValueError:
                    errors[name] = "Pilih predikat."
        return (None if errors else cells), errors
    if code == rr.KOTAK:
        boxes = {}
        for k in KOLOM_KINERJA:
            for p in BARIS_POTENSIAL:
                name = f"kotak-{k.value}-{p.value}"
                value, error = _int(form.get(name), "Nomor kotak")
                if error:
                    errors[name] = error
                else:
                    boxes[k, p] = value
        if not errors:
            for k, p, message in numbering_problems(boxes):
                errors[f"kotak-{k.value}-{p.value}"] = message
        return (None if errors else boxes), errors
    if code == rr.KURVA:
        minimum, error = _int(form.get("min_pegawai"), "Jumlah pegawai minimal")
        if error:
            errors["min_pegawai"] = error
        elif not 1 <= minimum <= 100:
            errors["min_pegawai"] = "Jumlah pegawai minimal 1–100."
        rules = []
        for i, r in enumerate(base.rules):
            lo, e1 = _pct(form.get(f"min-{i}"))
            hi, e2 = _pct(form.get(f"max-{i}"))
            if e1:
                errors[f"min-{i}"] = e1
            if e2:
                errors[f"max-{i}"] = e2
            if lo is not None and hi is not None and lo > hi:
                errors[f"max-{i}"] = "Batas maksimal tidak boleh di bawah batas minimal."
            rules.append(
                KurvaRule(
                    r.organisasi, r.kelompok, lo, hi, bool(form.get(f"harus_ada-{i}")), bool(form.get(f"terbesar-{i}"))
                )
            )
        return (None if errors else rr.KurvaSet(tuple(rules), minimum)), errors
    if code == rr.KEBERATAN:
        hari, error = _int(form.get("hari"), "Jumlah hari")
        if error:
            errors["hari"] = error
        jenis = form.get("jenis", "")
        if jenis not in ("kalender", "kerja"):
            errors["jenis"] = "Pilih hari kalender atau hari kerja."
        libur = []
        for line in (form.get("libur") or "").split():
            try:
                libur.append(date.fromisoformat(line.strip()))
            except ValueError:
                errors["libur"] = f"Tanggal libur «{line.strip()}» tidak sah (format TTTT-BB-HH, satu per baris)."
                break
        if not errors:
            errors |= dict(batas_problems(hari, jenis == "kerja", libur))
        if errors:
            return None, errors
        return BatasKeberatan(hari, jenis == "kerja", frozenset(libur)), errors
    if code == rr.NIP:
        values = {}
        for name, label in NIP_FIELDS:
            value, error = _int(form.get(name), label)
            if error:
                errors[name] = error
            else:
                values[name] = value
        if errors:
            return None, errors
        rules = NipRules(**values, periksa_tmt_pppk=bool(form.get("periksa_tmt_pppk")))
        errors |= dict(rules.problems())
        return (None if errors else rules), errors
    return None, {"code": "Tabel aturan tidak dikenal."}


def _date(form, name: str, label: str, errors: dict[str, str], required: bool) -> date | None:
    raw = (form.get(name) or "").strip()
    if raw:
        try:
            return date.fromisoformat(raw)
        except ValueError:
            errors[name] = f"{label}: tanggal tidak sah (format TTTT-BB-HH)."
    elif required:
        errors[name] = f"{label} wajib diisi."
    return None


def read_dates(form, errors: dict[str, str]) -> tuple[date | None, date | None]:
    """(berlaku_mulai, berlaku_sampai) from the form; messages go into `errors` under the input's name."""
    return (
        _date(form, "berlaku_mulai", "Berlaku mulai", errors, True),
        _date(form, "berlaku_sampai", "Berlaku sampai", errors, False),
    )
