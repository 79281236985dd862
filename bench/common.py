"""What the benchmarks share: Django set up from the environment, a real worker process started and waited for,
and participants created without sending their analogies to the queue (each benchmark decides when)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workshop.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("LLM_ALLOWED_HOSTS", "127.0.0.1")  # the benchmarks' fake LLM server is on this machine

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

import workshop.participants.services as participant_services  # noqa: E402
from workshop.scenarios.services import library_load  # noqa: E402
from workshop.tenancy.scope import unscoped  # noqa: E402


def prepare_database() -> Path:
    """Migrate, load the scenario library; returns where logs go."""
    call_command("migrate", verbosity=0)
    with unscoped():
        library_load()
    return Path(os.environ.get("WORKSHOP_VAR_DIR", ROOT / "var"))


@contextmanager
def analogies_not_enqueued() -> Iterator[None]:
    """Rows are written as usual; their messages are not sent, so the benchmark can start the clock first."""
    original = participant_services.analogy_enqueue
    participant_services.analogy_enqueue = lambda analogy: True
    try:
        yield
    finally:
        participant_services.analogy_enqueue = original


def start_worker(*, name: str, log_path: Path, concurrency: int, pool: str = "prefork") -> subprocess.Popen:
    """A real Celery worker process; returns once it says it is ready."""
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "workshop", "worker", f"--pool={pool}",
         f"--concurrency={concurrency}", "--without-gossip", "--without-mingle", "--loglevel=WARNING",
         "-n", f"{name}-{os.getpid()}@%h"],
        stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())
    deadline = time.monotonic() + 60
    while "ready" not in log_path.read_text() and time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(log_path.read_text())
        time.sleep(0.2)
    time.sleep(1)  # let a prefork pool's children finish starting
    return proc
