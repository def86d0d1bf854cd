"""Issue: hardening 5. No XLSX or CSV the app serves carries a live formula, whatever the names in it.

Every export route is downloaded after employees, units, bank details and programmes were renamed to text a
spreadsheet would evaluate; a route that writes XLSX or CSV but is missing from EXPORTS fails the coverage
test, and writing a workbook or CSV outside `kinerja_web/exports.py` fails the source test.
"""

from __future__ import annotations

import csv
import inspect
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from kinerja_web import exports
from kinerja_web.extensions import db
from kinerja_web.models import Employee, Programme, Unit

from .development.test_outcomes_loop import _report_world
from .payroll.test_payroll_dashboard import final  # noqa: F401 (a fixture)
from .payroll.test_payroll_flow import as_user
from .public_feedback.conftest import feedback_world  # noqa: F401 (a fixture)
from .public_service.conftest import ps  # noqa: F401 (a fixture)
from .referral_fixtures import *  # noqa: F403

HOSTILE = ('=HYPERLINK("http://x","y")', "+1", "-1+2", "@SUM(1)", "\tx", "\rx")
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
OCT_2026 = date(2026, 10, 1)


@dataclass(frozen=True)
class Export:
    endpoint: str
    setup: Callable  # (pytest request) -> (user, url)
    planted: bool = True  # False: the file holds no data (a fixed template)


def _payroll(path: str, who: str = "u_operator"):
    def setup(request):
        ns = request.getfixturevalue("final")
        return getattr(ns, who), path.format(run=ns.run.id, opd=ns.opd.id)

    return setup


def _rated(request):
    ns = request.getfixturevalue("dev_world")  # final ratings for the period
    return ns.u_hr, f"/penilaian-kinerja/dasbor/predikat.xlsx?periode={ns.period.id}"


def _progress_360(request):
    ns = request.getfixturevalue("open360")
    return ns.oc.u_hr, f"/penilaian-kinerja/dasbor/360.xlsx?siklus={ns.cycle.id}"


def _skp(request):
    ns, period = request.getfixturevalue("org_chart"), request.getfixturevalue("period")
    return ns.u_hr, f"/skp/pemantauan.xlsx?periode={period.id}"


def _referrals(path: str, finished: bool = False):
    def setup(request):
        ns = request.getfixturevalue("dev_world")
        if finished:
            _report_world(ns)
        return ns.u_hr, path

    return setup


def _template(fmt: str):
    def setup(request):
        return request.getfixturevalue("org_chart").u_hr, f"/pegawai/impor/templat.{fmt}"

    return setup


def _jp_ledger(request):
    from kinerja_web.models import JpEntry, JpSource

    ns = request.getfixturevalue("org_chart")
    db.session.add(
        JpEntry(employee_id=ns.staff1.id, year=2026, jp=8, source=JpSource.LAINNYA, title="Diklat", on_date=OCT_2026)
    )
    return ns.u_hr, "/ekspor/siasn-kursus.csv?tahun=2026"


def _siasn_kinerja(request):
    ns = request.getfixturevalue("dev_world")  # final annual ratings
    return ns.u_hr, f"/ekspor/siasn-kinerja.xlsx?tahun={ns.period.year}"


def _deduction_list(request):
    """A standing order's line in the final run, so the payee's transfer list has a row (issue 20)."""
    from kinerja_web.models import PayrollLine, PayrollPayee, PayrollStandingOrder

    ns = request.getfixturevalue("final")
    payee = PayrollPayee(name="Koperasi Uji", jenis="koperasi", bank_account="1")
    db.session.add(payee)
    db.session.flush()
    order = PayrollStandingOrder(
        employee_id=ns.staff1.id,
        payee_id=payee.id,
        jenis="koperasi",
        jumlah=1000,
        mulai=OCT_2026,
        reference=HOSTILE[0],
        consent_filename="a.pdf",
        consent_content_type="application/pdf",
        consent_size=1,
        consent_sha256="0" * 64,
        consent_data=b"%",
    )
    db.session.add(order)
    db.session.flush()
    db.session.add(
        PayrollLine(
            run_id=ns.run.id,
            employee_id=ns.staff1.id,
            seq=99,
            code="POT_LAIN_KOPERASI",
            label="Koperasi",
            amount=1000,
            kind="potongan",
            bagian="gaji",
            citation="",
            rule_version=f"PT#{order.id}",
            inputs="[]",
        )
    )
    db.session.commit()
    return ns.u_operator, f"/gaji/run/{ns.run.id}/potongan/{payee.id}.csv"


