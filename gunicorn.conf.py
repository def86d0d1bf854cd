"""gunicorn settings, read from the working directory by `gunicorn wsgi:app` (scripts/start.sh, the systemd
unit in README.md and benchmarks.pages all use them).

Kinerja is CPU-bound (templates, ORM; SQLite reads come from the page cache): one synchronous worker per
core plus one that runs while another waits on the database or the network — 3 on the 2-core server.
Threads would not help (one GIL per process). WEB_WORKERS overrides the count.
"""

import os


def default_workers() -> int:
    return (os.cpu_count() or 1) + 1


workers = int(os.environ.get("WEB_WORKERS") or default_workers())
worker_class = "sync"


def post_worker_init(worker) -> None:
    """Each worker, once it has loaded the app: freeze the start-up objects out of the garbage collector's
    full collections (see kinerja_web/cli.py `freeze_startup_objects`)."""
    from kinerja_web.cli import freeze_startup_objects

    freeze_startup_objects()
