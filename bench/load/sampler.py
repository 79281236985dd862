"""The load runs' CPU sampler (bench/load/room.py, bench/load/run.py): once a second, the CPU seconds of each
role's processes (web, workers, the load client, the run's PostgreSQL backends, ...) and the machine's CPU use,
so what other work took meanwhile can be told apart; and the most connections the run's database held."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class CpuSampler(threading.Thread):
    """``roles`` is asked at every sample (processes started later count too): given the PostgreSQL backends of
    ``database``, it returns the pids of each role, in the order the figures list them."""

    def __init__(self, *, database: str, roles: Callable[[list[int]], dict[str, list[int]]]):
        super().__init__(daemon=True)
        self.database, self.roles = database, roles
        self.first: dict[str, dict[int, float]] = {}
        self.last: dict[str, dict[int, float]] = {}
        self.connections_max = 0
        self.halt = threading.Event()

    def _sample(self, conn) -> None:
        import psutil

        pg = [r[0] for r in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.database])]
        self.connections_max = max(self.connections_max, len(pg))
        for role, pids in self.roles(pg).items():
            for pid in pids:
                try:
                    t = psutil.Process(pid).cpu_times()
                except psutil.Error:
                    continue
                self.first.setdefault(role, {}).setdefault(pid, t.user + t.system)
                self.last.setdefault(role, {})[pid] = t.user + t.system

    def run(self) -> None:
        import psutil
        import psycopg

        psutil.cpu_percent()
        self.started = time.monotonic()
        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            while not self.halt.is_set():
                self._sample(conn)
                self.halt.wait(1)
            self._sample(conn)
        self.machine = psutil.cpu_percent() / 100 * psutil.cpu_count()
        self.elapsed = time.monotonic() - self.started

    def finish(self, *, digits: int) -> dict:
        """Stops sampling. CPU seconds per role (rounded to ``digits``), the seconds sampled, the machine's busy
        cores, the cores the rest of the machine (other people's work, Redis, the kernel) took meanwhile, and the
        most PostgreSQL connections seen."""
        self.halt.set()
        self.join()
        used = {role: round(sum(v - self.first[role][pid] for pid, v in pids.items()), digits)
                for role, pids in self.last.items()}
        others = max(0.0, self.machine - sum(used.values()) / max(self.elapsed, 0.1))
        return {"cpu_s": used, "elapsed_s": round(self.elapsed, 1), "machine_cores_busy": round(self.machine, 2),
                "other_cores_busy": round(others, 2), "pg_connections_max": self.connections_max}
