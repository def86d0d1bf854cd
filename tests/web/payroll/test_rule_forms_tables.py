"""The remaining regional rule tables through forms (issue 19 item 3): deduction bands and tunjangan jabatan as
rows, the PPh mode as choices, THR/gaji ke-13 as ticks; a draft tried on last month's run before saving; finance
and HR read every table and its history, only the administrator adds versions."""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal

from kinerja_web.domain.payroll.special import JenisKhusus
from kinerja_web.domain.payroll.tables import ModePph
from kinerja_web.extensions import db
from kinerja_web.services.payroll import rules
from tests.web.payroll.test_payroll_flow import as_user, make_computed_run
from tests.web.payroll.test_rule_forms import versions

BASE = {"version_id": "v-perbup-2026", "citation": "Perbup Lampung Utara 7/2026 Pasal 9", "berlaku_mulai": "2026-01-01"}


def prefilled(page: str) -> dict:
    """Every text input of the form with its value, every selected option and every ticked box."""
    pattern = r'<input (?:type="(?:text|date|hidden)" )?name="((?:nilai|baris)-[^"]+|jumlah_baris)" value="([^"]*)"'
    data: dict = {name: html.unescape(value) for name, value in re.findall(pattern, page)}
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        data[name] = chosen.group(1) if chosen else ""
    ticks: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="checkbox" name="(nilai-[^"]+)" value="([^"]+)" checked>', page):
        ticks.setdefault(name, []).append(value)
    return {**data, **ticks}


def band_row(page: str, kode: str) -> int:
    return int(re.search(rf'name="baris-(\d+)-kode" value="{kode}"', page).group(1))


def test_deduction_bands_are_rows_prefilled_from_the_version_in_force_and_a_changed_band_is_saved(admin):
    page = admin.get("/gaji/aturan/tpp_potongan_disiplin/formulir").text
    assert 'name="nilai-kode_tanpa_potongan" value="C, CAP, CB, CM, CS, CT, DL, I, S"' in page
    tk = band_row(page, "TK")
    assert f'name="baris-{tk}-persen" value="3"' in page
    data = {**prefilled(page), **BASE, f"baris-{tk}-persen": "3,5"}
    resp = admin.post("/gaji/aturan/tpp_potongan_disiplin/formulir", data=data)
    assert resp.status_code == 303, resp.text
    version = rules.load_rules().tpp_potongan_disiplin.in_force(date(2026, 10, 1))
    assert version.version_id == BASE["version_id"]
    assert {b.kode: b.persen for b in version.data.bands}["TK"] == Decimal("0.035")
    assert len(version.data.bands) == 10 and "DL" in version.data.kode_tanpa_potongan
    assert {b.kode: b.keterangan for b in version.data.bands}["TL1"] == "terlambat masuk 1 s.d. <31 menit"


def test_a_bad_band_cell_gets_its_message_at_the_row_and_bands_that_do_not_join_are_refused(admin):
    page = admin.get("/gaji/aturan/tpp_potongan_disiplin/formulir").text
    before = versions()
    tk = band_row(page, "TK")
    resp = admin.post(
        "/gaji/aturan/tpp_potongan_disiplin/formulir", data={**prefilled(page), **BASE, f"baris-{tk}-persen": "tiga"}
    )
    assert resp.status_code == 422
    assert f"Baris {tk + 1}: Potongan (%): isi persen berupa angka 0–100" in resp.text
    assert f'name="baris-{tk}-persen" value="tiga" aria-invalid="true"' in resp.text
    assert f'value="{BASE["citation"]}"' in resp.text
    tl2 = band_row(page, "TL2")
    resp = admin.post(
        "/gaji/aturan/tpp_potongan_disiplin/formulir", data={**prefilled(page), **BASE, f"baris-{tl2}-menit_min": "35"}
    )
    assert resp.status_code == 422 and "tidak bersambung" in resp.text
    assert f'name="baris-{tl2}-menit_min" value="35"' in resp.text  # what was typed stays
    assert versions() == before


def test_a_tunjangan_row_is_added_in_a_blank_row_and_a_row_can_be_removed(admin):
    page = admin.get("/gaji/aturan/tunjangan_jabatan/formulir").text
    data = {**prefilled(page), **BASE}
    n = int(data["jumlah_baris"])
    blank = next(i for i in range(n) if not data.get(f"baris-{i}-amount"))
    data.update(
        {
            f"baris-{blank}-jenis_jabatan": "fungsional",
            f"baris-{blank}-nama": "Analis Kebijakan",
            f"baris-{blank}-jenjang": "Ahli Muda",
            f"baris-{blank}-amount": "1.100.000",
        }
    )
    data["baris-0-hapus"] = "1"
    removed = data["baris-0-nama"], data["baris-0-eselon"]
    resp = admin.post("/gaji/aturan/tunjangan_jabatan/formulir", data=data)
    assert resp.status_code == 303, resp.text
    table = rules.load_rules().tunjangan_jabatan.in_force(date(2026, 10, 1)).data
    row = table.match("fungsional", "Analis Kebijakan", "Ahli Muda")
    assert row is not None and row.amount == 1_100_000
    assert removed not in {(r.nama, r.eselon) for r in table.rows}


def test_an_amount_with_cents_or_an_unknown_kind_is_refused_at_its_cell(admin):
    page = admin.get("/gaji/aturan/tunjangan_jabatan/formulir").text
    before = versions()
    data = {**prefilled(page), **BASE, "baris-0-amount": "3.250.000,50", "baris-1-jenis_jabatan": "bupati"}
    resp = admin.post("/gaji/aturan/tunjangan_jabatan/formulir", data=data)
    assert resp.status_code == 422
    assert "Baris 1: Besaran (Rp): isi jumlah rupiah tanpa desimal" in resp.text
    assert "Baris 2: Jenis jabatan: pilih salah satu pilihan yang tersedia." in resp.text
    assert versions() == before


def test_the_pph_mode_is_two_choices(admin):
    page = admin.get("/gaji/aturan/mode_pph/formulir").text
    assert '<option value="ditanggung" selected>' in page and '<option value="dipotong" selected>' in page
    resp = admin.post(
        "/gaji/aturan/mode_pph/formulir", data={**BASE, "nilai-gaji": "ditanggung", "nilai-tpp": "ditanggung"}
    )
    assert resp.status_code == 303
    assert rules.load_rules().mode_pph.in_force(date(2026, 10, 1)).data.tpp is ModePph.DITANGGUNG
    resp = admin.post(
        "/gaji/aturan/mode_pph/formulir", data={**BASE, "version_id": "x2", "nilai-gaji": "", "nilai-tpp": "x"}
    )
    assert resp.status_code == 422 and "PPh 21 atas gaji wajib diisi." in resp.text


def test_a_years_thr_and_gaji_13_rule_through_ticks(admin):
    page = admin.get("/gaji/aturan/thr_gaji13/formulir").text
    assert "Pratinjau dampak" not in page  # a yearly table is not tried on a monthly run
    data = {**prefilled(page), **BASE, "version_id": "thr-2026", "berlaku_sampai": "2026-12-31"}
    data["nilai-thr-komponen"] = ["GAPOK", "TJ_ISTRI", "TJ_ANAK"]
    data["nilai-thr-persen_tpp"] = "50"
    data["nilai-thr-tmt_paling_lambat"] = "2026-03-01"
    resp = admin.post("/gaji/aturan/thr_gaji13/formulir", data=data)
    assert resp.status_code == 303, resp.text
    version = rules.special_rule_table().in_force(date(2026, 4, 1))
    thr = version.data.for_kind(JenisKhusus.THR)
    assert version.version_id == "thr-2026" and thr.komponen == {"GAPOK", "TJ_ISTRI", "TJ_ANAK"}
    assert thr.persen_tpp == Decimal("0.5") and thr.tmt_paling_lambat == date(2026, 3, 1)


def test_preview_shows_the_effect_on_last_months_run_and_saves_nothing(app, admin, org_chart):
    from kinerja_web.models import PayrollPredikat

    for e in (org_chart.head, org_chart.kabid, org_chart.kasi, org_chart.staff1, org_chart.staff2, org_chart.other):
        e.ptkp_status = "K/1"
        db.session.add(PayrollPredikat(employee_id=e.id, month=date(2026, 10, 1), predikat="baik", source="uji"))
    db.session.commit()
    run = make_computed_run(app, org_chart)
    before = versions()
    page = admin.get("/gaji/aturan/tpp_persen_predikat/formulir").text
    data = {**prefilled(page), **BASE, "nilai-baik": "50", "aksi": "pratinjau"}
    resp = admin.post("/gaji/aturan/tpp_persen_predikat/formulir", data=data)
    assert resp.status_code == 200
    assert "Pratinjau: dampak pada proses penggajian Oktober 2026" in resp.text
    assert f"berubah: <strong>{run.employee_count}</strong> dari {run.employee_count}" in resp.text  # all are Baik
    assert 'name="nilai-baik" value="50"' in resp.text and "Belum disimpan" in resp.text
    assert versions() == before
    # Saving the same values without the preview is a normal save.
    resp = admin.post("/gaji/aturan/tpp_persen_predikat/formulir", data={**data, "aksi": "simpan"})
    assert resp.status_code == 303 and versions() == before + 1


def test_finance_and_hr_read_every_table_and_its_history_only_the_administrator_adds(app, admin, org_chart):
    for user in (org_chart.u_hr, org_chart.u_operator, org_chart.u_verifikator, org_chart.u_pejabat):
        client = as_user(app, user)
        listing = client.get("/gaji/aturan")
        assert listing.status_code == 200 and "/gaji/aturan/tpp_pagu?versi=" in listing.text
        assert "Simpan versi" not in listing.text and "Versi baru ditambahkan oleh administrator" in listing.text
        table = client.get("/gaji/aturan/tpp_potongan_disiplin")
        assert table.status_code == 200 and "TK" in table.text and "Riwayat versi" in table.text
        assert "Tambah versi baru" not in table.text
        assert client.get("/gaji/aturan/gaji_pokok_pns").status_code == 200  # national: shown as stored
        assert client.get("/gaji/aturan/tpp_pagu/formulir").status_code == 403
        assert client.post("/gaji/aturan", data={**BASE, "code": "tpp_pagu", "data": "{}"}).status_code == 403
    for user in (org_chart.u_staff, org_chart.u_kasi):
        assert as_user(app, user).get("/gaji/aturan/tpp_pagu").status_code == 403
    assert admin.get("/gaji/aturan/tidak_ada").status_code == 404
    assert "Tambah versi baru" in admin.get("/gaji/aturan/tpp_pagu").text
