"""Issue 5 end to end in a real browser (Debian Chromium via Playwright), JavaScript on and off: the raters of
`pegawai` fill the BerAKHLAK form and send it, `pegawai` rates themself, HR closes the 360 cycle, the pejabat
penilai sees the anonymous 360 aggregate beside the SKP evidence, picks hasil kerja and perilaku kerja, sees
the predikat with its matrix cell and explanation and finalises; HR locks the year, the employee downloads
the Dokumen Evaluasi Kinerja and its verification page says it is valid.
"""

from __future__ import annotations

import re
import threading
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from kinerja_web.services.seed.accounts import DEMO_PASSWORD

from .helpers import sample as _sample
from .helpers import session as _session

pytestmark = pytest.mark.browser

PEERS = ("rekan1", "rekan2", "rekan3")
# Scores per rater (every BerAKHLAK value): the others' mean is 4 (4, 3, 4, 5), the self-rating 5.
SCORES = {"atasan": "4", "rekan1": "3", "rekan2": "4", "rekan3": "5", "pegawai": "5"}


@pytest.fixture(scope="module")
def path_server(tmp_path_factory):
    """Setup only through services: one period + approved SKP of `pegawai` and one open 360 cycle per run."""
    from sqlalchemy import select
    from werkzeug.serving import make_server

    from kinerja_web import create_app
    from kinerja_web.domain.skp import Frequency, PeriodStatus
    from kinerja_web.domain.workflow import SkpStatus
    from kinerja_web.extensions import db
    from kinerja_web.models import (
        Employee,
        Evaluatee,
        Period,
        Position,
        PositionKind,
        RaterAssignment,
        RaterGroup,
        Role,
        Unit,
        User,
        utcnow,
    )
    from kinerja_web.services.evaluation360 import cycles, raters
    from kinerja_web.services.seed import accounts, org
    from kinerja_web.services.skp import planning, workflow
    from kinerja_web.timeutil import today_wib

    tmp = tmp_path_factory.mktemp("evaluation-path")
    app = create_app(
        {
            "SECRET_KEY": "browser-test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'k.sqlite3'}",
            "HUEY_IMMEDIATE": True,
            "HUEY_SQLITE_PATH": str(tmp / "huey.sqlite3"),
        }
    )
    runs = {}
    with app.app_context(), app.test_request_context():
        db.create_all()
        today = today_wib()
        org.build_regency(400, today=today)
        accounts.create_demo_accounts(today)
        users = {n: db.session.scalars(select(User).where(User.username == n)).one() for n in ("pegawai", "atasan")}
        emp = users["pegawai"].employee
        # The org data suggests only two peers of `pegawai` (same atasan post); the anonymity threshold is 3,
        # so HR adds a third colleague of the same OPD (the HR override, done here as setup).
        suggested = cycles.peers_of(emp, today)
        taken = {emp.id, users["atasan"].employee_id, *(p.id for p in suggested)}
        third = db.session.scalars(
            select(Employee)
            .join(Position, Position.id == Employee.position_id)
            .join(Unit, Unit.id == Employee.unit_id)
            .where(
                Unit.code.like("BKPSDM%"),
                Position.kind == PositionKind.PELAKSANA,
                Employee.active.is_(True),
                Employee.id.not_in(taken),
            )
            .order_by(Employee.id)
        ).first()
        peers = [*suggested, third]
        assert len(peers) == len(PEERS)
        for username, peer in zip(PEERS, peers, strict=True):
            user = User(username=username, employee=peer, session_token=username * 4)
            user.set_password(DEMO_PASSWORD)
            user.set_roles({Role.PEGAWAI})
            db.session.add(user)
        for js in (True, False):  # one period and one cycle per run, so each run closes, rates and locks its own
            year = today.year - (1 if js else 2)
            period = Period(
                year=year,
                frequency=Frequency.TRIWULAN,
                start_date=date(year, 1, 1),
                end_date=date(year, 12, 31),
                status=PeriodStatus.OPEN,
            )
            db.session.add(period)
            db.session.flush()
            skp = planning.create_skp(emp, period, planning.default_jenis(emp), "kosong")
            rhk = planning.add_rhk(skp, "utama", "Terlayaninya administrasi kepegawaian", None, today)
            planning.add_indikator(rhk, "kuantitas", "Jumlah berkas dilayani", "120", "berkas")
            skp.status, skp.appraiser_id = SkpStatus.SUBMITTED, users["atasan"].employee_id
            db.session.flush()
            workflow.approve_skp(skp, users["atasan"], today)
            name = f"Penilaian 360 Tahunan {year}"
            cycle = cycles.save_cycle(
                None,
                {
                    "name": name,
                    "year": year,
                    "period_label": f"Tahunan {year}",
                    "start_date": date(year, 1, 1),
                    "end_date": date(year, 12, 31),
                    "deadline": today + timedelta(days=14),
                    "unit_ids": [emp.unit_id],
                    "use_atasan": True,
                    "use_rekan": True,
                    "use_bawahan": False,
                    "use_diri": True,
                    "min_rekan": 3,
                    "min_bawahan": 3,
                    "threshold_rekan": 3,
                    "threshold_bawahan": 3,
                    "max_nominations": 2,
                },
            )
            cycles.open_cycle(cycle, min(today, cycle.end_date), utcnow())
            ev = db.session.scalars(
                select(Evaluatee).where(Evaluatee.cycle_id == cycle.id, Evaluatee.employee_id == emp.id)
            ).one()
            raters.add_rater(ev, third.nip, RaterGroup.REKAN)
            groups = {
                a.rater_id: a.group
                for a in db.session.scalars(select(RaterAssignment).where(RaterAssignment.evaluatee_id == ev.id))
            }
            assert groups == {
                emp.id: RaterGroup.DIRI,
                users["atasan"].employee_id: RaterGroup.ATASAN,
                **{p.id: RaterGroup.REKAN for p in peers},
            }
            runs[js] = SimpleNamespace(period_id=period.id, year=year, cycle=name)
        db.session.commit()
        pegawai = SimpleNamespace(name=emp.full_name, peer_names=[p.full_name for p in peers])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_port}", runs=runs, pegawai=pegawai)
    server.shutdown()
    thread.join(timeout=5)


