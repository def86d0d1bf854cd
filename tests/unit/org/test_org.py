"""Cycles in the atasan chain (data-quality queue)."""

from kinerja_web.domain.org import find_cycles


def test_a_proper_tree_has_no_cycles():
    assert find_cycles({1: None, 2: 1, 3: 1, 4: 3}) == []


def test_two_posts_naming_each_other_form_one_cycle():
    cycles = find_cycles({1: 2, 2: 1})
    assert len(cycles) == 1
    assert sorted(cycles[0]) == [1, 2]


def test_a_post_that_is_its_own_atasan_is_a_cycle():
    assert find_cycles({5: 5}) == [[5]]


def test_posts_hanging_below_a_cycle_are_not_part_of_it():
    cycles = find_cycles({1: 2, 2: 3, 3: 2, 4: 1})
    assert len(cycles) == 1
    assert sorted(cycles[0]) == [2, 3]


def test_each_of_two_separate_cycles_is_reported_once():
    cycles = find_cycles({1: 2, 2: 1, 3: 4, 4: 5, 5: 3, 6: None})
    assert sorted(sorted(c) for c in cycles) == [[1, 2], [3, 4, 5]]


def test_parent_outside_the_map_ends_the_chain():
    assert find_cycles({1: 99}) == []
