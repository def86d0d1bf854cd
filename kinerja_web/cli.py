"""Command-line entry points: `flask seed demo|scale`, `flask worker`, `flask doctor`, `flask user create-admin`."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from .extensions import db
from .models import Employee, Role, User
from .services.seed import accounts as demo_accounts
from .services.seed import demo
from .timeutil import today_wib

seed = AppGroup("seed", help="Isi data contoh.")
user_cli = AppGroup("user", help="Kelola akun dari baris perintah.")


def _refuse_if_populated() -> None:
    if db.session.scalar(select(Employee.id).limit(1)):
        raise click.ClickException("Basis data sudah berisi pegawai; data contoh hanya untuk basis data kosong.")


@seed.command("demo")
@click.option(
    "--employees",
    default=400,
    show_default=True,
    type=click.IntRange(min=200),
    help="Jumlah pegawai (paling sedikit 200: setiap akun demo perlu pegawai dan bawahan di unitnya).",
)
@click.option("--if-empty", is_flag=True, help="Lewati tanpa galat bila basis data sudah berisi.")
def seed_demo(employees: int, if_empty: bool) -> None:
    """Kabupaten contoh (12 OPD, ~400 pegawai) beserta akun demo per peran."""
    if if_empty and db.session.scalar(select(Employee.id).limit(1)):
        click.echo("Basis data sudah berisi; data contoh dilewati.")
        return
    _refuse_if_populated()
    started = time.perf_counter()
    today = today_wib()
    done = demo.demo(employees, today)
    res, accounts, followup = done.regency, done.accounts, done.followup
    db.session.commit()
    click.echo(f"Katalog pengembangan: {done.programmes} program, aturan rujukan versi 1.")
    click.echo(
        f"{res.units} unit, {res.positions} jabatan, {res.employees} pegawai dibuat "
        f"dalam {time.perf_counter() - started:.1f} detik."
    )
    click.echo(
        f"Contoh tindak lanjut: {followup['plans']} rencana pembinaan berjalan, "
        f"{followup['proposals']} usulan penghargaan."
    )
    click.echo(
        f"Penggajian: {done.payroll['rules']} versi aturan, {done.payroll['predikat']} predikat bulanan, "
        + ("kop surat, penanda tangan dan register nomor BPKAD diatur." if done.payroll["documents"] else "")
    )
    ps = done.public_service
    if ps is not None:
        click.echo(
            f"Pelayanan publik: {ps.services} layanan, {ps.transactions} catatan layanan 12 bulan, "
            f"perubahan prosedur {ps.change_date.isoformat()} (lihat Sebelum/sesudah), {ps.linked_ikis} IKI tertaut."
        )
    pf = done.public_feedback
    if pf is not None:
        click.echo(
            f"Umpan balik publik: {pf.periods} periode SKM ({pf.responses} jawaban), {pf.complaints} pengaduan di "
            f"semua status, {pf.innovations} inovasi."
        )
    click.echo(f"Akun demo (kata sandi: {demo_accounts.DEMO_PASSWORD}):")
    for username, roles in accounts.items():
        click.echo(f"  {username:12s} {roles}")


@seed.command("scale")
@click.option("--employees", default=7500, show_default=True)
def seed_scale(employees: int) -> None:
    """Kabupaten besar untuk uji kinerja (benchmark)."""
    _refuse_if_populated()
    started = time.perf_counter()
    today = today_wib()
    res = demo.scale(employees, today)
    db.session.commit()
    click.echo(f"{res.employees} pegawai dibuat dalam {time.perf_counter() - started:.1f} detik.")


@user_cli.command("create-admin")
@click.argument("username")
@click.password_option("--password", prompt="Kata sandi")
def create_admin(username: str, password: str) -> None:
    """Buat akun administrator (instalasi baru tanpa data contoh)."""
    if db.session.scalar(select(User.id).where(User.username == username)):
        raise click.ClickException("Nama pengguna sudah dipakai.")
    user = User(username=username)
    user.set_password(password)
    user.set_roles({Role.ADMINISTRATOR})
    db.session.add(user)
    db.session.commit()
    click.echo(f"Administrator {username} dibuat.")


@click.command("doctor")
def doctor() -> None:
    """Periksa konfigurasi server ini (basis data, migrasi, Redis, PDF, huruf, folder, kunci rahasia)."""
    from .services.deployment import doctor as checks

    found = checks.run(current_app._get_current_object())
    marks = {checks.OK: "OK  ", checks.WARN: "PERI", checks.ERROR: "GAL "}
    for c in found:
        click.echo(f"[{marks[c.level]}] {c.name}: {c.id_text}")
        click.echo(f"       {c.en_text}")
    failed = [c for c in found if c.failed]
    if failed:
        click.echo(f"{len(failed)} galat: server ini belum siap. / {len(failed)} error(s): this host is not ready.")
        raise SystemExit(1)
    click.echo("Server ini siap. / This host is ready.")


@click.command("worker")
@click.option("--workers", "-w", default=2, show_default=True, help="Jumlah proses pekerja.")
@click.option(
    "--max-delay",
    default=0.5,
    show_default=True,
    type=click.FloatRange(0.05, 60),
    help="Jeda terlama (detik) antara dua pemeriksaan antrean oleh pekerja yang menganggur.",
)
def worker(workers: int, max_delay: float) -> None:
    """Jalankan pekerja antrean (huey) untuk pekerjaan latar belakang."""
    from huey.consumer import Consumer

    huey = current_app.extensions["huey"]
    freeze_startup_objects()
    # huey's idle workers poll the queue with a growing pause (x1.15 from 0.1 s, up to 10 s by default). A batch
    # hands its second half to a helper task on the other process, which an idle worker would otherwise pick up
    # only seconds later; a poll is one tiny statement, so a short upper bound costs nothing.
    consumer = Consumer(
        huey,
        workers=workers,
        worker_type="process",
        periodic=True,
        check_worker_health=True,
        initial_delay=min(0.1, max_delay),
        max_delay=max_delay,
    )
    consumer.run()


def freeze_startup_objects() -> None:
    """Move everything built at start-up (app, routes, models, templates) out of the garbage collector's sight.

    Those objects live as long as the process, yet every full collection walks all of them again (~240,000 in
    a worker). WeasyPrint and the ORM allocate enough to trigger such collections every few documents or pages,
    so a render paid 5–30 ms of collector time depending on where a collection fell (measured in
    benchmarks.documents). `gc.freeze()` (Python 3.7+) keeps them in a permanent generation; objects made
    later are collected as usual. Called before the worker processes fork, so they share the frozen pages.
    """
    import gc

    gc.collect()
    gc.freeze()


def init_app(app) -> None:
    app.cli.add_command(seed)
    app.cli.add_command(user_cli)
    app.cli.add_command(worker)
    app.cli.add_command(doctor)
