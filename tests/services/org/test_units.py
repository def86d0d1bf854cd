"""The one subtree walk."""

from __future__ import annotations

from kinerja_web.models import UnitKind
from kinerja_web.services.org.units import subtree_ids


def test_a_unit_and_everything_below_it_level_by_level(make_unit):
    opd = make_unit("Dinas")
    bidang = make_unit("Bidang", UnitKind.BIDANG, parent=opd)
    seksi = make_unit("Seksi", UnitKind.SUBBIDANG, parent=bidang)
    other = make_unit("Dinas Lain")
    assert subtree_ids(opd) == [opd.id, bidang.id, seksi.id]
    assert subtree_ids(bidang.id) == [bidang.id, seksi.id]
    assert subtree_ids(seksi) == [seksi.id]
    assert other.id not in subtree_ids(opd)


def test_several_roots_overlapping_are_listed_once(make_unit):
    opd = make_unit("Dinas")
    bidang = make_unit("Bidang", UnitKind.BIDANG, parent=opd)
    other = make_unit("Badan")
    assert subtree_ids(opd, bidang, other.id) == [opd.id, bidang.id, other.id]
    assert subtree_ids() == []


def test_counts_one_query_per_level(make_unit, count_queries):
    opd = make_unit("Dinas")
    for i in range(5):
        make_unit(f"Bidang {i}", UnitKind.BIDANG, parent=opd)
    opd_id = opd.id
    with count_queries() as queries:
        assert len(subtree_ids(opd_id)) == 6
    assert len(queries) == 2  # the bidang level, then the empty level below it