EXPORTS = {
    "daftar gaji": Export("payroll.register_xlsx", _payroll("/gaji/run/{run}/daftar.xlsx")),
    "daftar gaji per OPD": Export("payroll.register_xlsx", _payroll("/gaji/run/{run}/daftar.xlsx?opd={opd}")),
    "bank CSV": Export("payroll.bank_file", _payroll("/gaji/run/{run}/bank.csv")),
    "transfer list per payee CSV": Export("payroll.run_deduction_file", _deduction_list),
    "TPP dashboard": Export("payroll.dashboard_export", _payroll("/gaji/dasbor.xlsx?tahun=2026", "u_hr")),
    "predikat heat map": Export("hr_dashboards.predikat_xlsx", _rated),
    "360 progress": Export("hr_dashboards.progress_xlsx", _progress_360),
    "SKP monitoring": Export("skp.monitoring_export", _skp),
    "development dashboard": Export("development.dashboard_xlsx", _referrals("/pengembangan/dasbor.xlsx?tahun=2026")),
    "effectiveness": Export(
        "development.effectiveness_xlsx", _referrals("/pengembangan/efektivitas.xlsx?tahun=2026", finished=True)
    ),
    "SIASN kinerja": Export("national.download", _siasn_kinerja),
    "SIASN kursus CSV": Export("national.download", _jp_ledger),
    "Taspen recap": Export("national.download", _payroll("/ekspor/taspen.xlsx?bulan=2026-10")),
    "BPJS recap CSV": Export("national.download", _payroll("/ekspor/bpjs.csv?bulan=2026-10")),
    "import template CSV": Export("employees.import_template", _template("csv"), planted=False),
    "import template XLSX": Export("employees.import_template", _template("xlsx"), planted=False),
}


def _service_unit(request):
    """A unit's service log with rows imported (issue 22): its dashboard workbook names services and officers."""
    from .public_service.conftest import import_rows

    ns = request.getfixturevalue("ps")
    import_rows(ns.unit, ns.rows)
    return ns.u_hr, f"/layanan/unit/{ns.unit.id}/ekspor.xlsx"


def _service_template(request):
    ns = request.getfixturevalue("ps")
    return ns.u_hr, f"/layanan/unit/{ns.unit.id}/impor/templat.csv"


def _skm_unit(request):
    ns = request.getfixturevalue("feedback_world")
    return ns.u_hr, f"/skm/dasbor/unit/{ns.opd.id}/ekspor.xlsx"


def _competency(path: str):
    """An assessed employee (issue 21), so the OPD map and the standards workbook have rows with names."""

    def setup(request):
        from .competency.fixtures import assess

        ns = request.getfixturevalue("org_chart")
        participant = assess(ns.staff1, "2,5")
        return ns.u_hr, path.format(opd=ns.opd.id, event=participant.event_id)

    return setup


EXPORTS.update(
    {
        "competency OPD map": Export("competency.opd_export", _competency("/kompetensi/opd/ekspor.xlsx?opd={opd}")),
        "competency standards": Export(
            "competency.standards_export", _competency("/kompetensi/standar/ekspor.xlsx"), planted=False
        ),
        "competency results template": Export(
            "competency.import_template", _competency("/kompetensi/penilaian/{event}/templat.xlsx"), planted=False
        ),
        "service unit dashboard": Export("public_service.unit_export", _service_unit),
        "service log template CSV": Export("public_service.import_template", _service_template, planted=False),
        # IKM per period, complaints by status and cause, innovation titles: no renamed name reaches it
        "SKM unit dashboard": Export("skm.unit_export", _skm_unit, planted=False),
    }
)

