"""The production-like stack on this machine, started and stopped by the load runner.

gunicorn (with deploy/gunicorn.conf.py, DEBUG off), Celery workers (threads pool), one Celery beat, against
the machine's PostgreSQL (a database of the run's own) and Redis (one db of the run's own). Every process is
started in a session of its own and stopped by its process group, so nothing else on the machine is touched.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent

DATABASE = "empathy_load"
REDIS_DB = 5
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def load_environment(*, port: int, var_dir: Path, database: str = DATABASE, redis_db: int = REDIS_DB,
                     settings_module: str = "workshop.settings") -> dict[str, str]:
    """Production settings for plain HTTP on 127.0.0.1: DEBUG off, a SECRET_KEY (it also keys the encrypted
    columns, so every process of the run shares it), no HTTPS redirect and no secure-only cookies.
    ``settings_module`` "benchsite.settings" adds the bare view and the server-side timing (bench/load/benchsite)."""
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": settings_module,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "bench" / "load"), str(ROOT), env.get("PYTHONPATH", "")]),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}",
        "DEBUG": "0",
        "SECRET_KEY": "load-benchmark-only-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LLM_ALLOWED_HOSTS": "127.0.0.1",  # the fake LLM server runs on this machine
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "WORKSHOP_VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    })
    env.pop("FIELD_ENCRYPTION_KEY", None)
    return env


def database_recreate(database: str = DATABASE) -> None:
    """A new empty database for this run (only the run's own)."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {database}")


def redis_flush(url: str, redis_db: int = REDIS_DB) -> None:
    """Empty the run's own Redis db (never FLUSHALL)."""
    import redis

    client = redis.Redis.from_url(url)
    assert client.connection_pool.connection_kwargs.get("db") == redis_db, url
    client.flushdb()


@dataclass
class Stack:
    env: dict[str, str]
    log_dir: Path
    port: int
    web_workers: int = 2
    web_threads: int = 4
    worker_procs: int = 1
    worker_concurrency: int = 25
    beat: bool = True
    worker_pool: str = "threads"
    cpus: str | None = None  # pin every process of this stack to these CPUs (taskset -c), to stand for a machine
    access_log: Path | None = None  # gunicorn's access log, in benchsite.timing's format, when set
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def describe(self) -> str:
        return (f"gunicorn {self.web_workers} workers x {self.web_threads} threads (gthread), "
                f"Celery {self.worker_procs} x {self.worker_concurrency} threads"
                + (", 1 beat" if self.beat else "") + (f", on CPU {self.cpus}" if self.cpus else ""))

    def _spawn(self, name: str, args: list[str], extra_env: dict[str, str] | None = None) -> subprocess.Popen:
        log = open(self.log_dir / f"{name}.log", "w")
        if self.cpus:
            args = ["taskset", "-c", self.cpus, *args]
        proc = subprocess.Popen(args, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                env={**self.env, **(extra_env or {})}, start_new_session=True)
        self.procs[name] = proc
        return proc

    def start(self) -> Stack:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        web_env = {}
        if self.access_log:
            from benchsite.timing import ACCESS_LOG_FORMAT

            web_env["GUNICORN_CMD_ARGS"] = f"--access-logformat '{ACCESS_LOG_FORMAT}'"
        self._spawn("web", [str(VENV_BIN / "gunicorn"), "workshop.wsgi", "-c", str(ROOT / "deploy/gunicorn.conf.py")],
                    {**web_env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": str(self.web_workers),
                     "GUNICORN_THREADS": str(self.web_threads),
                     "GUNICORN_ACCESSLOG": str(self.access_log) if self.access_log else "",
                     # Locust stands where the proxy would: phones keep their connection to nginx for its
                     # keepalive_timeout (75 s). With gunicorn's 5 s, a phone pausing longer on a page hits a
                     # connection being closed, which a browser would retry and locust counts as a failure.
                     "GUNICORN_KEEPALIVE": "75"})
        for i in range(self.worker_procs):
            self._spawn(f"worker{i + 1}", [
                sys.executable, "-m", "celery", "-A", "workshop", "worker", f"--pool={self.worker_pool}",
                f"--concurrency={self.worker_concurrency}", "--without-gossip", "--without-mingle",
                "--loglevel=INFO", "-n", f"load{i + 1}-{os.getpid()}@%h"])
        if self.beat:
            self._spawn("beat", [sys.executable, "-m", "celery", "-A", "workshop", "beat", "--loglevel=WARNING",
                                 "--schedule", str(self.log_dir / "celerybeat-schedule")])
        deadline = time.monotonic() + 90
        waiting = {name for name in self.procs if name.startswith("worker")}
        web_ready = False
        while (waiting or not web_ready) and time.monotonic() < deadline:
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited: {(self.log_dir / f'{name}.log').read_text()[-2000:]}")
            waiting = {n for n in waiting if "ready" not in (self.log_dir / f"{n}.log").read_text()}
            web_ready = web_ready or _healthy(self.url)
            time.sleep(0.3)
        if waiting or not web_ready:
            raise RuntimeError(f"stack did not come up (waiting for {sorted(waiting)}, web ready {web_ready})")

    def pids(self, name_prefix: str) -> list[int]:
        """The processes of one role (the leader and its children), for CPU accounting."""
        import psutil

        found = []
        for name, proc in self.procs.items():
            if name.startswith(name_prefix) and proc.poll() is None:
                try:
                    leader = psutil.Process(proc.pid)
                    found += [leader.pid, *(c.pid for c in leader.children(recursive=True))]
                except psutil.NoSuchProcess:
                    pass
        return found

    def stop(self) -> None:
        stop_all(list(self.procs.values()))
        self.procs.clear()

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def stop_all(procs: list[subprocess.Popen], grace_s: float = 20) -> None:
    """SIGTERM each process group we started, then SIGKILL what is still there after the grace period."""
    for proc in procs:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + grace_s
    for proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # also any child left in the group
        except ProcessLookupError:
            pass
        proc.wait()


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False
