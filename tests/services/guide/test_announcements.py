"""The announcements board: posting with field messages, read receipts (first opening only) per OPD."""

from __future__ import annotations

import pytest

from kinerja_web.domain import DomainError
from kinerja_web.extensions import db
from kinerja_web.services.guide import announcements


def test_posting_refuses_an_empty_or_too_long_field(org_chart):
    ns = org_chart
    with pytest.raises(DomainError) as e:
        announcements.post("  ", "Isi", ns.u_hr)
    assert e.value.field == "title"
    with pytest.raises(DomainError) as e:
        announcements.post("Judul", "", ns.u_hr)
    assert e.value.field == "body"
    with pytest.raises(DomainError) as e:
        announcements.post("J" * 201, "Isi", ns.u_hr)
    assert e.value.field == "title" and "200" in e.value.message


def test_the_first_opening_is_the_read_receipt_and_the_unread_count_follows(org_chart):
    ns = org_chart
    a = announcements.post("Sosialisasi SKP 2027", "Hadir di aula BKPSDM.", ns.u_hr)
    b = announcements.post("Batas realisasi triwulan IV", "Paling lambat 10 Januari.", ns.u_hr)
    db.session.commit()
    assert announcements.unread_count(ns.u_staff) == 2
    assert announcements.mark_read(a, ns.u_staff) is True
    assert announcements.mark_read(a, ns.u_staff) is False
    assert announcements.unread_count(ns.u_staff) == 1
    assert [(x.title, read) for x, read in announcements.board(ns.u_staff)] == [
        (b.title, False),
        (a.title, True),
    ]


def test_read_receipts_are_counted_per_opd_of_the_readers_employee(org_chart):
    ns = org_chart
    a = announcements.post("Pengumuman", "Isi", ns.u_hr)
    for u in (ns.u_staff, ns.u_other, ns.u_hr):
        announcements.mark_read(a, u)
    db.session.commit()
    by_name = {r.opd_name: r for r in announcements.receipts(a)}
    dinas, lain, tanpa = by_name[ns.opd.name], by_name[ns.other_opd.name], by_name["Tanpa unit kerja"]
    # Accounts in the org chart: kasi and staff1 work in the Dinas, `other` in the other OPD; the five
    # role accounts (HR, three finance, administrator) have no employee.
    assert (dinas.readers, dinas.audience, dinas.percent) == (1, 2, 50)
    assert (lain.readers, lain.audience, lain.percent) == (1, 1, 100)
    assert (tanpa.readers, tanpa.audience) == (1, 5)
    assert list(by_name)[-1] == "Tanpa unit kerja"


def test_a_withdrawn_announcement_leaves_the_board_and_cannot_be_withdrawn_twice(org_chart):
    ns = org_chart
    a = announcements.post("Salah kirim", "Isi", ns.u_hr)
    announcements.withdraw(a)
    db.session.commit()
    assert announcements.board(ns.u_staff) == []
    assert announcements.unread_count(ns.u_staff) == 0
    assert [x for x, _ in announcements.board(ns.u_hr, include_withdrawn=True)] == [a]
    with pytest.raises(DomainError):
        announcements.withdraw(a)


def test_the_demo_posts_one_announcement_once(app, make_user):
    from datetime import date

    from kinerja_web.models import Role
    from kinerja_web.services.seed import guide

    assert guide.seed_announcement(date(2026, 12, 4)) == 0  # no demo HR account yet: nothing
    hr = make_user("kepegawaian", roles={Role.ADMIN_KEPEGAWAIAN})
    assert guide.seed_announcement(date(2026, 12, 4)) == 1
    assert guide.seed_announcement(date(2026, 12, 4)) == 0
    [(a, read)] = announcements.board(hr)
    assert a.title == guide.TITLE and "2027" in a.body and not read
