"""The to-do list: what waits for a user ("3 SKP menunggu persetujuan Anda"), computed by each area's provider.

To-dos are computed, not stored, so the list is never stale. `PROVIDERS` is the one list of providers, in the
order the dashboard and the notification centre show them. A provider takes the user and returns `Todo` items
(services/notifications/notify.py); items with a zero count are left out. This module sits above the areas and
`access` (a provider asks access what the user may do), below the blueprints that show the list.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import url_for

from . import access
from .models import User
from .services.awards.proposals import award_todos
from .services.development.queue import referral_todos
from .services.evaluation360.reminders import evaluation360_todos
from .services.notifications.notify import Todo
from .services.org.data_quality import data_quality_issues
from .services.pembinaan.plans import pembinaan_todos
from .services.rating.keberatan import keberatan_todos
from .services.rating.ratings import rating_todos
from .services.skp.inbox import skp_returned_to_me, skp_waiting_for_me
from .timeutil import today_wib


def data_quality_todo(user: User) -> list[Todo]:
    if not access.is_hr(user):
        return []
    n = len(data_quality_issues(today_wib()))
    return [Todo(n, f"{n} masalah kualitas data pegawai perlu diperbaiki", url_for("org.data_quality"))]


TodoProvider = Callable[[User], list[Todo]]
PROVIDERS: tuple[TodoProvider, ...] = (
    award_todos,
    evaluation360_todos,
    data_quality_todo,
    pembinaan_todos,
    referral_todos,
    rating_todos,
    keberatan_todos,
    skp_waiting_for_me,
    skp_returned_to_me,
)


def todos_for(user: User) -> list[Todo]:
    items: list[Todo] = []
    for provider in PROVIDERS:
        items.extend(t for t in provider(user) if t.count)
    return items
