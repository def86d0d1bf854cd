"""Issue 19 item 7: every URL a payroll form posts to answers GET (a reload after a boosted POST, a bookmark):
the page the form lives on (303), never a 405."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja_web.extensions import db
from kinerja_web.models import Job, PayrollStatusPeriod
from kinerja_web.services.payroll import rules, runs
from kinerja_web.services.payroll.rule_forms import FORMS
from tests.web.payroll.test_payroll_flow import as_user


@pytest.fixture
def ids(app, org_chart):
    """A run, a TPP status period and the run's computation job: the ids the payroll forms post to."""
    ns = org_chart
    rules.seed_rules()  # the rule-table forms edit the latest version of a table
    run = runs.create_run(date(2026, 10, 1), None, ns.u_operator)
    period = PayrollStatusPeriod(
        employee_id=ns.staff1.id, kind="TUGAS_BELAJAR", mulai=date(2026, 9, 1), dasar="SK 1/2026"
    )
    job = Job(kind="payroll_compute", title="Menghitung", params={"run_id": run.id}, created_by_id=ns.u_operator.id)
    db.session.add_all([period, job])
    db.session.commit()
    ns.args = {
        "run_id": run.id,
        "period_id": period.id,
        "job_id": job.id,
        "opd_id": ns.opd.id,
        "code": next(iter(FORMS)),  # a regional rule table with its own form
        "row_id": 1,  # a PTKP-per-year row (issue 20); the GET answer does not look it up
        "manual_id": 1,  # a manual amount's decision (the GET answers with the list, whatever the id)
        "order_id": 1,  # a standing order (potongan lain-lain); the GET answer does not look it up
    }
    return ns


def _posted_urls(app, args) -> list[tuple[str, str]]:
    """Every payroll URL that takes a POST (endpoint, URL), with each value its `any(...)` parts allow."""
    urls = []
    adapter = app.url_map.bind("kinerja.test")
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("payroll.") or "POST" not in rule.methods:
            continue
        choices = [{}]
        for name in rule.arguments:
            items = getattr(rule._converters[name], "items", None)
            values = sorted(items) if items else [args[name]]
            choices = [{**c, name: v} for c in choices for v in values]
        urls += [(rule.endpoint, adapter.build(rule.endpoint, c, method="POST")) for c in choices]
    return urls


def test_every_url_a_payroll_form_posts_to_answers_get(app, ids):
    urls = _posted_urls(app, ids.args)
    assert ("payroll.compute", "/gaji/run/{run_id}/hitung".format(**ids.args)) in urls and len(urls) >= 15
    operator, admin = as_user(app, ids.u_operator), as_user(app, ids.u_admin)
    for endpoint, url in urls:
        resp = (admin if endpoint in ("payroll.rules_add", "payroll.rule_form") else operator).get(
            url
        )  # who posts there
        assert resp.status_code in (200, 303), (url, resp.status_code)


@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("/gaji/run", "/gaji/"),
        ("/gaji/run/{run_id}/hitung", "/gaji/run/{run_id}"),
        ("/gaji/run/{run_id}/final", "/gaji/run/{run_id}"),
        ("/gaji/run/{run_id}/slip/terbitkan", "/gaji/run/{run_id}"),
        ("/gaji/kehadiran/impor", "/gaji/kehadiran"),
        ("/gaji/predikat/impor", "/gaji/kehadiran"),
        ("/gaji/status-tpp/{period_id}/akhiri", "/gaji/status-tpp"),
        ("/gaji/run/{run_id}/kembalikan", "/gaji/run/{run_id}"),
        ("/gaji/manual/{manual_id}/putuskan", "/gaji/manual"),
        ("/gaji/pekerjaan/{job_id}/ulangi", "/gaji/run/{run_id}?job={job_id}"),
    ],
)
def test_a_reload_lands_on_the_page_the_form_lives_on(app, ids, path, page):
    resp = as_user(app, ids.u_operator).get(path.format(**ids.args))
    assert resp.status_code == 303 and resp.headers["Location"].endswith(page.format(**ids.args))


def test_a_reload_after_a_refused_computation_shows_the_run_page(app, ids):
    client = as_user(app, ids.u_operator)
    url = "/gaji/run/{run_id}/hitung".format(**ids.args)
    assert client.post(url).status_code == 422  # no predikat, no rules: the problems page at the POST's URL
    resp = client.get(url, follow_redirects=True)
    assert resp.status_code == 200 and resp.request.path == "/gaji/run/{run_id}".format(**ids.args)


def test_landing_urls_need_a_login_and_keep_the_job_private(app, client, ids):
    assert client.get("/gaji/run/{run_id}/hitung".format(**ids.args)).status_code in (302, 303, 401)
    other = as_user(app, ids.u_staff)  # no payroll role: the job is not visible
    assert other.get("/gaji/pekerjaan/{job_id}/ulangi".format(**ids.args)).status_code == 404
