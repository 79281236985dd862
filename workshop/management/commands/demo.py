"""python manage.py demo: build the whole demo through the real queue, then exit. ``--logins`` prints the logins
and links of the last build again, building nothing (scripts/demo.sh prints them last, once the site is up)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from workshop.celery import app as celery_app
from workshop.demo import builder
from workshop.scenarios.services import library_load
from workshop.tenancy.scope import unscoped


def _worker_running() -> bool:
    try:
        return bool(celery_app.control.ping(timeout=1.5))
    except Exception:  # no broadcast support or no broker: assume no worker
        return False


class Command(BaseCommand):
    help = "Build the demo: two organizations, open workshops, participants, analogies and PDF packets."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=int, default=300, help="Seconds to wait for the queue.")
        parser.add_argument("--no-worker", action="store_true", help="Never start a temporary worker.")
        parser.add_argument("--logins", action="store_true",
                            help="Print the logins and links of the last build (demo-output/credentials.json) only.")

    def handle(self, *args, timeout: int, no_worker: bool, logins: bool, **options):
        out_dir = settings.DEMO_OUTPUT_DIR
        if logins:
            try:
                summary = json.loads((out_dir / "credentials.json").read_text())
            except (OSError, ValueError):
                raise CommandError("No demo has been built yet: run python manage.py demo first.") from None
            self._print(summary, out_dir)
            return
        call_command("migrate", interactive=False, verbosity=0)
        # The demo command acts for every organization at once: the escape hatch, said out loud.
        with unscoped():
            loaded = library_load()
            self.stdout.write(f"Scenario library: {loaded['scenarios']} scenarios ({loaded['new_versions']} new).")
            built = builder.build_people(credentials_path=out_dir / "credentials.json")
            for entry in built:
                for workshop in entry["workshops"]:
                    builder.build_participants(workshop=workshop)
                added = builder.build_history(entry=entry)
                if added:
                    self.stdout.write(f"{entry['organization'].name}: {added} past workshops for the report.")
            worker = None
            if not no_worker and not _worker_running():
                worker = self._start_worker()
            try:
                self._wait(built, builder.analogies_outstanding, "analogies", timeout)
                for workshop in (w for entry in built for w in entry["workshops"]):
                    builder.build_progress(workshop=workshop)
                for workshop in (w for entry in built for w in entry["workshops"]):
                    builder.request_packets(workshop=workshop)
                self._wait(built, builder.packets_outstanding, "PDF packets", timeout)
            finally:
                if worker is not None:
                    worker.terminate()
                    worker.wait(timeout=30)
            summary = builder.write_outputs(built=built, out_dir=out_dir)
        self._print(summary, out_dir)

    def _start_worker(self) -> subprocess.Popen:
        self.stdout.write("No worker is running: starting a temporary one.")
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "workshop", "worker", "--loglevel=WARNING",
             "--concurrency=2", "--without-gossip", "--without-mingle", "-n", f"demo-{os.getpid()}@%h"],
            env=os.environ.copy(),
        )

    def _wait(self, built, outstanding, what: str, timeout: int) -> None:
        deadline = time.monotonic() + timeout
        while True:
            left = sum(outstanding(workshop=w) for e in built for w in e["workshops"])
            if left == 0:
                self.stdout.write(f"All {what} are done.")
                return
            if time.monotonic() > deadline:
                raise CommandError(f"{left} {what} still queued after {timeout}s: is a worker running?")
            time.sleep(0.5)

    def _print(self, summary: dict, out_dir) -> None:
        self.stdout.write("")
        for org in summary["organizations"]:
            self.stdout.write(self.style.MIGRATE_HEADING(f"{org['name']}"))
            for user in org["users"]:
                self.stdout.write(f"  {user['role']:<12} {user['username']:<28} {user['password']}")
            self.stdout.write(f"  join link    {org['workshop']['join_link']}")
            if org["workshop"].get("short_code"):
                self.stdout.write(f"  or the code  {org['workshop']['short_code']} at {org['workshop']['go']}")
            self.stdout.write(f"  packets      {len(org['packets'])} PDFs in {out_dir.name}/{org['slug']}/")
            for extra in org["more_workshops"]:
                self.stdout.write(f"  {extra['language']} workshop  {extra['title']}: {extra['join_link']}, "
                                  f"{len(extra['packets'])} PDFs in {out_dir.name}/{org['slug']}/{extra['language']}/")
        self.stdout.write(f"\nLogins and links are in {out_dir.name}/credentials.json. Sign in at {summary['site']}/")
