"""A running pembinaan plan (started two months ago, one coaching session) for a Butuh Perbaikan rating."""

from __future__ import annotations

from datetime import date, timedelta

from ...models import Employee, PerformanceRating, User


def running_plan(
    employee: Employee, rating: PerformanceRating, coach: Employee, users: dict[str, User], today: date
) -> int:
    """Start the plan and log its first check-in's session, unless the rating needs none or has one (0)."""
    from ..pembinaan import plans as pembinaan  # lazy, as before: `flask` start-up does not import the service

    if not pembinaan.needs_plan(rating) or pembinaan.plan_of_rating(rating.id) is not None:
        return 0
    start = today - timedelta(days=60)
    plan = pembinaan.start_improvement_plan(
        employee,
        rating,
        coach,
        start_date=start,
        goal="Laporan kegiatan bulanan diserahkan tepat waktu dan lengkap dengan bukti dukung.",
        actions=[
            pembinaan.AgreedAction("Menyusun jadwal kerja mingguan bersama atasan", start + timedelta(days=14)),
            pembinaan.AgreedAction("Mengikuti bimbingan teknis pelaporan kinerja", start + timedelta(days=75)),
        ],
        actor=users["kepegawaian"],
    )
    pembinaan.log_session(
        plan,
        held_on=plan.check_ins[0].scheduled_on,
        notes="Membahas hambatan penyusunan laporan; pegawai menyanggupi menyerahkan draf setiap Jumat.",
        actions=[pembinaan.AgreedAction("Menyerahkan draf laporan setiap Jumat", today + timedelta(days=30))],
        check_in_id=plan.check_ins[0].id,
        coach=coach,
        actor=users["atasan"],
        today=today,
    )
    return 1