# GET routes that mention a spreadsheet in their path or code but send none back.
NOT_EXPORTS = {
    "payroll.bukti_potong_pdf": "an issued bukti potong's stored PDF",
    "selection.document": "an issued selection document's stored PDF",
    "public_service.import_upload": "the upload form of the service-log import",
    "talent.import_file": "the upload form of the potensial import",
    "documents.download": "an issued document's stored PDF",
    "national.reconcile_page": "the reconciliation's upload form (its XLSX answers a POST: tests/web/national)",
}


def plant_hostile_names() -> set[str]:
    """Rename everything a person types that an export shows; returns the planted texts."""
    planted = set()
    for model, columns in (
        (Employee, ("name", "bank_name", "bank_account")),
        (Unit, ("name",)),
        (Programme, ("name",)),
    ):
        for i, obj in enumerate(db.session.scalars(select(model).order_by(model.id))):
            for k, column in enumerate(columns):
                value = HOSTILE[(i + k) % len(HOSTILE)]
                setattr(obj, column, value)
                planted.add(value)
    db.session.commit()
    return planted


def cells_of(resp) -> tuple[list[object], list[object]]:
    """(text cells, number cells) of the downloaded XLSX or CSV; asserts no formula is stored."""
    if resp.mimetype.startswith("text/csv"):
        text = resp.data.decode("utf-8-sig")
        delimiter = ";" if ";" in text.splitlines()[0] else ","
        values = [v for line in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) for v in line if v]
        numbers = [v for v in values if re.fullmatch(r"-?\d+", v)]  # a plain (negative) number is no formula
        return [v for v in values if v not in numbers], numbers
    assert resp.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    with zipfile.ZipFile(io.BytesIO(resp.data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >/]", z.read(name)), f"formula in {name}"
    wb = load_workbook(io.BytesIO(resp.data))
    all_cells = [c for ws in wb.worksheets for line in ws.iter_rows() for c in line if c.value is not None]
    assert not [c.coordinate for c in all_cells if c.data_type == "f"]
    return [c.value for c in all_cells if isinstance(c.value, str)], [c.value for c in all_cells if c.data_type == "n"]


@pytest.mark.parametrize("name", list(EXPORTS))
def test_no_export_carries_a_formula_however_names_are_spelled(app, request, name):
    export = EXPORTS[name]
    user, url = export.setup(request)
    db.session.commit()
    planted = plant_hostile_names()
    resp = as_user(app, user).get(url)
    assert resp.status_code == 200, resp.text[:500]
    assert "attachment" in resp.headers["Content-Disposition"]
    texts, numbers = cells_of(resp)
    assert texts and not [v for v in texts if v.startswith(DANGEROUS)]
    if export.planted:  # the hostile names did reach the file, behind the quote, and amounts stay numbers
        assert {v[1:] for v in texts if v.startswith("'")} & planted
        assert numbers


def _mentions_a_spreadsheet(app, rule) -> bool:
    words = re.compile(r"xlsx|csv|spreadsheet|unduh", re.I)
    return bool(words.search(rule.rule) or words.search(inspect.getsource(app.view_functions[rule.endpoint])))


def test_every_route_that_serves_a_spreadsheet_is_walked(app):
    candidates = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if "GET" in r.methods and r.endpoint != "static" and _mentions_a_spreadsheet(app, r)
    }
    walked = {e.endpoint for e in EXPORTS.values()}
    assert candidates - walked - set(NOT_EXPORTS) == set(), "an export route missing from EXPORTS"
    assert walked <= candidates and set(NOT_EXPORTS) <= candidates


def test_only_the_exports_module_writes_workbooks_and_csv():
    root = Path(exports.__file__).parent
    writers = re.compile(r"\bcsv\.(writer|DictWriter)\(|\bWorkbook\(|import\s+Workbook\b")
    offenders = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if p != Path(exports.__file__) and writers.search(p.read_text("utf-8"))
    ]
    assert offenders == []
