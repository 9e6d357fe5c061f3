"""A real Celery worker in a subprocess, against the test database and the
real Redis. Only possible on PostgreSQL (an SQLite test database lives in the
test process's memory) with REDIS_URL set; otherwise the tests that need it
are skipped, and CI sets both."""

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]


def worker_unavailable_reason() -> str | None:
    if not settings.REDIS_URL:
        return "REDIS_URL is not set"
    if connection.vendor != "postgresql":
        return "a worker process needs PostgreSQL to share the test database"
    return None


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


@contextmanager
def running_worker(media_root: Path, extra_env: dict | None = None):
    """Start a worker consuming a queue of its own; route tasks there while
    the context is open; stop the worker at the end."""
    queue = f"jinzhi-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(media_root),
        "DEBUG": "true",
        **(extra_env or {}),
    }
    log = (media_root.parent / f"{queue}.log").open("w+")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        _wait_until_ready(process, log)
        yield process
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _wait_until_ready(process, log, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        log.seek(0)
        if "ready." in log.read():
            return
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"the Celery worker exited:\n{log.read()}")
        time.sleep(0.2)
    log.seek(0)
    raise RuntimeError(f"the Celery worker did not start in {timeout}s:\n{log.read()}")
