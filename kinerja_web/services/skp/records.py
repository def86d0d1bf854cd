"""SKP data shared across areas and by the other SKP modules: BerAKHLAK guides, current versions, who decides,
who is told (`user_of`, `notify_employee`) and the plain-data print context.

`render_skp_context(skp)` is what the SKP PDF template (documents service) and the HTML print view
`/skp/<id>/cetak` both render: plain values only, so a document is reproducible from it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ...domain import berakhlak
from ...domain.berakhlak import BERAKHLAK
from ...domain.skp import RhkKategori
from ...domain.workflow import SkpStatus
from ...extensions import db
from ...jinja import tanggal
from ...models import Notification, PerilakuExpectation, Rhk, Skp, User
from ...models.skp import kategori_rank
from ..notifications.notify import notify
from ..org import appraisers


def latest_version(employee_id: int, period_id: int) -> Skp | None:
    """The newest version of an employee's SKP for a period (draft or not)."""
    return db.session.scalars(
        select(Skp).where(Skp.employee_id == employee_id, Skp.period_id == period_id).order_by(Skp.version.desc())
    ).first()


def effective_skp(employee_id: int, period_id: int) -> Skp | None:
    """The SKP staff cascade from: the approved version if any, else the newest draft."""
    rows = db.session.scalars(
        select(Skp)
        .where(Skp.employee_id == employee_id, Skp.period_id == period_id, Skp.status != SkpStatus.REPLACED)
        .order_by(Skp.version.desc())
    ).all()
    for row in rows:
        if row.status == SkpStatus.APPROVED:
            return row
    return rows[0] if rows else None


def effective_skps(period_id: int, employee_ids: list[int]) -> dict[int, Skp]:
    """`effective_skp` of many employees in one query: per employee the approved version if any, else the
    newest one (replaced versions never count)."""
    if not employee_ids:
        return {}
    best: dict[int, Skp] = {}
    for s in db.session.scalars(
        select(Skp).where(
            Skp.period_id == period_id, Skp.employee_id.in_(employee_ids), Skp.status != SkpStatus.REPLACED
        )
    ):
        have = best.get(s.employee_id)
        if have is None or (s.status == SkpStatus.APPROVED, s.version) > (
            have.status == SkpStatus.APPROVED,
            have.version,
        ):
            best[s.employee_id] = s
    return best


# The SKP page's data in three statements built once (issue 23): the SKP with its employee and period, its
# perilaku rows, then its RHK with their IKI and atasan RHK in one joined statement. Selectin loaders (their
# statements built on every request, one per level) cost more than the rest of the page together.
_PAGE_SKP = select(Skp).options(joinedload(Skp.employee), joinedload(Skp.period)).where(Skp.id == bindparam("skp_id"))
_PAGE_PERILAKU = (
    select(PerilakuExpectation)
    .where(PerilakuExpectation.skp_id == bindparam("skp_id"))
    .order_by(PerilakuExpectation.position)  # as Skp.perilaku orders them
)
_PAGE_RHKS = (
    select(Rhk)
    .options(joinedload(Rhk.indikators), joinedload(Rhk.parent))
    .where(Rhk.skp_id == bindparam("skp_id"))
    .order_by(kategori_rank(Rhk.kategori), Rhk.position, Rhk.id)  # as Skp.rhks orders them
)


def load_page(skp_id: int) -> Skp | None:
    """The SKP for its page (None if there is none): employee, period, perilaku rows, and its RHK with their IKI
    and atasan RHK, in three statements whatever the number of rows."""
    skp = db.session.scalars(_PAGE_SKP, {"skp_id": skp_id}).first()
    if skp is not None:
        params = {"skp_id": skp_id}
        set_committed_value(skp, "perilaku", list(db.session.scalars(_PAGE_PERILAKU, params)))
        set_committed_value(skp, "rhks", list(db.session.scalars(_PAGE_RHKS, params).unique()))
    return skp


def newest_version_number(skp: Skp) -> int:
    return db.session.scalar(
        select(func.max(Skp.version)).where(Skp.employee_id == skp.employee_id, Skp.period_id == skp.period_id)
    )


def decider_ids(skps: list[Skp], today: date, parent_of: dict[int, int | None] | None = None) -> dict[int, int | None]:
    """Employee id of who decides each SKP awaiting a decision: the pejabat penilai of today, Plt/Plh
    included (PermenPANRB 6/2022: the atasan langsung; an acting official exercises the post). When the
    org data names nobody today, the one it was submitted to keeps it, so it is never left with no one."""
    live = appraisers.appraiser_ids_of([s.employee for s in skps], today, parent_of)
    return {s.id: live.get(s.employee_id) or s.appraiser_id for s in skps}


