"""Pure rules on the organisation and its people: the status of an ASN, the atasan chain and its defects."""

from __future__ import annotations

from collections.abc import Mapping

from .labels import LabeledEnum


class StatusAsn(LabeledEnum):
    """Kind of civil servant (UU 20/2023): persisted in `employee.status_asn`, drives pay and the NIP rules."""

    PNS = "pns", "PNS"
    CPNS = "cpns", "CPNS"
    PPPK = "pppk", "PPPK"


def find_cycles(parent_of: Mapping[int, int | None]) -> list[list[int]]:
    """Return each cycle in a parent map once, as the list of nodes on it.

    An atasan chain must end at the top of the Pemda; a cycle means nobody in it has a real
    appraiser, so HR has to fix it (data-quality queue).
    """
    state: dict[int, int] = {}  # 0 = visiting, 1 = done
    cycles: list[list[int]] = []
    for start in parent_of:
        if start in state:
            continue
        path: list[int] = []
        node: int | None = start
        while node is not None and node not in state:
            state[node] = 0
            path.append(node)
            node = parent_of.get(node)
        if node is not None and state.get(node) == 0:
            cycles.append(path[path.index(node) :])
        for n in path:
            state[n] = 1
    return cycles


def would_cycle(parent_of: Mapping[int, int | None], node: int, new_parent: int | None) -> bool:
    """True if making `new_parent` the parent of `node` closes a loop in the atasan chain."""
    seen: set[int] = set()
    current = new_parent
    while current is not None and current not in seen:
        if current == node:
            return True
        seen.add(current)
        current = parent_of.get(current)
    return False
