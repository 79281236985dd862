import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests import factories
from workshop.tenancy.middleware import PARTICIPANT_COOKIE


@pytest.fixture
def org_a(db):
    return factories.organization_with_members("acme")


@pytest.fixture
def org_b(db):
    """The outsider: every access test has one."""
    return factories.organization_with_members("globex")


@pytest.fixture
def llm_server():
    """A local OpenAI-compatible server (tests/llm_server.py), fresh for each test."""
    from tests.llm_server import FakeLLMServer

    with FakeLLMServer() as server:
        yield server


@pytest.fixture
def workshop_a(org_a):
    return factories.open_workshop(org_a, title="Acme listening session")


@pytest.fixture
def as_participant(client):
    def login(token: str):
        client.cookies[PARTICIPANT_COOKIE] = token
        return client

    return login


def wait_for(predicate, *, timeout: float = 90, interval: float = 0.3, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def _database_url(settings_dict: dict) -> str:
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict.get("USER") or ""
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{auth}{settings_dict['HOST']}{port}/{settings_dict['NAME']}"


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """A real Celery worker process on the real broker, pointed at the test database."""
    from django.db import connection

    log_path = Path(settings.VAR_DIR) / "test-worker.log"
    env = {**os.environ, "DATABASE_URL": _database_url(connection.settings_dict), "DEBUG": "1",
           "DJANGO_SETTINGS_MODULE": "tests.settings", "ANALOGY_PENDING_SECONDS": "2",
           "ANALOGY_STUCK_SECONDS": "5"}
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "workshop", "worker", "--loglevel=INFO", "--concurrency=2",
             "--without-gossip", "--without-mingle", "-n", f"test-{os.getpid()}@%h"],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    wait_for(lambda: "ready." in log_path.read_text() or proc.poll() is not None, timeout=60, what="worker start")
    if proc.poll() is not None:
        raise RuntimeError(f"the worker died at start:\n{log_path.read_text()[-3000:]}")
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