def user_of(employee_id: int | None) -> User | None:
    if employee_id is None:
        return None
    return db.session.scalars(select(User).where(User.employee_id == employee_id, User.active.is_(True))).first()


def notify_employee(
    employee_id: int | None, kind: str, message: str, link: str, *, unless_unread: bool = False
) -> None:
    user = user_of(employee_id)
    if user is None:
        return
    if unless_unread and db.session.scalar(
        select(Notification.id).where(
            Notification.user_id == user.id,
            Notification.kind == kind,
            Notification.link == link,
            Notification.read_at.is_(None),
        )
    ):
        return
    notify(user, kind, message, link)


def _person(nama, nip, pangkat, jabatan, unit) -> dict:
    return {
        "nama": nama or "–",
        "nip": nip or "–",
        "pangkat": pangkat or "–",
        "jabatan": jabatan or "–",
        "unit": unit or "–",
    }


def live_people(skp: Skp, on: date) -> tuple[dict, dict]:
    """Pegawai and pejabat penilai from the org data on `on` (used before approval freezes them)."""
    emp = skp.employee
    pos = appraisers.position_of(emp, on)
    pegawai = _person(
        emp.full_name,
        emp.nip,
        emp.pangkat_golongan,
        pos.full_name if pos else None,
        pos.unit.name if pos else (emp.unit.name if emp.unit else None),
    )
    appraiser = appraisers.appraiser_of(emp, on)
    if appraiser is None:
        return pegawai, _person(None, None, None, None, None)
    a = appraiser.employee
    penilai = _person(
        a.full_name,
        a.nip,
        a.pangkat_golongan,
        appraiser.acting_prefix + appraiser.position.full_name,
        appraiser.position.unit.name,
    )
    return pegawai, penilai


def render_skp_context(skp: Skp, on: date | None = None) -> dict:
    """Plain-data context of the SKP document (domain §2.4: header, hasil kerja, perilaku, lampiran).

    Approved SKP print the people frozen at approval; drafts print the live org data of `on`.
    """
    skp = db.session.scalars(
        select(Skp)
        .where(Skp.id == skp.id)
        .options(
            selectinload(Skp.rhks).selectinload(Rhk.indikators),
            selectinload(Skp.rhks).joinedload(Rhk.parent),
            selectinload(Skp.perilaku),
        )
    ).one()
    frozen = skp.status in (SkpStatus.APPROVED, SkpStatus.REPLACED) and skp.pegawai_nama
    if frozen:
        pegawai = _person(skp.pegawai_nama, skp.pegawai_nip, skp.pegawai_pangkat, skp.pegawai_jabatan, skp.pegawai_unit)
        penilai = _person(skp.penilai_nama, skp.penilai_nip, skp.penilai_pangkat, skp.penilai_jabatan, skp.penilai_unit)
    else:
        pegawai, penilai = live_people(skp, on or skp.period.start_date)
    guides = berakhlak.guides_by_name()
    expectations = {p.nilai: p.ekspektasi_khusus or "" for p in skp.perilaku}
    groups = []
    for kategori in RhkKategori:
        rows = []
        for rhk in (r for r in skp.rhks if r.kategori == kategori):
            rows.append(
                {
                    "atasan": rhk.parent.uraian if rhk.parent else "",
                    "uraian": rhk.uraian,
                    "indikator": [
                        {
                            "aspek": i.aspek.label,
                            "indikator": i.indikator,
                            "target": f"{i.target} {i.satuan or ''}".strip(),
                        }
                        for i in rhk.indikators
                    ],
                }
            )
        groups.append({"kode": "A" if kategori == RhkKategori.UTAMA else "B", "nama": kategori.label, "rhk": rows})
    period = skp.period
    return {
        "judul": "SASARAN KINERJA PEGAWAI",
        "subjudul": skp.jenis.label.upper(),
        "jenis": skp.jenis.value,
        "periode": f"{tanggal(period.start_date)} s.d. {tanggal(period.end_date)}",
        "tahun": period.year,
        "versi": skp.version,
        "status": skp.status.label,
        "final": bool(frozen),
        "pegawai": pegawai,
        "penilai": penilai,
        "hasil_kerja": groups,
        "perilaku": [
            {"no": n, "nilai": v, "panduan": list(guides[v]), "ekspektasi": expectations.get(v, "")}
            for n, v in enumerate(BERAKHLAK, start=1)
        ],
        "lampiran": {
            "dukungan_sumber_daya": skp.dukungan_sumber_daya or "",
            "skema_pertanggungjawaban": skp.skema_pertanggungjawaban or "",
            "konsekuensi": skp.konsekuensi or "",
        },
        "ditetapkan": tanggal(skp.approved_on) if skp.approved_on else "",
    }
