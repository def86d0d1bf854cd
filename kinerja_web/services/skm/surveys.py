"""SKM periods and responses: the kiosk's one response per submission, paper questionnaires entered in bulk,
the XLSX import, the result per period and the trend per unit (PermenPANRB 14/2017)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ... import audit
from ...domain import DomainError
from ...domain.public_feedback import (
    UNSUR_COUNT,
    AgeBand,
    Education,
    Occupation,
    RespondentSex,
    ResponseSource,
    SkmResult,
    check_answers,
    compute,
    minimum_sample,
)
from ...extensions import db
from ...models import SkmPeriod, SkmResponse, Unit, User
from ...uploads import read_sheet

ANSWER_COLUMNS = tuple(getattr(SkmResponse, f"u{i}") for i in range(1, UNSUR_COUNT + 1))


def service_units() -> list[Unit]:
    """Units that can run a survey or register complaints: every unit, by name."""
    return list(db.session.scalars(select(Unit).order_by(Unit.name)))


# --- periods -----------------------------------------------------------------------------------------------


def periods_of(unit_ids: Sequence[int] | None) -> list[SkmPeriod]:
    """Periods of the given units (None: every unit), newest first."""
    stmt = select(SkmPeriod).join(Unit).order_by(Unit.name, SkmPeriod.start_date.desc())
    if unit_ids is not None:
        stmt = stmt.where(SkmPeriod.unit_id.in_(unit_ids or [-1]))
    return list(db.session.scalars(stmt))


def create_period(
    unit: Unit, name: str, start: date, end: date, population: int | None, actor: User | None
) -> SkmPeriod:
    """Open a survey period; SKM runs at least yearly, per semester or quarter in many units (PermenPANRB 14/2017)."""
    name = (name or "").strip()
    if not name:
        raise DomainError("Nama periode wajib diisi.", field="name")
    if end < start:
        raise DomainError("Tanggal selesai tidak boleh sebelum tanggal mulai.", field="end_date")
    if population is not None and population < 0:
        raise DomainError("Jumlah populasi tidak boleh negatif.", field="population")
    overlapping = db.session.scalar(
        select(SkmPeriod.name).where(
            SkmPeriod.unit_id == unit.id, SkmPeriod.start_date <= end, SkmPeriod.end_date >= start
        )
    )
    if overlapping:
        raise DomainError(
            f"Periode ini bertumpang tindih dengan periode {overlapping} di unit yang sama.", "start_date"
        )
    period = SkmPeriod(unit_id=unit.id, name=name[:80], start_date=start, end_date=end, population=population)
    db.session.add(period)
    db.session.flush()
    return period


def set_kiosk_open(period: SkmPeriod, is_open: bool) -> None:
    period.kiosk_open = is_open
    db.session.flush()


def open_period_for_kiosk(period_id: int) -> SkmPeriod | None:
    """The period a kiosk page collects into, when it accepts answers (closed or missing: the kiosk says so)."""
    period = db.session.get(SkmPeriod, period_id)
    return period if period is not None and period.kiosk_open else None


# --- responses ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Demographics:
    age_band: AgeBand | None = None
    sex: RespondentSex | None = None
    education: Education | None = None
    occupation: Occupation | None = None


def add_response(
    period: SkmPeriod,
    answers: Sequence[int | None],
    source: ResponseSource,
    demographics: Demographics = Demographics(),
    *,
    submission_key: str | None = None,
    actor: User | None = None,
) -> SkmResponse | None:
    """Store one questionnaire. A kiosk submission carries a one-time key: the same key again (a double tap, a
    resubmitted page) stores nothing and returns None. Answers outside 1–4 are refused."""
    clean = check_answers(answers)
    if submission_key is not None and db.session.scalar(
        select(SkmResponse.id).where(SkmResponse.submission_key == submission_key)
    ):
        return None
    row = SkmResponse(
        period_id=period.id,
        source=source,
        submission_key=submission_key,
        entered_by_id=actor.id if actor is not None else None,
        age_band=demographics.age_band,
        sex=demographics.sex,
        education=demographics.education,
        occupation=demographics.occupation,
        **{f"u{i + 1}": v for i, v in enumerate(clean)},
    )
    db.session.add(row)
    db.session.flush()
    return row


def parse_answer_line(line: str) -> list[int | None]:
    """ "4 3 3 4 4 3 3 4 4", "433443344" or "4,3,3,…" → nine answers (letters and other digits stay as errors)."""
    text = line.strip()
    parts = text.replace(",", " ").replace(";", " ").split()
    if len(parts) == 1 and len(parts[0]) == UNSUR_COUNT:
        parts = list(parts[0])
    values: list[int | None] = []
    for p in parts:
        values.append(int(p) if p.isdigit() else -1)
    return values


def _line_error(values: list[int | None]) -> str | None:
    if len(values) != UNSUR_COUNT:
        return f"harus {UNSUR_COUNT} jawaban (U1–U9), terbaca {len(values)}"
    bad = [f"U{i + 1}" for i, v in enumerate(values) if v not in (1, 2, 3, 4)]
    return f"jawaban di luar 1–4 pada {', '.join(bad)}" if bad else None


def add_paper_batch(period: SkmPeriod, text: str, actor: User) -> int:
    """Paper questionnaires typed in by the unit's operator, one line each. All or nothing: one bad line saves
    none and every bad line is named (the operator corrects and sends the same text again)."""
    lines = [(n, line) for n, line in enumerate((text or "").splitlines(), start=1) if line.strip()]
    if not lines:
        raise DomainError("Isikan minimal satu baris jawaban.", field="lines")
    errors = []
    parsed = []
    for n, line in lines:
        values = parse_answer_line(line)
        problem = _line_error(values)
        if problem:
            errors.append(f"Baris {n}: {problem}.")
        else:
            parsed.append(values)
    if errors:
        raise DomainError(" ".join(errors[:20]) + (" …" if len(errors) > 20 else ""), field="lines")
    for values in parsed:
        add_response(period, values, ResponseSource.PAPER, actor=actor)
    audit.record(
        db.session, "skm_kertas", "skm_period", period.id, f"{len(parsed)} kuesioner kertas dimasukkan ({period.name})"
    )
    return len(parsed)


IMPORT_HEADERS = tuple(f"U{i}" for i in range(1, UNSUR_COUNT + 1))
_DEMOGRAPHIC_HEADERS = {
    "USIA": AgeBand,
    "JENIS_KELAMIN": RespondentSex,
    "PENDIDIKAN": Education,
    "PEKERJAAN": Occupation,
}
PERSONAL_HEADERS = ("NAMA", "NIK", "ALAMAT", "TELEPON", "HP", "EMAIL")


def _header(cell) -> str:
    return str(cell or "").strip().upper().replace(" ", "_")


def _demographic(enum_cls, value) -> object:
    text = str(value or "").strip()
    if not text:
        return None
    for m in enum_cls:
        if text.lower() in (m.value.lower(), m.label.lower()):
            return m
    raise ValueError(text)


def import_xlsx(period: SkmPeriod, data: bytes, actor: User) -> int:
    """An XLSX of questionnaires (header row U1…U9, optional USIA, JENIS_KELAMIN, PENDIDIKAN, PEKERJAAN). All or
    nothing, errors per row. A column carrying names, NIK or contacts of the public is refused: the survey is
    anonymous (PermenPANRB 14/2017)."""
    rows = read_sheet(data, field="berkas")
    if not rows:
        raise DomainError("Berkas kosong.", field="berkas")
    headers = [_header(c) for c in rows[0]]
    personal = [h for h in headers if h in PERSONAL_HEADERS]
    if personal:
        raise DomainError(
            f"Kolom {', '.join(personal)} berisi data pribadi responden. SKM bersifat anonim: hapus kolom itu lalu "
            "unggah ulang. Tidak ada data yang disimpan.",
            field="berkas",
        )
    missing = [h for h in IMPORT_HEADERS if h not in headers]
    if missing:
        raise DomainError(f"Kolom {', '.join(missing)} tidak ditemukan di baris judul.", field="berkas")
    idx = {h: headers.index(h) for h in headers if h}
    errors, parsed = [], []
    for n, row in enumerate(rows[1:], start=2):
        if not any(c not in (None, "") for c in row):
            continue

        def cell(h, row=row):
            i = idx.get(h)
            return row[i] if i is not None and i < len(row) else None

        values: list[int | None] = []
        for h in IMPORT_HEADERS:
            v = cell(h)
            try:
                values.append(int(v) if v is not None and float(v) == int(float(v)) else -1)
            except (TypeError, ValueError):
                values.append(-1)
        problem = _line_error(values)
        demo = {}
        for h, enum_cls in _DEMOGRAPHIC_HEADERS.items():
            try:
                demo[h] = _demographic(enum_cls, cell(h))
            except ValueError as e:
                problem = (problem + "; " if problem else "") + f"{h.replace('_', ' ').lower()} '{e}' tidak dikenal"
        if problem:
            errors.append(f"Baris {n}: {problem}.")
            continue
        parsed.append(
            (values, Demographics(demo["USIA"], demo["JENIS_KELAMIN"], demo["PENDIDIKAN"], demo["PEKERJAAN"]))
        )
    if errors:
        raise DomainError(" ".join(errors[:20]) + (" …" if len(errors) > 20 else ""), field="berkas")
    if not parsed:
        raise DomainError("Tidak ada baris jawaban di bawah baris judul.", field="berkas")
    for values, demo in parsed:
        add_response(period, values, ResponseSource.IMPORT, demo, actor=actor)
    audit.record(db.session, "skm_impor", "skm_period", period.id, f"{len(parsed)} kuesioner diimpor ({period.name})")
    return len(parsed)


# --- results -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodResult:
    period: SkmPeriod
    result: SkmResult
    minimum: int | None  # minimum sample for the period's population (None: population unknown)

    @property
    def sample_ok(self) -> bool | None:
        return None if self.minimum is None else self.result.respondents >= self.minimum


def results(periods: Sequence[SkmPeriod]) -> dict[int, PeriodResult]:
    """Result per period from one grouped SUM query (any number of periods, any number of responses)."""
    if not periods:
        return {}
    rows = db.session.execute(
        select(SkmResponse.period_id, func.count(SkmResponse.id), *(func.sum(c) for c in ANSWER_COLUMNS))
        .where(SkmResponse.period_id.in_([p.id for p in periods]))
        .group_by(SkmResponse.period_id)
    ).all()
    by_id = {r[0]: (int(r[1]), [int(x or 0) for x in r[2:]]) for r in rows}
    out = {}
    for p in periods:
        n, totals = by_id.get(p.id, (0, [0] * UNSUR_COUNT))
        out[p.id] = PeriodResult(p, compute(totals, n), minimum_sample(p.population))
    return out


def result_of(period: SkmPeriod) -> PeriodResult:
    return results([period])[period.id]


def source_counts(period: SkmPeriod) -> dict[ResponseSource, int]:
    rows = db.session.execute(
        select(SkmResponse.source, func.count()).where(SkmResponse.period_id == period.id).group_by(SkmResponse.source)
    ).all()
    return {s: n for s, n in rows}


def demographic_counts(period: SkmPeriod) -> dict[str, list[tuple[str, int]]]:
    """Respondents per band of each optional demographic field (for the report's profile table)."""
    out = {}
    for title, col, enum_cls in (
        ("Usia", SkmResponse.age_band, AgeBand),
        ("Jenis kelamin", SkmResponse.sex, RespondentSex),
        ("Pendidikan", SkmResponse.education, Education),
        ("Pekerjaan", SkmResponse.occupation, Occupation),
    ):
        counts = dict(
            db.session.execute(select(col, func.count()).where(SkmResponse.period_id == period.id).group_by(col)).all()
        )
        out[title] = [(m.label, counts.get(m, 0)) for m in enum_cls] + [("Tidak diisi", counts.get(None, 0))]
    return out


def trend(unit_id: int) -> list[PeriodResult]:
    """Every period of the unit, oldest first, with its result: the IKM trend."""
    periods = list(
        db.session.scalars(select(SkmPeriod).where(SkmPeriod.unit_id == unit_id).order_by(SkmPeriod.start_date))
    )
    found = results(periods)
    return [found[p.id] for p in periods]


def latest_result(unit_ids: Sequence[int], start: date, end: date) -> PeriodResult | None:
    """The most recent period of the units that overlaps [start, end] and has answers: the unit's IKM for a
    rating or SKP period."""
    periods = list(
        db.session.scalars(
            select(SkmPeriod)
            .where(SkmPeriod.unit_id.in_(unit_ids or [-1]), SkmPeriod.start_date <= end, SkmPeriod.end_date >= start)
            .order_by(SkmPeriod.end_date.desc())
        )
    )
    found = results(periods)
    return next((found[p.id] for p in periods if found[p.id].result.respondents), None)


def units_with_periods(unit_ids: Sequence[int]) -> set[int]:
    """Which of the units have at least one survey period."""
    return set(db.session.scalars(select(SkmPeriod.unit_id).where(SkmPeriod.unit_id.in_(unit_ids or [-1])).distinct()))
