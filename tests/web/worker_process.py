"""A real `flask worker` process on a SQLite file, for the tests marked `multiprocess` (inline jobs hide lock
problems that only a second process shows)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def worker_env(workdir: str, **extra: str) -> dict:
    """The environment of a worker (and of the app in the test) sharing the database and queue in `workdir`."""
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3",
        "HUEY_SQLITE_PATH": f"{workdir}/huey.sqlite3",
        "KINERJA_BATCH_DIR": workdir,
        "FLASK_APP": "wsgi",
        "PUBLIC_BASE_URL": "http://kinerja.lan",
        "SECRET_KEY": "test",
        **extra,
    }


def start_worker(tmp_path: Path, env: dict, workers: int) -> subprocess.Popen:
    """`flask worker --workers N`; its log goes to tmp_path/worker.log."""
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "worker", "--workers", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "worker.log", "w"),  # noqa: SIM115 - closed with the process
    )


def stop_worker(consumer: subprocess.Popen) -> None:
    consumer.send_signal(signal.SIGINT)  # graceful: the workers finish the task at hand
    try:
        consumer.wait(timeout=10)
    except subprocess.TimeoutExpired:
        consumer.kill()
        consumer.wait()
