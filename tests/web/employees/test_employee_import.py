"""Employee import: upload → preview with per-row errors → confirm (inline or as a background job)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from flask import g
from openpyxl import Workbook
from sqlalchemy import func, select

from kinerja_web.extensions import db
from kinerja_web.models import AuditLog, Employee, Job, JobStatus, PositionAssignment
from kinerja_web.services.employees import import_files, importer

HEADERS = [
    "NIP", "NAMA", "GELAR_DEPAN", "GELAR_BELAKANG", "STATUS_ASN", "JENIS_KELAMIN", "TEMPAT_LAHIR", "TANGGAL_LAHIR",
    "TMT_CPNS", "GOLONGAN", "TMT_GOLONGAN", "MK_GOLONGAN_TAHUN", "MK_GOLONGAN_BULAN", "KODE_UNIT", "JABATAN",
    "STATUS_PTKP", "BANK", "NOMOR_REKENING", "EMAIL", "TELEPON",
]  # fmt: skip


def make_rows(n: int, unit_code: str = "OPD-T", jabatan: str = "Pengadministrasi Umum") -> list[list[str]]:
    rows = []
    for i in range(n):
        birth = date(1980, 1, 1) + timedelta(days=i * 7)
        female = i % 2 == 1
        nip = f"{birth:%Y%m%d}201003{2 if female else 1}{i % 999 + 1:03d}"
        rows.append(
            [
                nip, f"Pegawai Impor {i}", "", "S.E.", "PNS", "P" if female else "Laki-laki", "Kotabumi",
                birth.strftime("%d-%m-%Y"), "2010-03-01", "III/b", "2018-04-01", "8", "0", unit_code, jabatan,
                "TK/0", "Bank Lampung", f"38{i:08d}", f"pegawai{i}@contoh.go.id", "0812",
            ]
        )  # fmt: skip
    return rows


def to_csv(rows, delimiter=",", headers=HEADERS) -> str:
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter)
    w.writerow(headers)
    w.writerows(rows)
    return out.getvalue()


@pytest.fixture
def hr(app, org_chart):
    return app.test_client(user=org_chart.u_hr)


def upload(client, data: bytes, filename: str = "pegawai.csv"):
    return client.post("/pegawai/impor", data={"berkas": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")  # fmt: skip


def upload_and_preview(client, data: bytes, filename: str = "pegawai.csv"):
    r = upload(client, data, filename)
    assert r.status_code == 303, r.get_data(as_text=True)[:2000]
    location = r.headers["Location"]
    return location, client.get(location)


def employee_count() -> int:
    return db.session.scalar(select(func.count(Employee.id)))


def five_hundred_with_three_bad() -> list[list[str]]:
    rows = make_rows(500)
    rows[10][9] = "V/z"  # spreadsheet row 12: unknown golongan
    rows[200][13] = "TIDAK-ADA"  # row 202: unknown unit
    rows[449][7] = "01-01-1970"  # row 451: birth date disagrees with the NIP
    return rows


def test_preview_lists_exactly_the_three_bad_rows_and_why(hr):
    before = employee_count()
    _, r = upload_and_preview(hr, to_csv(five_hundred_with_three_bad()).encode())
    body = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Baris yang salah (3 baris, 3 kesalahan)" in body
    assert '<td class="num">12</td><td><code>GOLONGAN</code></td>' in body and "V/z" in body
    assert '<td class="num">202</td><td><code>KODE_UNIT</code></td>' in body and "TIDAK-ADA" in body
    assert '<td class="num">451</td><td><code>TANGGAL_LAHIR</code></td>' in body
    assert "Tanggal lahir tidak sama dengan tanggal lahir pada NIP." in body
    assert body.count('class="row-error"') == 3
    assert employee_count() == before


def test_confirming_a_file_with_errors_imports_nothing(hr):
    before = employee_count()
    location, _ = upload_and_preview(hr, to_csv(five_hundred_with_three_bad()).encode())
    r = hr.post(location, data={})
    assert r.status_code == 422
    assert "3 baris yang salah; tidak ada data yang diimpor" in r.get_data(as_text=True)
    assert employee_count() == before


def test_skipping_bad_rows_imports_the_other_497(hr):
    before = employee_count()
    location, _ = upload_and_preview(hr, to_csv(five_hundred_with_three_bad()).encode())
    r = hr.post(location, data={"skip_invalid": "y"})
    assert r.status_code == 303
    assert employee_count() == before + 497
    emp = db.session.scalar(select(Employee).where(Employee.name == "Pegawai Impor 3"))
    assert emp.gelar_belakang == "S.E." and emp.golongan == "III/b" and emp.position.name == "Pengadministrasi Umum"
    assert emp.assignments and emp.assignments[0].end_date is None


def test_large_confirmation_runs_as_a_job_that_reaches_done_with_progress(hr):
    location, _ = upload_and_preview(hr, to_csv(five_hundred_with_three_bad()).encode())
    r = hr.post(location, data={"skip_invalid": "y"})
    assert r.status_code == 303 and "/pegawai/impor/pekerjaan/" in r.headers["Location"]
    job = db.session.scalar(select(Job).order_by(Job.id.desc()))
    assert job.kind == "import_pegawai" and job.status == JobStatus.DONE
    assert job.progress == job.total == 100 and job.result["baru"] == 497
    page = hr.get(r.headers["Location"])
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and 'value="100"' in body and "497 baru" in body
    fragment = hr.get(r.headers["Location"], headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and f'id="job-{job.id}"' in fragment


def test_a_running_import_job_page_polls_and_offers_a_refresh_link(hr, org_chart):
    job = Job(kind="import_pegawai", title="Impor", total=1000, progress=250, status=JobStatus.RUNNING,
              created_by_id=org_chart.u_hr.id)  # fmt: skip
    db.session.add(job)
    db.session.flush()
    body = hr.get(f"/pegawai/impor/pekerjaan/{job.id}").get_data(as_text=True)
    assert 'value="25"' in body and "hx-get" in body and "Muat ulang untuk melihat kemajuan" in body


def test_rerunning_a_finished_import_job_does_nothing(hr, app):
    from kinerja_web.jobs import runner

    location, _ = upload_and_preview(hr, to_csv(make_rows(250)).encode())
    hr.post(location, data={})
    job = db.session.scalar(select(Job).order_by(Job.id.desc()))
    count, logs = employee_count(), db.session.scalar(select(func.count(AuditLog.id)))
    runner.execute(job.id)
    assert employee_count() == count and db.session.scalar(select(func.count(AuditLog.id))) == logs


def test_reimporting_the_same_file_changes_nothing_and_says_so(hr):
    data = to_csv(make_rows(20)).encode()
    location, _ = upload_and_preview(hr, data)
    assert hr.post(location, data={}).status_code == 303
    count = employee_count()
    versions = dict(db.session.execute(select(Employee.nip, Employee.version_id)).all())
    assignments = db.session.scalar(select(func.count(PositionAssignment.id)))
    location, preview = upload_and_preview(hr, data)
    assert "tidak berubah" in preview.get_data(as_text=True)
    r = hr.post(location, data={}, follow_redirects=True)
    assert "Tidak ada yang berubah: 20 pegawai sudah sama dengan berkas." in r.get_data(as_text=True)
    assert employee_count() == count
    assert dict(db.session.execute(select(Employee.nip, Employee.version_id)).all()) == versions
    assert db.session.scalar(select(func.count(PositionAssignment.id))) == assignments


def test_changed_rows_are_updated_and_counted(hr, org_chart):
    headers = [*HEADERS, "TMT_JABATAN"]
    rows = [[*row, "2020-01-01"] for row in make_rows(3)]
    location, _ = upload_and_preview(hr, to_csv(rows, headers=headers).encode())
    hr.post(location, data={})
    rows[0][9] = "III/c"
    rows[1][14], rows[1][20] = "Pengolah Data", "2024-06-01"
    location, preview = upload_and_preview(hr, to_csv(rows, headers=headers).encode())
    r = hr.post(location, data={}, follow_redirects=True)
    assert "0 baru, 2 diubah, 1 tidak berubah" in r.get_data(as_text=True)
    moved = db.session.scalar(select(Employee).where(Employee.nip == rows[1][0]))
    assert moved.position.name == "Pengolah Data"
    assert [(a.start_date, a.end_date) for a in sorted(moved.assignments, key=lambda a: a.start_date)] == [
        (date(2020, 1, 1), date(2024, 5, 31)),
        (date(2024, 6, 1), None),
    ]
    assert db.session.scalar(select(Employee.golongan).where(Employee.nip == rows[0][0])) == "III/c"


def test_position_change_starting_before_the_current_post_is_reported(hr):
    rows = make_rows(1)
    location, _ = upload_and_preview(hr, to_csv(rows).encode())
    hr.post(location, data={})
    rows[0][14] = "Pengolah Data"
    _, preview = upload_and_preview(hr, to_csv(rows).encode())
    assert "isi TMT_JABATAN setelah tanggal itu" in preview.get_data(as_text=True)


def test_each_confirmed_import_records_one_audit_summary(hr):
    location, _ = upload_and_preview(hr, to_csv(make_rows(5)).encode())
    hr.post(location, data={})
    events = db.session.scalars(select(AuditLog).where(AuditLog.action == "import")).all()
    assert len(events) == 1 and "5 baru" in events[0].summary
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.entity == "employee",
                                                                   AuditLog.action == "create")) >= 5  # fmt: skip


def test_position_change_closes_the_running_history_row(hr, org_chart):
    staff = org_chart.staff1
    row = [
        staff.nip, staff.name, "", "", "PNS", "L", "", staff.birth_date.isoformat(), staff.tmt_cpns.isoformat(),
        "III/a", "", "0", "0", "OPD-T", "Pengolah Data",
    ]  # fmt: skip
    csv_text = to_csv([row + ["TK/0", "", "", "", ""]])
    location, _ = upload_and_preview(hr, csv_text.encode())
    assert hr.post(location, data={}).status_code == 303
    rows = sorted(staff.assignments, key=lambda a: a.start_date)
    assert rows[0].end_date is not None and rows[-1].position.name == "Pengolah Data" and rows[-1].end_date is None


def test_xlsx_with_excel_dates_imports(hr):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in make_rows(4):
        row[7] = import_files.parse_date(row[7])  # a real Excel date cell
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    before = employee_count()
    location, preview = upload_and_preview(hr, out.getvalue(), "pegawai.xlsx")
    assert preview.status_code == 200 and "baris salah" in preview.get_data(as_text=True)
    assert hr.post(location, data={}).status_code == 303
    assert employee_count() == before + 4


def test_xlsx_nip_stored_as_a_number_is_reported(hr):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    row = make_rows(1)[0]
    row[0] = int(row[0])
    ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    _, preview = upload_and_preview(hr, out.getvalue(), "pegawai.xlsx")
    assert "NIP tersimpan sebagai angka di Excel" in preview.get_data(as_text=True)


def test_semicolon_csv_imports(hr):
    before = employee_count()
    location, _ = upload_and_preview(hr, to_csv(make_rows(5), delimiter=";").encode())
    assert hr.post(location, data={}).status_code == 303
    assert employee_count() == before + 5


def test_cp1252_csv_imports_with_a_warning_and_keeps_accents(hr):
    rows = make_rows(2)
    rows[0][1] = "André Siregar"
    location, preview = upload_and_preview(hr, to_csv(rows, delimiter=";").encode("cp1252"))
    assert "dibaca sebagai Windows-1252" in preview.get_data(as_text=True)
    assert hr.post(location, data={}).status_code == 303
    assert db.session.scalar(select(Employee).where(Employee.nip == rows[0][0])).name == "André Siregar"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_csv_with_a_byte_order_mark_imports(hr, encoding):
    before = employee_count()
    location, preview = upload_and_preview(hr, to_csv(make_rows(2)).encode(encoding))
    assert "Windows-1252" not in preview.get_data(as_text=True)
    assert hr.post(location, data={}).status_code == 303
    assert employee_count() == before + 2


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "pegawai.csv", "bukan CSV melainkan PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "laporan.docx", "Jenis berkas .docx tidak didukung"),
        (b"PK\x03\x04\x14\x00\x06\x00garbage", "pegawai.xlsx", "tidak dapat dibaca sebagai lembar kerja Excel"),
        (b"NIP;NAMA\n", "pegawai.csv", "tanpa data pegawai"),
        (b"", "pegawai.csv", "Berkas kosong"),
    ],
)
def test_wrong_file_gets_a_clear_message_and_422(hr, data, filename, message):
    r = upload(hr, data, filename)
    assert r.status_code == 422
    assert message in r.get_data(as_text=True)


def test_docx_renamed_xlsx_gets_a_clear_message(hr, tmp_path):
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    r = upload(hr, buf.getvalue(), "pegawai.xlsx")
    assert r.status_code == 422 and "tidak dapat dibaca sebagai lembar kerja Excel" in r.get_data(as_text=True)


def test_missing_required_columns_are_named(hr):
    _, preview = upload_and_preview(hr, b"NIP,NAMA\n199001012015031001,Budi\n")
    body = preview.get_data(as_text=True)
    assert "Kolom wajib tidak ada: STATUS_ASN" in body and "JABATAN (atau ID_JABATAN)" in body


def test_duplicate_nips_within_the_file_are_reported_on_each_row(hr):
    rows = make_rows(3)
    rows[2][0] = rows[0][0]
    rows[2][7] = rows[0][7]
    _, preview = upload_and_preview(hr, to_csv(rows).encode())
    body = preview.get_data(as_text=True)
    assert "NIP sama dengan baris 4 di berkas ini." in body and "NIP sama dengan baris 2 di berkas ini." in body


def test_empty_required_field_and_bad_date_are_reported(hr):
    rows = make_rows(2)
    rows[0][1] = ""
    rows[1][10] = "2019-13-45"
    _, preview = upload_and_preview(hr, to_csv(rows).encode())
    body = preview.get_data(as_text=True)
    assert '<td class="num">2</td><td><code>NAMA</code></td><td>Wajib diisi.</td>' in body
    assert "Tanggal “2019-13-45” tidak sah" in body


def test_unknown_jabatan_and_foreign_id_jabatan_are_reported(hr, org_chart):
    rows = make_rows(2)
    rows[0][14] = "Juru Sulap"
    location, preview = upload_and_preview(hr, to_csv(rows).encode())
    assert "Jabatan “Juru Sulap” tidak ada di unit OPD-T." in preview.get_data(as_text=True)
    headers = [*HEADERS, "ID_JABATAN"]
    rows = [[*row, str(org_chart.p_other.id)] for row in make_rows(1)]
    _, preview = upload_and_preview(hr, to_csv(rows, headers=headers).encode())
    assert f"Jabatan nomor {org_chart.p_other.id} bukan jabatan di unit OPD-T." in preview.get_data(as_text=True)


def test_an_occupied_leader_post_is_not_given_to_a_second_person(hr):
    rows = make_rows(1)
    rows[0][14] = "Kepala Seksi Uji"
    _, preview = upload_and_preview(hr, to_csv(rows).encode())
    assert "Jabatan “Kepala Seksi Uji” di unit OPD-T sudah terisi pejabat lain." in preview.get_data(as_text=True)


def test_an_import_job_that_meets_errors_fails_and_saves_nothing(app, hr, org_chart):
    from kinerja_web.services import jobs

    table = import_files.read_upload("x.csv", to_csv(five_hundred_with_three_bad()).encode())
    token = import_files.save_upload(table, org_chart.u_hr.id)
    before = employee_count()
    job = jobs.enqueue("import_pegawai", "Impor", {"token": token, "skip_invalid": False}, org_chart.u_hr.id, 100)
    db.session.commit()
    db.session.refresh(job)
    assert job.status == JobStatus.FAILED and "3 baris yang salah" in job.message
    assert employee_count() == before


def test_upload_over_the_size_limit_gets_the_413_page(hr):
    big = b"x" * (21 * 1024 * 1024)
    r = upload(hr, big)
    assert r.status_code == 413 and "Berkas terlalu besar" in r.get_data(as_text=True)


def test_an_upload_token_belongs_to_its_uploader_only(hr, org_chart):
    location, _ = upload_and_preview(hr, to_csv(make_rows(2)).encode())
    token = location.rsplit("/", 1)[-1]
    assert import_files.load_upload(token, org_chart.u_hr.id) is not None
    assert import_files.load_upload(token, org_chart.u_admin.id) is None
    assert import_files.load_upload("../../etc/passwd", org_chart.u_hr.id) is None


def test_templates_download_with_every_column_and_no_data_row(hr):
    from openpyxl import load_workbook

    csv_t = hr.get("/pegawai/impor/templat.csv")
    xlsx_t = hr.get("/pegawai/impor/templat.xlsx")
    headers = [c.header for c in import_files.COLUMNS]
    assert csv_t.status_code == 200 and csv_t.data.decode("utf-8-sig").splitlines() == [";".join(headers)]
    assert xlsx_t.status_code == 200 and "attachment" in xlsx_t.headers["Content-Disposition"]
    wb = load_workbook(io.BytesIO(xlsx_t.data))
    assert [c.value for c in wb["Pegawai"][1]] == headers and wb["Pegawai"]["A2"].value is None
    assert wb["Petunjuk"]["A2"].value == "NIP"


def test_upload_page_lists_the_columns(hr):
    body = hr.get("/pegawai/impor").get_data(as_text=True)
    for header in ("NIP", "STATUS_ASN", "KODE_UNIT", "TMT_GOLONGAN", "NOMOR_REKENING"):
        assert f"<code>{header}</code>" in body
    assert "<code>OPD-T</code>" in body  # the unit codes KODE_UNIT accepts


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/pegawai/impor"),
        ("post", "/pegawai/impor"),
        ("get", "/pegawai/impor/templat.csv"),
        ("get", "/pegawai/impor/templat.xlsx"),
        ("get", "/pegawai/impor/" + "a" * 43),
        ("post", "/pegawai/impor/" + "a" * 43),
        ("get", "/pegawai/impor/pekerjaan/1"),
    ],
)
def test_non_hr_gets_403_on_every_import_route(app, org_chart, method, path):
    for role in ("u_staff", "u_kasi", "u_operator", "u_pejabat"):
        client = app.test_client(user=getattr(org_chart, role))
        assert getattr(client, method)(path).status_code == 403, role
        g.pop("_login_user", None)  # requests share the test's app context, where Flask-Login caches the user


def test_import_menu_shows_for_hr(app, org_chart):
    assert "Impor Pegawai" in app.test_client(user=org_chart.u_hr).get("/").get_data(as_text=True)


def test_import_menu_is_hidden_from_staff(app, org_chart):
    assert "Impor Pegawai" not in app.test_client(user=org_chart.u_staff).get("/").get_data(as_text=True)


def test_a_concurrent_import_of_the_same_nips_is_refused_politely(hr, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    def clash(*args, **kwargs):
        raise IntegrityError("INSERT INTO employee", {}, Exception("duplicate key value"))

    location, _ = upload_and_preview(hr, to_csv(make_rows(2)).encode())
    monkeypatch.setattr(importer, "apply_preview", clash)
    r = hr.post(location, data={})
    assert r.status_code == 303 and r.headers["Location"].endswith(location.rsplit("/", 1)[-1])
    assert "tidak ada yang disimpan" in hr.get(location).get_data(as_text=True)


def test_an_upload_waits_in_the_database_not_on_the_hosts_disk(app, hr, org_chart, tmp_path):
    """Issue 23 item 4: another web host shows the preview, a worker on another host imports it."""
    from kinerja_web.models import StagedUpload

    app.instance_path = str(tmp_path)  # nothing is written to this host's folders
    location, preview = upload_and_preview(hr, to_csv(make_rows(2)).encode())
    token = location.rsplit("/", 1)[-1]
    staged = db.session.scalars(select(StagedUpload).where(StagedUpload.token == token)).one()
    assert staged.user_id == org_chart.u_hr.id and len(staged.payload["rows"]) == 2
    assert list(tmp_path.iterdir()) == []
    assert hr.post(location, data={}).status_code == 303  # confirmed: imported, and the staged copy is gone
    assert db.session.scalar(select(func.count(StagedUpload.id))) == 0


def test_a_staged_upload_expires_after_a_day(app, hr, org_chart):
    from datetime import timedelta

    from kinerja_web.models import StagedUpload, utcnow

    location, _ = upload_and_preview(hr, to_csv(make_rows(1)).encode())
    staged = db.session.scalars(select(StagedUpload)).one()
    staged.created_at = utcnow() - timedelta(days=1, minutes=1)
    db.session.commit()
    r = hr.get(location)
    assert r.status_code == 303 and r.headers["Location"].endswith("/pegawai/impor")