def _rate_360(browser, server, username: str, run, js: bool, group: str) -> None:
    from playwright.sync_api import expect

    from kinerja_web.domain import berakhlak

    name = server.pegawai.name
    ctx, page = _session(browser, server, username, js)
    page.goto("/penilaian-360/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Penilaian 360 yang harus Anda isi")
    row = page.locator("tbody tr").filter(has_text=run.cycle).filter(has_text=name)
    expect(row).to_contain_text(group)
    expect(row).to_contain_text("belum diisi")
    row.get_by_role("button", name="Isi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Penilaian 360: {name}")
    for code in berakhlak.value_codes():
        page.locator(f"input[name=nilai_{code}][value='{SCORES[username]}']").check()
        page.locator(f"textarea[name=komentar_{code}]").fill(f"Contoh perilaku yang diamati oleh {username}.")
    page.locator("textarea[name=komentar_umum]").fill("Kerja sama baik sepanjang tahun.")
    if js:  # the HTMX autosave answered before the form is sent
        expect(page.locator("#saved-at")).to_contain_text("Tersimpan otomatis")
    _sample(page, f"360-{username}-{'js' if js else 'nojs'}")
    page.get_by_role("button", name="Kirim penilaian").click()
    page.wait_for_url(re.compile(r"/penilaian-360/$"))
    expect(page.locator("body")).to_contain_text(f"Penilaian untuk {name} terkirim. Terima kasih.")
    expect(page.locator("ul").filter(has_text=run.cycle)).to_contain_text(name)
    expect(page.locator("tbody tr").filter(has_text=run.cycle).filter(has_text=name)).to_have_count(0)
    ctx.close()


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_raters_atasan_predikat_and_verified_document(browser, path_server, js):
    from playwright.sync_api import expect

    from kinerja_web.domain import berakhlak
    from kinerja_web.domain.predikat import Ekspektasi, explain

    run = path_server.runs[js]
    name = path_server.pegawai.name

    # --- the raters and the employee answer ------------------------------------------------------------------
    _rate_360(browser, path_server, "atasan", run, js, "Atasan")
    for username in PEERS:
        _rate_360(browser, path_server, username, run, js, "Rekan")
    _rate_360(browser, path_server, "pegawai", run, js, "Diri sendiri")

    # --- HR closes the cycle ---------------------------------------------------------------------------------
    ctx, page = _session(browser, path_server, "kepegawaian", js)
    page.goto("/penilaian-360/siklus")
    page.get_by_role("link", name=run.cycle).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(run.cycle)
    page.get_by_role("button", name="Tutup siklus").click()
    expect(page.locator("body")).to_contain_text("Siklus ditutup. Hasil kini dapat dilihat pegawai")
    expect(page.get_by_role("button", name="Tutup siklus")).to_have_count(0)
    ctx.close()

    # --- the pejabat penilai: 360 aggregate beside the SKP, predikat with its explanation, final -------------
    ctx, page = _session(browser, path_server, "atasan", js)
    page.goto(f"/penilaian-kinerja/?periode={run.period_id}")
    team_row = page.locator("tr").filter(has_text=name)
    expect(team_row).to_contain_text("Belum dinilai")
    team_row.get_by_role("link", name="Nilai").click()
    expect(page.locator("body")).to_contain_text("Hasil kerja: realisasi SKP terhadap target")
    expect(page.locator("body")).to_contain_text("Jumlah berkas dilayani")
    expect(page.locator("body")).to_contain_text("Perilaku kerja: umpan balik 360")
    summary = page.locator("p").filter(has_text=run.cycle)
    expect(summary).to_contain_text("4 penilai")  # the self-rating is shown apart
    expect(summary).to_contain_text("Atasan: 1")
    expect(summary).to_contain_text("Rekan kerja: 3")
    table = page.locator("table").filter(has_text="Nilai BerAKHLAK")
    for v in berakhlak.values():
        cells = table.locator("tr").filter(has_text=v.name).locator("td")
        expect(cells.nth(1)).to_have_text(re.compile(r"^4([.,]0+)?$"))  # mean of 4, 3, 4, 5 (others)
        expect(cells.nth(2)).to_have_text("5")  # diri sendiri
        expect(cells.nth(4)).to_have_text("titik buta")  # self above the others by a whole point
    for peer in path_server.pegawai.peer_names:  # anonymous: no rater names on the page
        expect(page.locator("body")).not_to_contain_text(peer)
    expect(page.locator("body")).not_to_contain_text("Contoh perilaku yang diamati")

    page.locator("#field-hasil_kerja").get_by_label("Di Atas Ekspektasi").check()
    page.locator("#field-perilaku_kerja").get_by_label("Di Atas Ekspektasi").check()
    why = explain(Ekspektasi.DI_ATAS, Ekspektasi.DI_ATAS)
    if js:  # HTMX preview: the matrix cell lights up before anything is saved
        expect(page.locator("#pratinjau td.sel")).to_have_text("▶ Sangat Baik")
        expect(page.locator("#pratinjau .penjelasan")).to_have_text(why.kalimat)
    page.locator("textarea[name=catatan]").fill("Target berkas terlampaui; umpan balik 360 konsisten.")
    page.get_by_role("button", name="Simpan dan tetapkan final").click()
    expect(page.locator("body")).to_contain_text("Penilaian final: predikat Sangat Baik. Pegawai sudah diberi tahu.")
    expect(page.locator("#hasil h2")).to_have_text("Predikat: Sangat Baik")
    expect(page.locator("#hasil")).to_contain_text("Final")
    expect(page.locator("#pratinjau td.sel")).to_have_text("▶ Sangat Baik")
    expect(page.locator("#pratinjau .penjelasan")).to_have_text(why.kalimat)
    expect(page.locator("#pratinjau .penjelasan")).to_contain_text("Sangat Baik")
    _sample(page, f"penilaian-atasan-{'js' if js else 'nojs'}")
    ctx.close()

    # --- HR locks the annual rating ----------------------------------------------------------------------------
    ctx, page = _session(browser, path_server, "kepegawaian", js)
    page.goto(f"/penilaian-kinerja/{run.period_id}/kunci")
    page.get_by_role("button", name=re.compile("^Kunci Tahunan")).click()
    page.wait_for_url(re.compile(r"/penilaian-kinerja/kunci/\d+"))
    expect(page.locator("body")).to_contain_text("Dokumen Evaluasi Kinerja Pegawai", timeout=30_000)
    expect(page.locator("progress")).to_have_attribute("value", "100")
    ctx.close()

    # --- the employee sees the predikat and why, downloads the document and verifies it ------------------------
    ctx, page = _session(browser, path_server, "pegawai", js)
    page.goto(f"/penilaian-kinerja/?periode={run.period_id}")
    page.get_by_role("link", name=re.compile("Lihat hasil penilaian kinerja saya")).click()
    expect(page.locator("#hasil h2")).to_have_text("Predikat: Sangat Baik")
    expect(page.locator("#pratinjau .penjelasan")).to_have_text(why.kalimat)
    with page.expect_download() as download:
        page.get_by_role("button", name="Unduh Dokumen Evaluasi Kinerja (PDF)").click()
    assert download.value.suggested_filename.startswith("evaluasi-kinerja-")
    page.get_by_role("link", name=re.compile("periksa keaslian")).click()
    page.wait_for_url(re.compile(r"/verifikasi/"))
    expect(page.locator("body")).to_contain_text("SAH")
    expect(page.locator("body")).to_contain_text("Dokumen Evaluasi Kinerja Pegawai")
    expect(page.locator("body")).to_contain_text(f"Evaluasi Kinerja Tahunan {run.year} — {name}")
    ctx.close()
