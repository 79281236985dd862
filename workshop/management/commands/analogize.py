"""python manage.py analogize --scenario S.json --profile P.json [--engine builtin|openai] [--generic]"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from workshop.engine import cli


class Command(BaseCommand):
    help = "Print one analogy (JSON) for a scenario file and a profile file; bad input exits 2."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        cli.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        code, out, err = cli.execute(options["scenario"], options["profile"], engine=options["engine"],
                                     generic=options["generic"])
        if out:
            self.stdout.write(out, ending="")
        if err:
            self.stderr.write(err, ending="")
        if code:
            sys.exit(code)
