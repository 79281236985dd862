"""What the fault tests share: a Redis server of their own (which they may kill), the test process's queue pointed
at it, real worker processes (which they may kill), and a workshop that writes its analogies with the local
OpenAI-compatible server.

The shared Redis on 6379 is never touched: other test runs use it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from tests import factories
from tests.conftest import _database_url, wait_for
from workshop.breaker import redis_breaker
from workshop.celery import app
from workshop.participants.models import Analogy
from workshop.tenancy.models import Organization
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import Workshop


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class RedisServer:
    """A throwaway redis-server without persistence: killing it loses every queued message, as a crash would."""

    log_path: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        with open(self.log_path, "a") as log:
            self.proc = subprocess.Popen(
                ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                stdout=log, stderr=subprocess.STDOUT)
        wait_for(self.answers, timeout=20, interval=0.05, what=f"redis-server on port {self.port}")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.proc = None

    def stop(self) -> None:
        """A clean shutdown (SIGTERM), as `systemctl stop redis` or a container stop does."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=20)
        self.proc = None

    def pause(self) -> None:
        """SIGSTOP: the server still accepts connections (the kernel queues them) and answers nothing."""
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.proc.send_signal(signal.SIGCONT)


@pytest.fixture
def own_redis(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not on PATH: the fault tests start and kill a Redis of their own")
    server = RedisServer(log_path=tmp_path / "redis.log")
    server.start()
    yield server
    server.kill()


def _use_broker(url: str, transport_options: dict) -> None:
    """Point this process's Celery app at another broker. Kombu keeps one pool per broker URL, so switching
    back finds the shared broker's pool as it was (it must not be closed: later tests use it)."""
    app.conf.broker_url = url
    app.conf.broker_transport_options = transport_options
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def own_broker(own_redis, settings):
    """The web side (this process) uses the throwaway Redis for the queue, the LLM rate limit and the cache."""
    timeout = django_settings.REDIS_TIMEOUT_SECONDS
    options = {"visibility_timeout": django_settings.CELERY_VISIBILITY_TIMEOUT, "socket_connect_timeout": timeout,
               "socket_timeout": timeout}
    previous = (app.conf.broker_url, app.conf.broker_transport_options)
    settings.REDIS_URL = settings.CELERY_BROKER_URL = own_redis.url
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = options
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": own_redis.url, "KEY_PREFIX": "faults",
                                   "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5,
                                               "pool_class": "workshop.breaker.GuardedConnectionPool"}}}
    redis_breaker.reset()
    _use_broker(own_redis.url, options)
    yield own_redis
    _use_broker(*previous)
    redis_breaker.reset()  # what this test's outage taught this process must not hold back the next tests


@dataclass
class Worker:
    proc: subprocess.Popen
    log_path: Path

    def kill(self) -> None:
        """kill -9 the worker and its pool processes at once, as when its machine or container dies."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


SUPERVISE = Path(__file__).resolve().parents[2] / "deploy" / "supervise"
QUIET = ("--without-gossip", "--without-mingle", "--without-heartbeat")


@pytest.fixture
def start_worker(own_broker, tmp_path):
    """start_worker(name, **env) -> a real Celery worker process on the throwaway Redis and the test database.

    pool="threads" runs production's pool; supervised=True runs it through deploy/supervise, as the Procfile does;
    app names the Celery app module (-A); quiet=False keeps gossip, mingle and heartbeats, as production has them."""
    started: list[Worker] = []

    def start(name: str, *, concurrency: int = 2, pool: str | None = None, supervised: bool = False,
              app: str = "workshop", quiet: bool = True, **env: str) -> Worker:
        log_path = tmp_path / f"worker-{name}.log"
        worker_env = {**os.environ, "DATABASE_URL": _database_url(connection.settings_dict), "DEBUG": "1",
                      "DJANGO_SETTINGS_MODULE": "tests.settings", "REDIS_URL": own_broker.url,
                      "SUPERVISE_DELAY": "0.5", **env}
        command = [sys.executable, "-m", "celery", "-A", app, "worker", "--loglevel=INFO",
                   f"--concurrency={concurrency}", *(QUIET if quiet else ()), *([f"--pool={pool}"] if pool else ()),
                   "-n", f"{name}-{os.getpid()}@%h"]
        with open(log_path, "w") as log:
            proc = subprocess.Popen([str(SUPERVISE), *command] if supervised else command,
                                    env=worker_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        worker = Worker(proc, log_path)
        started.append(worker)
        wait_for(lambda: "ready." in worker.log() or proc.poll() is not None, timeout=60, what=f"worker {name}")
        if proc.poll() is not None:
            raise RuntimeError(f"worker {name} died at start:\n{worker.log()[-3000:]}")
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def llm_workshop(org_a, llm_server):
    """A workshop of one scenario whose analogies are written by the local OpenAI-compatible server."""
    with unscoped():
        Organization.objects.filter(pk=org_a.org.pk).update(
            llm_base_url=llm_server.base_url, llm_model="fake-model", llm_requests_per_minute=10_000,
            llm_tokens_per_minute=10_000_000)
        workshop = factories.open_workshop(org_a, scenarios=1)
        Workshop.objects.filter(pk=workshop.pk).update(engine="openai")
        workshop.refresh_from_db()
    return workshop


def analogies_in(workshop: Workshop) -> list[Analogy]:
    """Every analogy row of the workshop, history included."""
    with unscoped():
        return list(Analogy.objects.filter(participant__workshop=workshop).order_by("participant_id", "version"))


def all_done(workshop: Workshop, expected: int):
    rows = [a for a in analogies_in(workshop) if a.is_current]
    return rows if len(rows) == expected and all(a.state == "done" for a in rows) else None
